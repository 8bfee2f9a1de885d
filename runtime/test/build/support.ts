/**
 * Playbook projects for `robusta build` tests: a temporary directory laid out as a user's repo
 * (package.json, a strict tsconfig, playbooks/), whose node_modules is this workspace's, and the
 * CLI run as a user runs it.
 */
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../../", import.meta.url));
const cli = join(root, "runtime/bin/robusta.js");

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node ARGS` in `cwd` and collects its output. */
export function node(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The `robusta` CLI, from `cwd`. */
export const robusta = (args: readonly string[], cwd: string) => node([cli, ...args], cwd);

/** A playbook project in a new temporary directory: `files` by relative path, plus package.json, tsconfig.json and node_modules unless given. */
export async function makeProject(files: Readonly<Record<string, string>>, name = "robusta-build-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), name));
  const all: Record<string, string> = {
    "package.json": JSON.stringify({ name: "my-playbooks", private: true, type: "module" }, null, 2),
    // The workspace's compiler options (strict), for the project's own files only.
    "tsconfig.json": JSON.stringify({ extends: join(root, "tsconfig.base.json"), include: ["playbooks"] }, null, 2),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await symlink(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** A copy of one of examples/, as its own project. */
export async function exampleProject(example: string): Promise<string> {
  const dir = await makeProject({}, `robusta-build-${example}-`);
  await cp(join(root, "examples", example, "playbooks"), join(dir, "playbooks"), { recursive: true });
  return dir;
}

/** A directory with only the built runner in it, as the runner image has (and no node_modules anywhere above). */
export async function bareCopy(outdir: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "robusta-runner-"));
  for (const file of ["runner.mjs", "runner.mjs.map"]) await cp(join(outdir, file), join(dir, file));
  return dir;
}
