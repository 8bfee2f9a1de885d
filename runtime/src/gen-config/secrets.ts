/**
 * Which sink parameters are secrets, and the environment variables that carry them. A secret is
 * never written into Helm values (they end up in the Helm release, readable by anyone who can
 * read the release): the values say `{{ env.NAME }}` and the runner gets NAME from a Secret.
 */

/** Parameter names that hold credentials: keys, tokens, passwords, and URLs that carry them. */
const SECRET_NAME = /(^|_)(key|token|secret|password|passwd|passphrase|authorization|credentials?|dsn|mailto|webhook_url)$/;

/** What a parameter's description says when its value is a credential (the sinks' own wording). */
const SECRET_DESCRIPTION = /never logged|keep it in a secret|holds the [\w' ]*token/i;

/** Whether a sink parameter holds a secret, judged from its name and its description. */
export function isSecretParam(key: string, description: string | undefined): boolean {
  return SECRET_NAME.test(key) || SECRET_DESCRIPTION.test(description ?? "");
}

/** `{{ env.NAME }}`, Robusta's reference to an environment variable. */
export const envReference = (name: string): string => `{{ env.${name} }}`;

const REFERENCE = /^{{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*}}$/;

/** The variable a value refers to, when the whole value is one `{{ env.NAME }}`. */
export function referencedVariable(value: unknown): string | undefined {
  return typeof value === "string" ? REFERENCE.exec(value.trim())?.[1] : undefined;
}

/**
 * The environment variable for a sink's secret: MAIN_SLACK_API_KEY for `api_key` of the sink
 * `main_slack_sink`. Names already in `taken` get a numeric suffix, so two sinks never share one.
 */
export function envVarName(sinkName: string, key: string, taken: ReadonlySet<string>): string {
  const base = sinkName
    .replace(/[_-]?sink$/i, "")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toUpperCase();
  const stem = `${/^[0-9]/.test(base) ? "SINK_" : ""}${base ? `${base}_` : ""}${key.toUpperCase()}`;
  let name = stem;
  for (let i = 2; taken.has(name); i++) name = `${stem}_${i}`;
  return name;
}
