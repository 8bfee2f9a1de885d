/** Runs the initializer in-process with fake streams, as a terminal or a pipe would drive it. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterEach } from "vitest";
import { main } from "../src/main.js";

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Text written to it, kept. */
class Capture extends Writable {
  text = "";
  isTTY: boolean;
  constructor(isTTY: boolean) {
    super();
    this.isTTY = isTTY;
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

/**
 * `tty`: both ends are terminals. `answers`: lines typed, then the input ends (undefined: it
 * never ends, so a question asked where none should be hangs the test instead of passing).
 */
export async function run(
  argv: string[],
  options: { cwd: string; tty?: boolean; env?: NodeJS.ProcessEnv; answers?: string[] },
): Promise<RunResult> {
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  if (options.answers) stdin.end(options.answers.map((line) => `${line}\n`).join(""));
  const stdout = new Capture(options.tty ?? false);
  const stderr = new Capture(false);
  const code = await main(argv, { stdin, stdout, stderr, env: options.env ?? {}, cwd: options.cwd });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "create-robusta-playbooks-"));
  made.push(dir);
  return dir;
}
