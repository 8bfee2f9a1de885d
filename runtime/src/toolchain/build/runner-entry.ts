/**
 * The programmatic entry of a built runner (dist/runner.mjs): the `robusta` CLI with the user's
 * playbook modules compiled in. `robusta build` generates a module that imports the user's modules
 * statically and hands them here:
 *
 *   import * as m0 from "./playbooks/index.ts";
 *   const runner = builtRunner(import.meta.url, [m0]);
 *   export const playbooks = runner.playbooks, actions = runner.actions, describe = runner.describe;
 *
 * The bundle is therefore itself a playbook module (it exports `playbooks` and `actions`), and the
 * commands that take playbook modules (`run`, `validate`, `demo`, `simulate`, `manifests`) are given the bundle: the CLI
 * loads it as it loads any module, by path, and nothing else has to know it is built.
 */
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { collectActions, collectPlaybooks, type AnyAction, type PlaybookDefinition } from "@robusta-ts/sdk";
import { main } from "../../cli/main.js";
import { describePlaybooks, type PlaybooksManifest } from "./manifest.js";

/** What the generated module exports. */
export interface BuiltRunner {
  /** The playbooks of the user's modules, in module order. */
  readonly playbooks: readonly PlaybookDefinition[];
  readonly actions: readonly AnyAction[];
  /** The manifest's playbook part, computed with the bundle's own SDK (what `robusta build` writes). */
  describe(): PlaybooksManifest;
}

/**
 * The commands that take playbook modules after their other positional arguments, and the options
 * of theirs that take a value (so that value is not taken for a positional argument).
 */
const MODULE_COMMANDS: Readonly<Record<string, { readonly required: number; readonly valueOptions: readonly string[] }>> = {
  run: { required: 0, valueOptions: ["config", "findings-file", "port"] },
  demo: { required: 0, valueOptions: ["findings-file", "port"] },
  // validate FILE [MODULE...], simulate FIXTURE [MODULE...]: without FILE the bundle would be taken for it.
  validate: { required: 1, valueOptions: [] },
  simulate: { required: 1, valueOptions: ["config"] },
  // The ClusterRole is computed from the playbooks: the built-in code ones must be counted.
  manifests: { required: 0, valueOptions: [] },
};

/** The command line with the bundle added as a playbook module where the command takes modules. */
export function withBundleModule(argv: readonly string[], bundle: string): string[] {
  const [command, ...rest] = argv;
  const spec = command === undefined ? undefined : MODULE_COMMANDS[command];
  if (!spec) return [...argv];
  const { positionals } = parseArgs({
    args: rest,
    strict: false,
    allowPositionals: true,
    options: Object.fromEntries(spec.valueOptions.map((name) => [name, { type: "string" as const }])),
  });
  // Leave a missing FILE to the command's own usage error.
  return positionals.length >= spec.required ? [...argv, bundle] : [...argv];
}

/** Whether `url` is the module Node was started with (`node dist/runner.mjs ...`), not one imported by another program. */
function isMainModule(url: string): boolean {
  const started = process.argv[1];
  if (started === undefined) return false;
  try {
    return realpathSync(resolve(started)) === realpathSync(fileURLToPath(url));
  } catch {
    return false;
  }
}

/**
 * Collects the modules' playbooks and actions and, when the bundle is the program being run, runs
 * the CLI on process.argv. Imported by `robusta build` (to describe it), it runs nothing.
 */
export function builtRunner(url: string, modules: readonly Readonly<Record<string, unknown>>[]): BuiltRunner {
  const playbooks = modules.flatMap((exports) => collectPlaybooks(exports));
  const actions = [...new Set(modules.flatMap((exports) => collectActions(exports)))];
  if (isMainModule(url)) {
    // Not awaited: the module must finish evaluating before the CLI imports it back as a playbook module.
    void main(withBundleModule(process.argv.slice(2), fileURLToPath(url))).then((code) => {
      process.exitCode = code;
    });
  }
  return { playbooks, actions, describe: () => describePlaybooks(playbooks, actions) };
}
