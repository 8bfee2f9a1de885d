/**
 * Reads the runner's configuration file and checks all of it before anything runs: its shape,
 * `{{ env.VAR }}` references, every playbook's triggers and actions (names, parameters, and that
 * each action accepts the event of each trigger of its playbook) and the sinks playbooks name.
 * Every problem is reported at once, with its YAML path and line.
 */
import { readFile } from "node:fs/promises";
import {
  checkPlaybook,
  formatProblemPath,
  triggerType as catalogTriggerType,
  type ActionRegistry,
  type AlertRelabel,
  type GlobalConfig,
  type PlaybookData,
  type PlaybookDefinition,
  type ProblemPath,
  type TriggerType,
} from "@robusta-ts/sdk";
import { BUILTIN_PLAYBOOKS, PRIORITY_BUILTIN_PLAYBOOKS } from "./builtin-playbooks.js";
import { substituteEnv, type MissingVariable } from "./env-substitution.js";
import { z } from "zod";
import { CHART_KEY_NOTES, CHART_ONLY_KEYS, configFileSchema, playbookSchema, type PlaybookConfig } from "./schema.js";
import { parseYaml, type YamlSource } from "./yaml-source.js";
import type { SinkConfig } from "../sinks/sinks-config.js";

/** One problem in a configuration file. */
export interface ConfigIssue {
  /** Where, as a YAML path: "customPlaybooks[0].triggers[0].on_pod_crash_loop.restart_count". */
  readonly path: string;
  readonly line?: number;
  readonly message: string;
}

/** The configuration is invalid; `issues` lists every problem. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(`${file} is invalid (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${issues.map((i) => `  ${formatIssue(file, i)}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** "values.yaml:14 customPlaybooks[0].actions[0].logs_enricher.tail: Expected number, received string" */
export function formatIssue(file: string, issue: ConfigIssue): string {
  return `${file}${issue.line !== undefined ? `:${issue.line}` : ""} ${issue.path || "(file)"}: ${issue.message}`;
}

/** A valid configuration, ready to run. */
export interface RunnerConfig {
  readonly clusterName?: string;
  readonly globalConfig: GlobalConfig;
  readonly sinks: readonly SinkConfig[];
  readonly alertRelabel: readonly AlertRelabel[];
  /** Every playbook to run, in order: priority built-ins, code, custom, named custom, built-ins. */
  readonly playbooks: readonly PlaybookDefinition[];
  /** Settings accepted but not used (chart-only values), and disabled names that match nothing. */
  readonly warnings: readonly string[];
}

