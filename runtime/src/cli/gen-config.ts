/**
 * `robusta gen-config`: writes Helm values for the chart (cluster name, sinks, the runner image)
 * from flags, asking for what they leave out when a terminal can answer. Sink secrets are written
 * as `{{ env.NAME }}` references to a Secret, never inlined; the command to create that Secret
 * is printed instead.
 */
import { access, writeFile } from "node:fs/promises";
import { askSecretValues, gatherAnswers } from "../gen-config/answers.js";
import { nextSteps } from "../gen-config/next-steps.js";
import { readlinePrompter, type Prompter } from "../gen-config/prompter.js";
import { parseRequest } from "../gen-config/request.js";
import { buildValues, checkValues, renderValues, secretsOf } from "../gen-config/values.js";

/** Where gen-config reads answers and writes messages; the process's by default. */
export interface GenConfigIO {
  readonly input: NodeJS.ReadableStream;
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const processIO = (): GenConfigIO => ({ input: process.stdin, out: process.stdout, err: process.stderr, env: process.env });

/** CI=true (and any other value but "" / "false" / "0"), as CI services set it. */
const inCI = (env: GenConfigIO["env"]) => !["", "false", "0", undefined].includes(env.CI?.trim().toLowerCase());

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

export async function genConfig(args: readonly string[], io: GenConfigIO = processIO()): Promise<number> {
  const request = parseRequest(args);
  const toStdout = request.output === "-";
  // With the values on standard output, questions and messages go to standard error.
  const talk = toStdout ? io.err : io.out;
  const why = request.yes ? "--yes" : inCI(io.env) ? "CI is set" : (io.input as { isTTY?: boolean }).isTTY !== true ? "the input is not a terminal" : undefined;
  const interactive = why === undefined;
  const prompter: Prompter | undefined = interactive ? readlinePrompter(io.input, talk) : undefined;
  try {
    // Refuse before asking anything, so no answers are typed in vain.
    if (!toStdout && !request.overwrite && (await exists(request.output))) {
      const replace = prompter ? await prompter.confirm(`${request.output} exists. Replace it?`, false) : false;
      if (!replace) {
        io.err.write(`robusta: ${request.output} exists; pass --overwrite to replace it, or --output another file\n`);
        return 1;
      }
    }
    if (prompter) prompter.say("Writing Helm values for the robusta-ts chart. Every question has a flag: see robusta help.\n");
    const answers = await gatherAnswers(request, prompter, why);
    const text = renderValues(buildValues(answers), answers);
    checkValues(text, toStdout ? "(generated values)" : request.output, answers);
    if (prompter) await askSecretValues(prompter, secretsOf(answers));

    if (toStdout) {
      io.out.write(text);
    } else {
      await writeFile(request.output, text);
      talk.write(`Wrote ${request.output}.\n\n`);
    }
    talk.write(nextSteps(answers, toStdout ? undefined : request.output));
    return 0;
  } finally {
    prompter?.close();
  }
}
