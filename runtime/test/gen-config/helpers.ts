/** Runs gen-config with streams in place of a terminal, in a temp directory. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { genConfig } from "../../src/cli/gen-config.js";

export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Collects what is written to a stream. */
function collector() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

/**
 * Runs `robusta gen-config args`. With `answers`, the input claims to be a terminal and the
 * answers are its lines; without, it is not a terminal.
 */
export async function runGenConfig(args: readonly string[], options: { answers?: readonly string[]; env?: Record<string, string> } = {}): Promise<Run> {
  const input = new PassThrough();
  if (options.answers) {
    Object.assign(input, { isTTY: true });
    input.end(options.answers.map((line) => `${line}\n`).join(""));
  } else {
    input.end();
  }
  const out = collector();
  const err = collector();
  const code = await genConfig(args, { input, out: out.stream, err: err.stream, env: options.env ?? {} });
  return { code, out: out.text(), err: err.text() };
}

/** A fresh directory, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; file: (name: string) => string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "gen-config-"));
  return { dir, file: (name) => join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}
