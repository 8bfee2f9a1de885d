/**
 * Questions on a terminal, through node:readline/promises. The streams are injected, so tests
 * drive the whole interactive flow with plain streams. Lines are read through the interface's
 * async iterator, which buffers them: answers piped in before a question is asked are not lost.
 */
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";

export interface Prompter {
  /** Asks for a line; an empty answer gives `fallback` when there is one. */
  ask(question: string, options?: { readonly fallback?: string; readonly help?: string; readonly hidden?: boolean }): Promise<string>;
  /** Asks yes or no. */
  confirm(question: string, fallback: boolean): Promise<boolean>;
  /** Prints a line of explanation. */
  say(text: string): void;
  close(): void;
}

/** The input ended before every question was answered. */
export class InputEndedError extends Error {
  constructor() {
    super("the input ended before every question was answered");
    this.name = "InputEndedError";
  }
}

/** A Prompter on `input` and `output` (a terminal, or any streams). */
export function readlinePrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter {
  let muted = false;
  // Echo goes through this stream, so hidden answers (secrets) are not shown as they are typed.
  const echo = new Writable({
    write(chunk, encoding, done) {
      if (!muted) output.write(chunk, encoding);
      done();
    },
  });
  const terminal = (output as { isTTY?: boolean }).isTTY === true && (input as { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({ input, output: echo, terminal });
  const lines = rl[Symbol.asyncIterator]();
  // Piped input may end (closing the interface) while its lines still wait to be read.
  let closed = false;
  rl.once("close", () => (closed = true));

  async function line(prompt: string, hidden: boolean): Promise<string> {
    if (closed) {
      output.write(prompt);
    } else {
      rl.setPrompt(prompt);
      rl.prompt();
    }
    muted = hidden;
    try {
      const next = await lines.next();
      if (next.done) throw new InputEndedError();
      return next.value.trim();
    } finally {
      // A terminal echoes the Enter key, except while muted; piped answers are not echoed at all.
      if (!terminal || hidden) output.write("\n");
      muted = false;
    }
  }

  return {
    async ask(question, options = {}) {
      if (options.help) output.write(`${indent(options.help)}\n`);
      const suffix = options.fallback ? ` [${options.fallback}]` : "";
      const answer = await line(`${question}${suffix}: `, options.hidden === true);
      return answer || options.fallback || "";
    },
    async confirm(question, fallback) {
      for (;;) {
        const answer = (await line(`${question} [${fallback ? "Y/n" : "y/N"}]: `, false)).toLowerCase();
        if (!answer) return fallback;
        if (["y", "yes"].includes(answer)) return true;
        if (["n", "no"].includes(answer)) return false;
        output.write("  Answer y or n.\n");
      }
    },
    say(text) {
      output.write(`${text}\n`);
    },
    close() {
      rl.close();
    },
  };
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
