/**
 * Imports a playbook module afresh, for `robusta dev`'s reload. ESM caches modules by URL for the
 * life of the process, and a cache-busting query on the entry would still reuse its (cached)
 * relative imports. So the module and the files it imports by relative path are bundled with
 * esbuild (the compiler `robusta build` uses, with the same decorator lowering) into a new file
 * that is imported once; packages stay external, imported by their resolved path, so the SDK is
 * the very instance the runtime uses (playbook classes are recognised by identity).
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type BuildFailure, type Message, type Plugin } from "esbuild";
import { PLAYBOOK_TARGET, PLAYBOOK_TSCONFIG_RAW } from "../toolchain/esbuild-options.js";

/** One fresh import: the module's exports and the source files it was built from. */
export interface FreshModule {
  readonly exports: Record<string, unknown>;
  /** Absolute paths of the user's files bundled in (what to watch). */
  readonly inputs: readonly string[];
  /** False when the build came out as the last one of this entry did: the same exports are returned. */
  readonly changed: boolean;
}

const SKIP = Symbol("externalize");

/** Leaves packages out of the bundle, pointing at the file Node or Vite would load for them. */
const externalPackages: Plugin = {
  name: "robusta:external-packages",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === SKIP) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: SKIP });
      if (found.errors.length > 0) return { errors: found.errors };
      return { path: pathToFileURL(found.path).href, external: true };
    });
  },
};

/** "/abs/playbooks/index.ts:3:17: error: Unexpected \";\"", as editors and terminals link it. */
const formatMessage = (message: Message): string =>
  message.location ? `${resolve(message.location.file)}:${message.location.line}:${message.location.column + 1}: error: ${message.text}` : `error: ${message.text}`;

/** A module that does not compile; the message lists each error with its place. */
export class ModuleBuildError extends Error {
  constructor(entry: string, errors: readonly Message[]) {
    super(`${entry} does not compile:\n${errors.map(formatMessage).join("\n")}`);
    this.name = "ModuleBuildError";
  }
}

/** Builds fresh copies of playbook modules into a private temporary directory. */
export class FreshImporter {
  private dir: Promise<string> | undefined;
  private count = 0;
  /** The last build of each entry, so a save that changes nothing is not a reload. */
  private readonly last = new Map<string, { digest: string; module: FreshModule }>();

  /** Bundles `entry` (an absolute path to a TypeScript or JavaScript file) and imports the result. */
  async import(entry: string): Promise<FreshModule> {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      metafile: true,
      platform: "node",
      format: "esm",
      target: PLAYBOOK_TARGET,
      // Stack traces point at the user's files.
      sourcemap: "inline",
      logLevel: "silent",
      plugins: [externalPackages],
      // As the vitest plugin compiles them.
      tsconfigRaw: PLAYBOOK_TSCONFIG_RAW,
    }).catch((error: unknown) => {
      const errors = (error as Partial<BuildFailure>).errors;
      throw Array.isArray(errors) && errors.length > 0 ? new ModuleBuildError(entry, errors) : error;
    });
    const contents = result.outputFiles[0]!.contents;
    const digest = createHash("sha256").update(contents).digest("hex");
    const previous = this.last.get(entry);
    if (previous?.digest === digest) return { ...previous.module, changed: false };
    const dir = await (this.dir ??= mkdtemp(join(tmpdir(), "robusta-dev-")));
    const file = join(dir, `${++this.count}-${basename(entry).replace(/\.[^.]+$/, "")}.mjs`);
    await writeFile(file, contents);
    const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const inputs = Object.keys(result.metafile.inputs)
      .filter((input) => !input.includes("node_modules") && !input.includes(":"))
      .map((input) => resolve(input));
    const module = { exports, inputs, changed: true };
    this.last.set(entry, { digest, module });
    return module;
  }

  /** Removes the built files. */
  async close(): Promise<void> {
    const dir = this.dir;
    this.dir = undefined;
    if (dir) await rm(await dir, { recursive: true, force: true });
  }
}
