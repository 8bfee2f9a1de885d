/**
 * Everything the values file needs, from the flags first and then, when a terminal is there to
 * answer, from questions about what the flags left out. Without one, every missing answer is
 * collected and reported at once, each with the flag that gives it.
 */
import type { z } from "zod";
import { UsageError } from "../cli/usage-error.js";
import type { SinkTypeName } from "../sinks/sinks-config.js";
import type { Prompter } from "./prompter.js";
import { clusterName, DEFAULT_SECRET_NAME, firstIssue, imageRef, kubernetesName, type Assignment, type GenConfigRequest, type ImageRef, type SinkRequest } from "./request.js";
import { envVarName, referencedVariable } from "./secrets.js";
import { parseParamValue, requiredParams, shortName, SINK_TYPE_NAMES, sinkParam, sinkParamKeys, sinkSummary, sinkTypeOf, type SinkParam } from "./sink-catalog.js";

/** A secret parameter of a sink: written as `{{ env.<variable> }}`, its value kept out of the file. */
export interface SecretAnswer {
  readonly sinkName: string;
  readonly type: SinkTypeName;
  readonly param: SinkParam;
  readonly variable: string;
  /** Known when given with --set or typed at the end; only ever printed, never written. */
  value?: string;
}

export interface SinkAnswer {
  readonly type: SinkTypeName;
  readonly name: string;
  /** The parameters that are not secrets, as written. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly secrets: readonly SecretAnswer[];
}

export interface Answers {
  readonly clusterName: string;
  readonly image: ImageRef;
  readonly sinks: readonly SinkAnswer[];
  readonly secretName: string;
  readonly envFromSecret: boolean;
  readonly namespace?: string;
}

/** Answers that were neither given nor could be asked: each names the flag that gives it. */
export class MissingAnswersError extends UsageError {
  constructor(
    readonly flags: readonly string[],
    why = "no terminal, --yes or CI is set",
  ) {
    super(`missing ${flags.length === 1 ? "an answer" : "answers"}, not asked (${why}): give ${flags.join(", ")}`);
    this.name = "MissingAnswersError";
  }
}

/** Asks until the answer parses, printing why it did not. */
async function askValid<T>(prompter: Prompter, question: string, schema: z.ZodType<T>, options: Parameters<Prompter["ask"]>[1] = {}): Promise<T> {
  let help = options.help;
  for (;;) {
    const answer = await prompter.ask(question, { ...options, ...(help !== undefined && { help }) });
    const parsed = schema.safeParse(answer);
    if (parsed.success) return parsed.data;
    prompter.say(`  ${firstIssue(parsed.error)}`);
    help = undefined;
  }
}

/** Asks which sinks to set up: a comma-separated list of types (or their numbers in the list). */
async function askSinks(prompter: Prompter): Promise<SinkRequest[]> {
  prompter.say("The runner sends its findings to sinks. These are available:");
  const width = Math.max(...SINK_TYPE_NAMES.map((type) => shortName(type).length));
  SINK_TYPE_NAMES.forEach((type, i) => prompter.say(`  ${String(i + 1).padStart(2)}. ${shortName(type).padEnd(width)}  ${sinkSummary(type)}`));
  for (;;) {
    const answer = await prompter.ask("Sinks to set up, comma-separated (none: findings only go to the runner's log)", { fallback: "" });
    const words = answer.split(/[\s,]+/).filter(Boolean);
    const types = words.map((word) => (/^\d+$/.test(word) ? SINK_TYPE_NAMES[Number(word) - 1] : sinkTypeOf(word)));
    const unknown = words.filter((_, i) => types[i] === undefined);
    if (unknown.length === 0) return types.map((type) => ({ type: type! }));
    prompter.say(`  Not a sink type: ${unknown.join(", ")}`);
  }
}

/** Default sink names are Robusta's: main_slack_sink, main_ms_teams_sink, ... */
function defaultName(type: SinkTypeName, taken: ReadonlySet<string>): string {
  const base = `main_${shortName(type)}_sink`;
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}

/** The sink an assignment's SINK names: a sink's name, or a type that exactly one sink has. */
function targetOf(assignment: Assignment, sinks: readonly { type: SinkTypeName; name: string }[]): number {
  const byName = sinks.findIndex((sink) => sink.name === assignment.sink);
  if (byName >= 0) return byName;
  const type = sinkTypeOf(assignment.sink);
  const ofType = sinks.flatMap((sink, i) => (sink.type === type ? [i] : []));
  if (ofType.length === 1) return ofType[0]!;
  const names = sinks.map((sink) => sink.name).join(", ") || "none";
  if (ofType.length > 1) throw new UsageError(`--set ${assignment.text}: there are ${ofType.length} ${type} sinks; name one (${names})`);
  throw new UsageError(`--set ${assignment.text}: no sink "${assignment.sink}" (the sinks are: ${names}); add it with --sink TYPE[:NAME]`);
}

interface Draft {
  readonly type: SinkTypeName;
  readonly name: string;
  readonly params: Record<string, unknown>;
  readonly secrets: Map<string, { param: SinkParam; value?: string; variable?: string }>;
}

function applyAssignment(draft: Draft, assignment: Assignment): void {
  const { key, value, text } = assignment;
  if (key === "name") throw new UsageError(`--set ${text}: name a sink with --sink TYPE:NAME`);
  const param = sinkParam(draft.type, key);
  if (!param) throw new UsageError(`--set ${text}: ${draft.type} has no parameter "${key}" (it has: ${sinkParamKeys(draft.type).join(", ")})`);
  const variable = referencedVariable(value);
  if (param.secret || variable !== undefined) {
    if (variable === undefined) {
      const parsed = parseParamValue(param, value);
      if (!parsed.ok) throw new UsageError(`--set ${draft.name}.${key}: ${parsed.message}`);
    }
    draft.secrets.set(key, { param, ...(variable === undefined ? { value } : { variable }) });
    return;
  }
  const parsed = parseParamValue(param, value);
  if (!parsed.ok) throw new UsageError(`--set ${text}: ${parsed.message}`);
  draft.params[key] = parsed.value;
}

/** Gathers the answers; `prompter` is undefined when nothing may be asked, `why` says why not. */
export async function gatherAnswers(request: GenConfigRequest, prompter: Prompter | undefined, why?: string): Promise<Answers> {
  const missing: string[] = [];

  let cluster = request.clusterName;
  if (cluster === undefined) {
    if (prompter) cluster = await askValid(prompter, "Cluster name (shown on every finding)", clusterName);
    else missing.push("--cluster-name NAME");
  }

  let image = request.image;
  if (image === undefined) {
    if (prompter) {
      image = await askValid(prompter, "Runner image your CI builds, REPO[:TAG]", imageRef, {
        help: "The image with your playbooks built in (`robusta build`), e.g. ghcr.io/acme/robusta-playbooks:1.0.0",
      });
    } else {
      missing.push("--image REPO[:TAG]");
    }
  }

  const requested = request.sinks.length === 0 && prompter ? await askSinks(prompter) : request.sinks;
  const drafts: Draft[] = [];
  const names = new Set<string>();
  for (const sink of requested) {
    let name = sink.name;
    if (name === undefined) {
      name = defaultName(sink.type, names);
      if (prompter) name = await askValid(prompter, `Name of the ${sink.type}`, sinkNameSchema(names), { fallback: name });
    } else if (names.has(name)) {
      throw new UsageError(`--sink ${sink.type}:${name}: the name "${name}" is used twice`);
    }
    names.add(name);
    drafts.push({ type: sink.type, name, params: {}, secrets: new Map() });
  }

  for (const assignment of request.assignments) applyAssignment(drafts[targetOf(assignment, drafts)]!, assignment);

  for (const draft of drafts) {
    for (const param of requiredParams(draft.type)) {
      if (Object.hasOwn(draft.params, param.key)) continue;
      if (param.secret) {
        if (!draft.secrets.has(param.key)) draft.secrets.set(param.key, { param });
      } else if (prompter) {
        draft.params[param.key] = await askParam(prompter, draft, param);
      } else {
        missing.push(`--set ${draft.name}.${param.key}=VALUE`);
      }
    }
  }

  const hasSecrets = drafts.some((draft) => draft.secrets.size > 0);
  let secretName = request.secretName ?? DEFAULT_SECRET_NAME;
  if (hasSecrets && request.secretName === undefined && prompter) {
    secretName = await askValid(prompter, "Secret that holds the sinks' tokens and keys", kubernetesName, { fallback: DEFAULT_SECRET_NAME });
  }

  if (missing.length > 0) throw new MissingAnswersError(missing, why);

  const taken = new Set<string>();
  const sinks = drafts.map((draft): SinkAnswer => {
    const secrets = [...draft.secrets.values()].map(({ param, value, variable }): SecretAnswer => {
      const name = variable ?? envVarName(draft.name, param.key, taken);
      taken.add(name);
      return { sinkName: draft.name, type: draft.type, param, variable: name, ...(value !== undefined && { value }) };
    });
    return { type: draft.type, name: draft.name, params: draft.params, secrets };
  });
  return {
    clusterName: cluster!,
    image: image!,
    sinks,
    secretName,
    envFromSecret: request.envFromSecret,
    ...(request.namespace !== undefined && { namespace: request.namespace }),
  };
}

/** A sink name: non-empty and not taken. */
function sinkNameSchema(taken: ReadonlySet<string>) {
  return clusterName.refine((name) => !taken.has(name), "another sink has this name");
}

async function askParam(prompter: Prompter, draft: Draft, param: SinkParam): Promise<unknown> {
  let help: string | undefined = param.description || undefined;
  for (;;) {
    const answer = await prompter.ask(`${draft.name} ${param.key}`, help === undefined ? {} : { help });
    const parsed = parseParamValue(param, answer);
    if (parsed.ok) return parsed.value;
    prompter.say(`  ${parsed.message}`);
    help = undefined;
  }
}

/** Offers to read the secrets' values, to print a ready kubectl command; empty answers keep placeholders. */
export async function askSecretValues(prompter: Prompter, secrets: readonly SecretAnswer[]): Promise<void> {
  const unknown = secrets.filter((secret) => secret.value === undefined);
  if (unknown.length === 0) return;
  const yes = await prompter.confirm(
    `Type the ${unknown.length === 1 ? "secret's value" : `${unknown.length} secrets' values`} now, for a ready-to-run kubectl command? (never written to the values file)`,
    false,
  );
  if (!yes) return;
  for (const secret of unknown) {
    let help: string | undefined = secret.param.description || undefined;
    for (;;) {
      const answer = await prompter.ask(`${secret.sinkName} ${secret.param.key} (hidden; empty: leave a placeholder)`, { hidden: true, ...(help !== undefined && { help }) });
      if (!answer) break;
      const parsed = parseParamValue(secret.param, answer);
      if (parsed.ok) {
        secret.value = answer;
        break;
      }
      prompter.say(`  ${parsed.message}`);
      help = undefined;
    }
  }
}

