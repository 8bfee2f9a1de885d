/**
 * Where a playbook project's pieces are: its playbook entry modules (the `--entry` flag, else
 * package.json's "robusta": { "playbooks": ... }, else playbooks/index.ts) and the output directory.
 */
import { readFile, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { z } from "zod";

/** A problem with the project that the user fixes (no entry, a bad package.json): printed without a stack. */
export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BuildError";
  }
}

/** What `robusta build` is asked to build. Relative paths are relative to the current directory. */
export interface ProjectOptions {
  /** The playbook project (default: the current directory). */
  readonly dir?: string;
  /** Playbook entry modules, overriding package.json's. */
  readonly entries?: readonly string[];
  /** Where the bundle and manifest go (default: DIR/dist). */
  readonly outdir?: string;
}

/** A resolved project: absolute paths. */
export interface Project {
  readonly dir: string;
  /** The playbook entry modules, files (a directory stands for its index.ts). */
  readonly entries: readonly string[];
  readonly outdir: string;
}

const DEFAULT_ENTRY = "playbooks/index.ts";

/** The part of package.json `robusta build` reads. */
const packageJsonSchema = z.looseObject({
  robusta: z
    .looseObject({
      playbooks: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    })
    .optional(),
});

async function readPackageJson(dir: string): Promise<z.infer<typeof packageJsonSchema> | undefined> {
  const file = join(dir, "package.json");
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw new BuildError(`cannot read ${file}: ${error.code ?? error.message}`);
  });
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BuildError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = packageJsonSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BuildError(`${file}: ${issue?.path.join(".") || "(root)"}: ${issue?.message}; "robusta.playbooks" is a module path or a list of them`);
  }
  return parsed.data;
}

/** A module path to its file: a directory stands for its index.ts. */
async function entryFile(path: string, described: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new BuildError(`the playbook entry ${described} does not exist`);
  if (!info.isDirectory()) return path;
  const index = join(path, "index.ts");
  if (!(await stat(index).catch(() => undefined))?.isFile()) throw new BuildError(`the playbook entry ${described} is a directory without an index.ts`);
  return index;
}

/** Resolves the project's directory, entry modules and output directory. */
export async function resolveProject(options: ProjectOptions = {}): Promise<Project> {
  const dir = resolve(options.dir ?? ".");
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new BuildError(`the project directory ${options.dir ?? dir} does not exist`);
  let entries: string[];
  if (options.entries && options.entries.length > 0) {
    entries = await Promise.all(options.entries.map((entry) => entryFile(resolve(entry), entry)));
  } else {
    const configured = (await readPackageJson(dir))?.robusta?.playbooks;
    const paths = configured === undefined ? [DEFAULT_ENTRY] : typeof configured === "string" ? [configured] : configured;
    const from = configured === undefined ? "(the default; set another with --entry or package.json's robusta.playbooks)" : "(package.json's robusta.playbooks)";
    entries = await Promise.all(paths.map((path) => entryFile(resolve(dir, path), `${path} ${from}`)));
  }
  return { dir, entries, outdir: options.outdir !== undefined ? resolve(options.outdir) : join(dir, "dist") };
}

/** A path as the user knows it: relative to the project when inside it. */
export function displayPath(project: Pick<Project, "dir">, path: string): string {
  const rel = relative(project.dir, path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
}