/** What a configuration is checked against. */
export interface ConfigContext {
  /** Actions YAML playbooks may name: the built-in ones and those of the playbook modules. */
  readonly actions: ActionRegistry;
  /** Playbooks written in code, from the playbook modules. */
  readonly codePlaybooks?: readonly PlaybookDefinition[];
  /** Trigger types beyond the built-in catalog. */
  readonly triggerTypes?: readonly TriggerType[];
  /** For `{{ env.VAR }}`; default: the process environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** With no sinksConfig, findings are printed: a runner that says nothing looks broken. */
const DEFAULT_SINK: SinkConfig = { type: "console_sink", params: { name: "console", default: true, stop: false, dedup_interval: 0 } };

type Path = readonly (string | number)[];

const pathString = (path: Path) => formatProblemPath(path);

/** A playbook to run, with where it was written, for messages. */
interface Placed {
  readonly definition: PlaybookDefinition;
  /** Its YAML path, for a YAML playbook. */
  readonly at?: Path;
  /** Where it came from, for messages about playbooks with no YAML path. */
  readonly origin: string;
}

const toData = (name: string, playbook: PlaybookConfig): PlaybookData => ({
  name,
  triggers: playbook.triggers.map((entry) => {
    const [triggerName, params] = Object.entries(entry)[0]!;
    return { name: triggerName, params: params ?? {} };
  }),
  actions: playbook.actions,
  ...(playbook.sinks !== undefined && { sinks: playbook.sinks }),
  ...(playbook.stop !== undefined && { stop: playbook.stop }),
});

/** Substitutes env references where Robusta does: globalConfig, sink params and action params. */
function substituteAll(raw: Record<string, unknown>, env: ConfigContext["env"], missing: MissingVariable[]): Record<string, unknown> {
  const out = { ...raw };
  const vars = env ?? process.env;
  for (const key of ["globalConfig", "sinksConfig"]) {
    if (out[key] !== undefined) out[key] = substituteEnv(out[key], vars, missing, [key]);
  }
  const inActions = (playbook: unknown, at: Path): unknown => {
    if (playbook === null || typeof playbook !== "object" || !("actions" in playbook)) return playbook;
    return { ...playbook, actions: substituteEnv((playbook as { actions: unknown }).actions, vars, missing, [...at, "actions"]) };
  };
  for (const key of ["priorityBuiltinPlaybooks", "customPlaybooks", "builtinPlaybooks"]) {
    if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map((p, i) => inActions(p, [key, i]));
  }
  const named = out.namedCustomPlaybooks;
  if (named !== null && typeof named === "object" && !Array.isArray(named)) {
    out.namedCustomPlaybooks = Object.fromEntries(Object.entries(named).map(([name, p]) => [name, inActions(p, ["namedCustomPlaybooks", name])]));
  }
  return out;
}

/** A playbook list entry that is valid, with its index in the file. */
interface Listed {
  readonly index: number | string;
  readonly playbook: PlaybookConfig;
}

/** The file's settings; playbook lists keep only their valid entries, each with its place in the file. */
interface Sections {
  readonly clusterName?: string;
  readonly globalConfig: Record<string, unknown>;
  readonly sinksConfig: readonly SinkConfig[];
  readonly alertRelabel: readonly AlertRelabel[];
  readonly priorityBuiltinPlaybooks?: readonly Listed[];
  readonly customPlaybooks: readonly Listed[];
  readonly namedCustomPlaybooks: readonly Listed[];
  readonly builtinPlaybooks?: readonly Listed[];
  readonly disabledPlaybooks: readonly string[];
}

const PLAYBOOK_LISTS = ["priorityBuiltinPlaybooks", "customPlaybooks", "builtinPlaybooks"];

/**
 * Checks each setting, and each playbook of a list, on its own: one broken playbook or sink list
 * must not hide the problems of the others.
 */
function parseSections(raw: Record<string, unknown>, issues: ConfigIssue[], lineOf: YamlSource["lineOf"]): { config: Sections; sinksValid: boolean } {
  const shape = configFileSchema.shape;
  const report = (result: z.ZodSafeParseResult<unknown>, at: Path): boolean => {
    if (result.success) return true;
    for (const issue of result.error.issues) {
      const path = [...at, ...issue.path.map((key) => (typeof key === "number" ? key : String(key)))];
      // An unknown key reads best at the key itself: the typo is there.
      const unknown = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...path, key]) : [];
      if (unknown.length) for (const at of unknown) issues.push({ path: pathString(at), ...line(lineOf, at), message: "unknown setting" });
      else issues.push({ path: pathString(path), ...line(lineOf, path), message: issue.message });
    }
    return false;
  };
  /** The playbook, if valid; its problems reported otherwise. */
  const checked = (key: string, index: number | string, value: unknown): Listed[] => {
    const result = playbookSchema.safeParse(value);
    return report(result, [key, index]) && result.success ? [{ index, playbook: result.data }] : [];
  };
  const clean: Record<string, unknown> = {};
  const lists: Record<string, Listed[] | undefined> = {};
  let sinksValid = true;
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(shape, key)) {
      issues.push({ path: key, ...line(lineOf, [key]), message: "unknown setting" });
    } else if (PLAYBOOK_LISTS.includes(key) && Array.isArray(value)) {
      lists[key] = value.flatMap((playbook, index) => checked(key, index, playbook));
    } else if (key === "namedCustomPlaybooks" && value !== null && typeof value === "object" && !Array.isArray(value)) {
      lists[key] = Object.entries(value).flatMap(([name, playbook]) => checked(key, name, playbook));
    } else if (report(shape[key as keyof typeof shape].safeParse(value), [key])) {
      clean[key] = value;
    } else if (key === "sinksConfig") {
      sinksValid = false;
    }
  }
  const base = configFileSchema.parse(clean);
  return {
    config: {
      ...(base.clusterName !== undefined && { clusterName: base.clusterName }),
      globalConfig: base.globalConfig,
      sinksConfig: base.sinksConfig,
      alertRelabel: base.alertRelabel,
      ...(lists.priorityBuiltinPlaybooks && { priorityBuiltinPlaybooks: lists.priorityBuiltinPlaybooks }),
      customPlaybooks: lists.customPlaybooks ?? [],
      namedCustomPlaybooks: lists.namedCustomPlaybooks ?? [],
      ...(lists.builtinPlaybooks && { builtinPlaybooks: lists.builtinPlaybooks }),
      disabledPlaybooks: base.disabledPlaybooks,
    },
    sinksValid,
  };
}

