/**
 * Questions on a terminal. Lines are read through an async iterator rather than rl.question so
 * that answers typed (or piped) ahead of a question are kept, not dropped.
 */
import { createInterface } from "node:readline/promises";

/** The input ended before every question was answered (Ctrl-D). */
export class InputClosedError extends Error {
  /** @override */
  name = "InputClosedError";
  constructor() {
    super("cancelled: the input ended before every question was answered");
  }
}

/**
 * Whether questions may be asked: not with --yes, not in CI, and only when both ends are a terminal.
 * @param {{ yes: boolean, env: NodeJS.ProcessEnv, stdin: { isTTY?: boolean }, stdout: { isTTY?: boolean } }} context
 */
export function isInteractive({ yes, env, stdin, stdout }) {
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "0" && env.CI.toLowerCase() !== "false";
  return !yes && !ci && Boolean(stdin.isTTY) && Boolean(stdout.isTTY);
}

/** Asks questions one line at a time; answers are checked and asked again until valid. */
export class Prompter {
  /**
   * @param {NodeJS.ReadableStream} input
   * @param {NodeJS.WritableStream} output
   */
  constructor(input, output) {
    this.output = output;
    // terminal: false: the terminal echoes in its own (cooked) mode; we only read lines.
    this.rl = createInterface({ input, terminal: false });
    this.lines = this.rl[Symbol.asyncIterator]();
  }

  /**
   * @param {string} question
   * @param {string} defaultValue  used when the answer is empty
   * @param {(value: string) => string | undefined} [check]  says what is wrong with an answer
   * @returns {Promise<string>}
   */
  async text(question, defaultValue, check) {
    for (;;) {
      this.output.write(`${question} (${defaultValue}): `);
      const answer = (await this.#line()).trim() || defaultValue;
      const problem = check?.(answer);
      if (!problem) return answer;
      this.output.write(`  ${problem}\n`);
    }
  }

  /**
   * A numbered list; the answer is a number or a choice's name.
   * @param {string} question
   * @param {readonly { name: string, title: string }[]} choices
   * @param {string} defaultName
   * @returns {Promise<string>}
   */
  async choose(question, choices, defaultName) {
    this.output.write(`${question}\n`);
    choices.forEach((choice, i) => this.output.write(`  ${i + 1}. ${choice.name}: ${choice.title}\n`));
    return this.text("Choose a number or a name", defaultName, (answer) => {
      const byNumber = /^\d+$/.test(answer) ? choices[Number(answer) - 1] : undefined;
      if (byNumber || choices.some((c) => c.name === answer)) return undefined;
      return `answer 1 to ${choices.length}, or one of ${choices.map((c) => c.name).join(", ")}`;
    }).then((answer) => (/^\d+$/.test(answer) ? /** @type {{ name: string }} */ (choices[Number(answer) - 1]).name : answer));
  }

  /**
   * @param {string} question
   * @returns {Promise<boolean>}  false unless the answer starts with y
   */
  async confirm(question) {
    this.output.write(`${question} (y/N): `);
    return /^y/i.test((await this.#line()).trim());
  }

  close() {
    this.rl.close();
  }

  async #line() {
    const next = await this.lines.next();
    if (next.done) throw new InputClosedError();
    return next.value;
  }
}
