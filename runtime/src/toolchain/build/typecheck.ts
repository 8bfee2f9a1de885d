/**
 * The type check before a build, with the project's own TypeScript and tsconfig (the compiler and
 * settings its editor uses), so the build fails on exactly the errors the author sees.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { getTsconfig } from "get-tsconfig";
import { z } from "zod";
import { BuildError, displayPath, type Project } from "./project.js";

/** What came of the type check. */
export interface TypecheckResult {
  readonly ok: boolean;
  /** tsc's own output: its diagnostics, as it prints them. */
  readonly output: string;
  /** The tsconfig used, as the user knows it. */
  readonly tsconfig: string;
  readonly typescriptVersion: string;
}

const typescriptPackageSchema = z.object({
  version: z.string(),
  bin: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
});

/** The project's TypeScript: its version and the tsc script, resolved as the project's own imports would be. */
async function projectTypescript(project: Project): Promise<{ version: string; tsc: string }> {
  const require = createRequire(join(project.dir, "package.json"));
  let packageFile: string;
  try {
    packageFile = require.resolve("typescript/package.json");
  } catch {
    throw new BuildError(
      `TypeScript is not installed in ${project.dir}: install it (npm install --save-dev typescript) so the build can type-check, or pass --no-typecheck`,
    );
  }
  const parsed = typescriptPackageSchema.safeParse(JSON.parse(await readFile(packageFile, "utf8")));
  const bin = parsed.success ? (typeof parsed.data.bin === "string" ? parsed.data.bin : parsed.data.bin?.tsc) : undefined;
  if (!parsed.success || bin === undefined) throw new BuildError(`${packageFile} names no tsc executable: reinstall TypeScript, or pass --no-typecheck`);
  return { version: parsed.data.version, tsc: resolve(dirname(packageFile), bin) };
}

/** Runs `tsc --noEmit -p <tsconfig>` for the project: its tsconfig.json, or the nearest one above it. */
export async function typecheck(project: Project, options: { pretty?: boolean } = {}): Promise<TypecheckResult> {
  const found = getTsconfig(project.dir, "tsconfig.json");
  if (!found) {
    throw new BuildError(`no tsconfig.json in ${project.dir} or above it: add one (the scaffold's is strict), or pass --no-typecheck`);
  }
  const typescript = await projectTypescript(project);
  const args = [typescript.tsc, "--noEmit", "-p", found.path, "--pretty", String(options.pretty ?? false)];
  const output = await new Promise<{ code: number | null; text: string }>((resolveRun, reject) => {
    // tsc is a Node script (a launcher, for TypeScript 7): run it with this Node, whatever PATH says.
    const child = spawn(process.execPath, args, { cwd: project.dir, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolveRun({ code, text: Buffer.concat(chunks).toString("utf8") }));
  });
  return { ok: output.code === 0, output: output.text, tsconfig: displayPath(project, found.path), typescriptVersion: typescript.version };
}