/** The playbooks in run order, built-ins replaced by same-named playbooks and disabled ones left out. */
function arrange(config: Sections, code: readonly PlaybookDefinition[], issues: ConfigIssue[], warnings: string[], lineOf: YamlSource["lineOf"]): Placed[] {
  const yaml = (list: readonly Listed[], key: string): Placed[] =>
    list.map(({ index, playbook }) => {
      const at: Path = [key, index];
      const fallback = typeof index === "number" ? pathString(at) : index;
      return { definition: { data: toData(playbook.name ?? fallback, playbook) }, at, origin: pathString(at) };
    });
  const builtin = (list: readonly Listed[] | undefined, key: string, defaults: readonly PlaybookConfig[]): Placed[] =>
    list ? yaml(list, key) : defaults.map((p) => ({ definition: { data: toData(p.name!, p) }, origin: `built-in playbook ${p.name}` }));

  const priority = builtin(config.priorityBuiltinPlaybooks, "priorityBuiltinPlaybooks", PRIORITY_BUILTIN_PLAYBOOKS);
  const builtins = builtin(config.builtinPlaybooks, "builtinPlaybooks", BUILTIN_PLAYBOOKS);
  const own: Placed[] = [
    ...code.map((definition) => ({ definition, origin: `playbook ${definition.data.name} (code)` })),
    ...yaml(config.customPlaybooks, "customPlaybooks"),
    ...yaml(config.namedCustomPlaybooks, "namedCustomPlaybooks"),
  ];

  // A playbook of your own with a built-in's name takes the built-in's place.
  const seen = new Map<string, Placed>();
  const kept: Placed[] = [];
  for (const placed of own) {
    const name = placed.definition.data.name;
    const earlier = seen.get(name);
    if (earlier) {
      issues.push({ path: placed.at ? pathString([...placed.at, "name"]) : placed.origin, ...line(lineOf, placed.at, "name"), message: `playbook name "${name}" is also used by ${earlier.origin}` });
      continue;
    }
    seen.set(name, placed);
    const list = [priority, builtins].find((candidates) => candidates.some((b) => b.definition.data.name === name));
    if (list) list[list.findIndex((b) => b.definition.data.name === name)] = placed;
    else kept.push(placed);
  }

  const all = [...priority, ...kept, ...builtins];
  // Given built-in lists can still repeat a name among themselves.
  const first = new Map<string, Placed>();
  for (const placed of all) {
    const name = placed.definition.data.name;
    const earlier = first.get(name);
    if (earlier && earlier !== placed) {
      issues.push({ path: placed.at ? pathString([...placed.at, "name"]) : placed.origin, ...line(lineOf, placed.at, "name"), message: `playbook name "${name}" is also used by ${earlier.origin}` });
    }
    first.set(name, earlier ?? placed);
  }
  const names = new Set(first.keys());
  config.disabledPlaybooks.forEach((name, i) => {
    if (!names.has(name)) warnings.push(`disabledPlaybooks[${i}]: no playbook is named "${name}"`);
  });
  const disabled = new Set(config.disabledPlaybooks);
  return all.filter((p) => !disabled.has(p.definition.data.name));
}

