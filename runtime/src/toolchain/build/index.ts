/**
 * `robusta build`: type-check the playbook project, bundle its playbooks with the runtime into
 * dist/runner.mjs (+ source map), and write dist/manifest.json. The bundle is loaded once at the
 * end to describe itself, which also proves it starts.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { errorMessage, PlaybookLoadError } from "@robusta-ts/sdk";
import { LegacyDecoratorsError, assertStandardDecorators } from "../tsconfig-check.js";
import { bundleRunner } from "./bundle.js";
import { MANIFEST_VERSION, playbooksManifestSchema, type BuildManifest, type PlaybooksManifest } from "./manifest.js";
import { BuildError, displayPath, resolveProject, type ProjectOptions } from "./project.js";
import { typecheck } from "./typecheck.js";

export { BuildError, resolveProject, type Project, type ProjectOptions } from "./project.js";
export { buildManifestSchema, readManifest, MANIFEST_VERSION, type BuildManifest } from "./manifest.js";
export { forbiddenImportReason } from "./forbidden-imports.js";

export interface BuildOptions extends ProjectOptions {
  /** Skip the type check (esbuild strips types without checking them). */
  readonly typecheck?: boolean;
  /** Progress and the summary. */
  readonly out?: NodeJS.WritableStream;
  /** tsc's diagnostics and warnings. */
  readonly err?: NodeJS.WritableStream;
}

export interface BuildResult {
  readonly outfile: string;
  readonly manifestFile: string;
  readonly manifest: BuildManifest;
}

const RUNTIME_PACKAGE = new URL("../../../package.json", import.meta.url);

async function runtimeVersion(): Promise<string> {
  const json = JSON.parse(await readFile(RUNTIME_PACKAGE, "utf8")) as { version?: unknown };
  return typeof json.version === "string" ? json.version : "unknown";
}

/** Asks the bundle to describe its playbooks (with its own SDK: classes from another copy would not be recognised). */
async function describeBundle(outfile: string): Promise<PlaybooksManifest> {
  let exports: Record<string, unknown>;
  try {
    // A fresh URL each time: a rebuilt bundle in the same process must not come from the module cache.
    exports = (await import(`${pathToFileURL(outfile).href}?build=${Date.now()}`)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof Error && error.name === "PlaybookLoadError") throw new BuildError(error.message);
    throw new BuildError(`the bundle fails to start: ${errorMessage(error)}`);
  }
  if (typeof exports.describe !== "function") throw new BuildError(`${outfile} is not a runner bundle`);
  let described: unknown;
  try {
    described = (exports.describe as () => unknown)();
  } catch (error) {
    // Invalid trigger parameters, duplicate names, unknown triggers: what the runner would refuse at start.
    throw new BuildError(error instanceof Error && error.name === "PlaybookLoadError" ? error.message : `cannot describe the playbooks: ${errorMessage(error)}`);
  }
  return playbooksManifestSchema.parse(described);
}

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`);

/** Builds the runner; throws BuildError (or LegacyDecoratorsError) for what the user must fix. */
export async function buildRunner(options: BuildOptions = {}): Promise<BuildResult> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const project = await resolveProject(options);
  const show = (path: string) => displayPath(project, path);
  // Before anything: esbuild and tsc would compile legacy decorators into something else entirely.
  assertStandardDecorators(project.dir);

  if (options.typecheck !== false) {
    const checked = await typecheck(project, { pretty: (err as NodeJS.WriteStream).isTTY === true });
    if (!checked.ok) {
      err.write(checked.output.endsWith("\n") || checked.output === "" ? checked.output : `${checked.output}\n`);
      throw new BuildError(`type errors (tsc -p ${checked.tsconfig}): fix them, or build anyway with --no-typecheck`);
    }
    out.write(`Type-checked (TypeScript ${checked.typescriptVersion}, ${checked.tsconfig})\n`);
  }

  await mkdir(project.outdir, { recursive: true });
  const bundle = await bundleRunner(project);
  for (const warning of bundle.warnings) err.write(`warning: ${warning}\n`);
  const described = await describeBundle(bundle.outfile);
  if (described.playbooks.length === 0) {
    throw new BuildError(`${project.entries.map(show).join(", ")} export${project.entries.length === 1 ? "s" : ""} no playbook (a Playbook class or a definePlaybook result)`);
  }

  const manifestFile = join(project.outdir, "manifest.json");
  const manifest: BuildManifest = {
    manifestVersion: MANIFEST_VERSION,
    runtimeVersion: await runtimeVersion(),
    entries: project.entries.map((entry) => relative(project.dir, entry).split("\\").join("/")),
    runner: { file: "runner.mjs", sourceMap: "runner.mjs.map", bytes: bundle.bytes },
    ...described,
  };
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

  const list = (items: readonly string[]) => (items.length === 0 ? "none" : items.join(", "));
  out.write(
    [
      `Built ${show(bundle.outfile)} (${size(bundle.bytes)}; source map ${show(`${bundle.outfile}.map`)}, ${size(bundle.mapBytes)})`,
      `  playbooks: ${described.playbooks.map((p) => `${p.name} (${p.triggers.map((t) => t.name).join(", ")})`).join(", ")}`,
      `  actions:   ${list(described.actions.map((a) => a.name))}`,
      `  watches:   ${list([...described.watchedKinds, ...described.customResources])}`,
      `Wrote ${show(manifestFile)} (${described.rbac.rules.length} RBAC rules${described.rbac.writeActions.length > 0 ? `; write actions: ${described.rbac.writeActions.join(", ")}` : ""})`,
      `Run it: node --enable-source-maps ${show(bundle.outfile)} run --config values.yaml`,
      "",
    ].join("\n"),
  );
  return { outfile: bundle.outfile, manifestFile, manifest };
}

/** The command: builds, prints what the user must fix, returns the exit code. */
export async function buildCommand(options: BuildOptions): Promise<number> {
  const err = options.err ?? process.stderr;
  try {
    await buildRunner(options);
    return 0;
  } catch (error) {
    if (error instanceof BuildError || error instanceof LegacyDecoratorsError || error instanceof PlaybookLoadError) {
      err.write(`robusta build: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
