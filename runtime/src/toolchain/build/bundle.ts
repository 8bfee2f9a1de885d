/**
 * The bundle: the user's playbook modules and the runtime in one ESM file for Node, with a source
 * map. It must run from a directory with no node_modules (the runner image holds only dist/), so
 * every package is bundled, and what cannot be is refused here rather than at the image's start.
 */
import { isBuiltin } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildFailure, Message, Metafile, Plugin } from "esbuild";
import { playbookBundleOptions } from "../esbuild-options.js";
import { forbiddenImports } from "./forbidden-imports.js";
import { BuildError, displayPath, type Project } from "./project.js";

/** The runtime's side of the bundle; imported by absolute path so the runtime running the build is the one bundled. */
const RUNNER_ENTRY = fileURLToPath(new URL("./runner-entry.ts", import.meta.url));

const ENTRY_NAMESPACE = "robusta-runner";
const STUB_NAMESPACE = "robusta-unavailable";

/**
 * The build toolchain (esbuild's native binary, TypeScript, tsx) only serves commands a built
 * runner never runs: left out of the bundle. If runtime code ever imported them statically, the
 * check after bundling says so.
 */
const TOOLCHAIN_PACKAGES = ["esbuild", "tsx", "typescript", "vite"];

/** Optional dependencies that packages require inside try/catch (ws's native speed-ups). */
const OPTIONAL_PACKAGES = new Set(["bufferutil", "utf-8-validate"]);

/** The generated entry: the user's modules imported statically, handed to the runtime's entry. */
export function runnerEntrySource(entries: readonly string[]): string {
  const imports = entries.map((entry, i) => `import * as m${i} from ${JSON.stringify(entry)};`);
  return [
    ...imports,
    `import { builtRunner } from ${JSON.stringify(RUNNER_ENTRY)};`,
    `const runner = builtRunner(import.meta.url, [${entries.map((_, i) => `m${i}`).join(", ")}]);`,
    "export const playbooks = runner.playbooks;",
    "export const actions = runner.actions;",
    "export const describe = runner.describe;",
    "",
  ].join("\n");
}

/** Serves the generated entry, swaps packages that read files next to themselves for their self-contained builds, and leaves out `robusta build` and `dev`. */
function runnerPlugin(project: Project): Plugin {
  return {
    name: "robusta:runner",
    setup(build) {
      build.onResolve({ filter: /^robusta:runner$/ }, () => ({ path: "runner-entry", namespace: ENTRY_NAMESPACE }));
      build.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, () => ({
        contents: runnerEntrySource(project.entries),
        loader: "ts",
        resolveDir: project.dir,
      }));
      // @platformatic/kafka's compression reads native.wasm from beside its module; the /bundled build inlines it.
      build.onResolve({ filter: /^@platformatic\/wasm-utils$/ }, (args) =>
        build.resolve("@platformatic/wasm-utils/bundled", { kind: args.kind, resolveDir: args.resolveDir }),
      );
      // The commands that compile TypeScript (build, dev) need esbuild's native binary, which a built runner neither has nor needs.
      build.onResolve({ filter: /^\.\/(build|dev)\.js$/ }, (args) =>
        /[\\/]cli[\\/]main\.ts$/.test(args.importer) ? { path: args.path, namespace: STUB_NAMESPACE, pluginData: args.path.slice(2, -3) } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: STUB_NAMESPACE }, (args) => ({
        contents: unavailableCommand(String(args.pluginData)),
        loader: "js",
      }));
    },
  };
}

/** A CLI command a built runner does not have: it says where to run it instead. */
function unavailableCommand(command: string): string {
  const message = `robusta ${command} is not part of a built runner: run it in the playbook project (npx robusta ${command})`;
  return `export async function ${command}() { throw new Error(${JSON.stringify(message)}); }\n`;
}

/** What came of bundling. */
export interface BundleResult {
  readonly outfile: string;
  readonly bytes: number;
  readonly mapBytes: number;
  /** Packages left out that the bundle may ask for at run time (optional ones aside). */
  readonly warnings: readonly string[];
}

/** esbuild's message as a compiler writes it: "playbooks/util.ts:3:7: error: ...". */
export function formatMessage(message: Message, kind: "error" | "warning" = "error"): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: ` : "";
  const line = message.location?.lineText ? `\n    ${message.location.lineText.trim()}` : "";
  return `${where}${kind}: ${message.text}${line}`;
}

/** Non-builtin imports the bundle leaves to run time, with who imports them. */
function externalImports(metafile: Metafile, outfile: string): { path: string; kind: string; importers: string[] }[] {
  const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith(".mjs"))?.[1];
  if (!output) throw new Error(`esbuild wrote no ${outfile}`);
  const found = new Map<string, { path: string; kind: string; importers: string[] }>();
  for (const { path, kind, external } of output.imports) {
    if (!external || isBuiltin(path)) continue;
    const key = `${kind}:${path}`;
    if (!found.has(key)) found.set(key, { path, kind, importers: [] });
  }
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    for (const item of imports) {
      if (!item.external) continue;
      found.get(`${item.kind}:${item.path}`)?.importers.push(input);
    }
  }
  return [...found.values()];
}

/** Bundles the project's playbooks with the runtime into `outdir`/runner.mjs (+ .map). */
export async function bundleRunner(project: Project): Promise<BundleResult> {
  // Loaded here, not at the top: the CLI module graph (bundled into every runner) must not import esbuild.
  const esbuild = await import("esbuild");
  const outfile = join(project.outdir, "runner.mjs");
  const base = playbookBundleOptions("robusta:runner", outfile);
  let result;
  try {
    result = await esbuild.build({
      ...base,
      absWorkingDir: project.dir,
      external: TOOLCHAIN_PACKAGES,
      // Names are kept: playbook names default to "Class.method", and error names are what logs show.
      minify: true,
      keepNames: true,
      // Node maps stack traces with the mappings alone; the sources stay in the repository, not in the image.
      sourcesContent: false,
      metafile: true,
      logLevel: "silent",
      plugins: [forbiddenImports(project.dir), runnerPlugin(project)],
    });
  } catch (error) {
    const failure = error as Partial<BuildFailure>;
    if (!Array.isArray(failure.errors)) throw error;
    throw new BuildError(`cannot bundle the playbooks:\n${failure.errors.map((m) => `  ${formatMessage(m)}`).join("\n")}`);
  }
  const externals = externalImports(result.metafile, outfile);
  const fatal = externals.filter((e) => e.kind === "import-statement");
  if (fatal.length > 0) {
    throw new BuildError(
      `the bundle would import packages that are not in it, and fail to start in the runner image:\n${fatal
        .map((e) => `  ${e.path}, imported by ${e.importers.map((i) => displayPath(project, join(project.dir, i))).join(", ") || "(unknown)"}`)
        .join("\n")}\nload them with a dynamic import() on the code path that needs them`,
    );
  }
  const warnings = externals
    .filter((e) => !OPTIONAL_PACKAGES.has(e.path))
    .map((e) => `${e.path} is not bundled; ${e.importers.join(", ") || "the bundle"} loads it at run time, where the runner image does not have it`);
  const outputs = result.metafile.outputs;
  const bytesOf = (suffix: string) => Object.entries(outputs).find(([file]) => file.endsWith(suffix))?.[1].bytes ?? 0;
  return { outfile, bytes: bytesOf("runner.mjs"), mapBytes: bytesOf("runner.mjs.map"), warnings };
}