const line = (lineOf: YamlSource["lineOf"], at: Path | undefined, ...rest: Path) => {
  const found = at ? lineOf([...at, ...rest]) : undefined;
  return found === undefined ? {} : { line: found };
};

/** Checks a configuration's text; throws ConfigError listing every problem. */
export function parseConfig(text: string, file: string, context: ConfigContext): RunnerConfig {
  const source = parseYaml(text);
  if (source.errors.length) throw new ConfigError(file, source.errors.map((e) => ({ path: "", line: e.line, message: e.message })));
  const raw = source.value ?? {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw new ConfigError(file, [{ path: "", message: "the configuration must be a mapping of settings, like a Helm values file" }]);

  const warnings: string[] = [];
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if ((CHART_ONLY_KEYS as readonly string[]).includes(key)) {
      const note = CHART_KEY_NOTES[key as keyof typeof CHART_KEY_NOTES];
      warnings.push(`${key}: a chart setting, ignored by the runner${note ? ` (${note})` : ""}`);
    } else {
      own[key] = value;
    }
  }

  const missing: MissingVariable[] = [];
  const substituted = substituteAll(own, context.env, missing);
  const issues: ConfigIssue[] = missing.map(({ path, variable }) => ({
    path: pathString(path),
    ...line(source.lineOf, path),
    message: `environment variable ${variable} is not set (referenced as {{ env.${variable} }})`,
  }));

  const { config, sinksValid } = parseSections(substituted, issues, source.lineOf);

  const playbooks = arrange(config, context.codePlaybooks ?? [], issues, warnings, source.lineOf);
  const extra = new Map((context.triggerTypes ?? []).map((type) => [type.name, type]));
  const globalConfig: GlobalConfig = { ...config.globalConfig, ...(config.clusterName !== undefined && { cluster_name: config.clusterName }) };
  const env = { triggerType: (name: string) => extra.get(name) ?? catalogTriggerType(name), action: (name: string) => context.actions.get(name), config: globalConfig };
  const sinks = config.sinksConfig.length > 0 || !sinksValid ? config.sinksConfig : [DEFAULT_SINK];
  const sinkNames = new Set(sinks.map((sink) => sink.params.name));
  for (const { definition, at, origin } of playbooks) {
    const where = (path: ProblemPath) => (at ? { path: pathString([...at, ...path]), ...line(source.lineOf, at, ...path) } : { path: `${origin}${path.length ? ` ${pathString(path)}` : ""}` });
    for (const problem of checkPlaybook(definition.data, env, definition.run !== undefined).problems) {
      issues.push({ ...where(problem.path), message: problem.message });
    }
    (definition.data.sinks ?? []).forEach((sink, i) => {
      if (sinksValid && !sinkNames.has(sink)) {
        issues.push({ ...where(["sinks", i]), message: `unknown sink "${sink}" (the sinks are: ${[...sinkNames].join(", ")})` });
      }
    });
  }
  if (issues.length) throw new ConfigError(file, issues);
  return {
    ...(config.clusterName !== undefined && { clusterName: config.clusterName }),
    globalConfig,
    sinks,
    alertRelabel: config.alertRelabel,
    playbooks: playbooks.map((p) => p.definition),
    warnings,
  };
}

/** Reads and checks a configuration file. */
export async function loadConfigFile(file: string, context: ConfigContext): Promise<RunnerConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(file, [{ path: "", message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
  return parseConfig(text, file, context);
}
