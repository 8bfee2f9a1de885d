/**
 * The Helm values gen-config writes, in the chart's layout (clusterName, sinksConfig, runner),
 * as commented YAML, checked with the runner's own configuration check before anything is written.
 */
import { ActionRegistry, builtinActions, formatProblemPath } from "@robusta-ts/sdk";
import { Document, isMap, isPair, isScalar, type Pair } from "yaml";
import { ConfigError, parseConfig } from "../config/load-config.js";
import type { Answers, SecretAnswer } from "./answers.js";
import { envReference } from "./secrets.js";
import { sinkParamKeys } from "./sink-catalog.js";

/** Every secret of every sink, in order. */
export const secretsOf = (answers: Answers): SecretAnswer[] => answers.sinks.flatMap((sink) => sink.secrets);

/** The values as plain data. Secrets appear only as `{{ env.NAME }}`. */
export function buildValues(answers: Answers): Record<string, unknown> {
  const sinksConfig = answers.sinks.map((sink) => {
    const given: Record<string, unknown> = { ...sink.params };
    for (const secret of sink.secrets) given[secret.param.key] = envReference(secret.variable);
    // The schema's order reads best: required keys come first there.
    const ordered = Object.fromEntries(sinkParamKeys(sink.type).flatMap((key) => (Object.hasOwn(given, key) ? [[key, given[key]]] : [])));
    return { [sink.type]: { name: sink.name, ...ordered } };
  });
  const secrets = secretsOf(answers);
  const env =
    secrets.length === 0
      ? {}
      : answers.envFromSecret
        ? { envFromSecret: answers.secretName }
        : {
            additional_env_vars: secrets.map((secret) => ({
              name: secret.variable,
              valueFrom: { secretKeyRef: { name: answers.secretName, key: secret.variable } },
            })),
          };
  return {
    clusterName: answers.clusterName,
    sinksConfig,
    runner: { image: { repository: answers.image.repository, ...(answers.image.tag !== undefined && { tag: answers.image.tag }) }, ...env },
  };
}

const COMMENTS: Record<string, string> = {
  clusterName: " Shown on every finding.",
  sinksConfig: " Where findings go. Secrets are {{ env.NAME }} references, filled from the Secret below.",
  runner: " The runner: your image with your playbooks built in (robusta build).",
};

/** The values as YAML with short comments. */
export function renderValues(values: Record<string, unknown>, answers: Answers): string {
  const doc = new Document(values);
  doc.commentBefore = " Helm values for the robusta-ts chart, written by `robusta gen-config`.\n No secret is written here: keep this file in git.";
  if (isMap(doc.contents)) {
    for (const item of doc.contents.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const comment = COMMENTS[String(item.key.value)];
      if (comment) (item as Pair<{ commentBefore?: string }>).key!.commentBefore = comment;
    }
  }
  const runner = doc.get("runner", true);
  if (isMap(runner)) {
    const envKey = runner.items.find((item) => isScalar(item.key) && ["additional_env_vars", "envFromSecret"].includes(String(item.key.value)));
    if (envKey && isScalar(envKey.key)) {
      envKey.key.commentBefore = ` The sinks' secrets, from the Secret ${answers.secretName} (create it with the kubectl command gen-config printed).`;
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** A stand-in for a secret whose value is not known, so that the rest can be checked. */
const PLACEHOLDER = "placeholder";

/**
 * Checks the values as the runner will at start, with each secret's value when known. Problems
 * with secrets whose values are not known are left out: only their placeholder was checked.
 * Throws ConfigError listing what is wrong.
 */
export function checkValues(text: string, file: string, answers: Answers): void {
  const env: Record<string, string> = {};
  const unchecked = new Set<string>();
  answers.sinks.forEach((sink, i) => {
    for (const secret of sink.secrets) {
      env[secret.variable] = secret.value ?? PLACEHOLDER;
      if (secret.value === undefined) unchecked.add(formatProblemPath(["sinksConfig", i, sink.type, secret.param.key]));
    }
  });
  try {
    parseConfig(text, file, { actions: new ActionRegistry(builtinActions), env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const issues = error.issues.filter((issue) => !unchecked.has(issue.path));
    if (issues.length > 0) throw new ConfigError(file, issues);
  }
}
