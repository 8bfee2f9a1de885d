/** What to run after gen-config: create the Secret (its values only ever printed), then install. */
import type { Answers } from "./answers.js";
import { secretsOf } from "./values.js";

/** A word the shell passes through unchanged. */
export const shellQuote = (text: string): string => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/**
 * `kubectl create secret generic ...` for the sinks' secrets: with their values where known,
 * placeholders (`<main_slack_sink api_key>`) where not. Undefined when no sink has a secret.
 */
export function secretCommand(answers: Answers): string | undefined {
  const secrets = secretsOf(answers);
  if (secrets.length === 0) return undefined;
  const namespace = answers.namespace !== undefined ? ` --namespace ${answers.namespace}` : "";
  const literals = secrets.map((secret) => `--from-literal=${secret.variable}=${shellQuote(secret.value ?? `<${secret.sinkName} ${secret.param.key}>`)}`);
  return [`kubectl create secret generic ${answers.secretName}${namespace}`, ...literals].join(" \\\n    ");
}

/** The closing message: the Secret to create, and the install command. */
export function nextSteps(answers: Answers, file: string | undefined): string {
  const lines: string[] = [];
  const command = secretCommand(answers);
  if (command) {
    const placeholders = secretsOf(answers).some((secret) => secret.value === undefined);
    lines.push(
      `The sinks' secrets are not in the values. Create the Secret they come from${answers.namespace ? "" : " in the namespace you install into"}` +
        `${placeholders ? ", replacing each <...>" : ""}:`,
      "",
      `  ${command}`,
      "",
    );
  }
  const namespace = answers.namespace !== undefined ? ` --namespace ${answers.namespace}` : "";
  lines.push("Install the chart with these values:", "", `  helm install robusta charts/robusta-ts${namespace} -f ${shellQuote(file ?? "VALUES_FILE")}`);
  if (answers.sinks.length === 0) lines.push("", "No sinks were set up: the runner prints its findings to its log. Add sinks with --sink TYPE[:NAME].");
  return `${lines.join("\n")}\n`;
}
