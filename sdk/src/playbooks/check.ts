/**
 * The load-time check of one playbook, shared by the engine and the runtime's config loader: every
 * trigger is known and its parameters valid, every named action exists, takes its parameters, and
 * accepts the event of every trigger of its playbook (Robusta only finds these at load, by
 * crash-looping). Problems carry paths inside the playbook's YAML shape, so the config loader can
 * point at the line.
 */
import { parseActionParams, ActionParamsError, type AnyAction } from "../actions/define.js";
import type { GlobalConfig } from "../context.js";
import { satisfies } from "../events/classes.js";
import { onScheduleType } from "../triggers/schedule.js";
import type { TriggerType } from "../triggers/trigger.js";
import type { PlaybookData } from "./playbook.js";

/** A path inside a playbook's YAML shape: ["triggers", 0, "on_pod_crash_loop", "restart_count"]. */
export type ProblemPath = readonly (string | number)[];

/** One thing wrong with a playbook. */
export interface PlaybookProblem {
  readonly path: ProblemPath;
  readonly message: string;
}

/** A checked trigger: its type and its parsed parameters. */
export interface CheckedTrigger {
  readonly type: TriggerType;
  readonly params: unknown;
}

/** A checked YAML action: the action and its parameters as written (globalConfig is merged at each call). */
export interface CheckedAction {
  readonly action: AnyAction;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface CheckResult {
  readonly triggers: readonly CheckedTrigger[];
  readonly actions: readonly CheckedAction[];
  readonly problems: readonly PlaybookProblem[];
}

/** What the check looks names up in. */
export interface CheckEnv {
  triggerType(name: string): TriggerType | undefined;
  action(name: string): AnyAction | undefined;
  readonly config: GlobalConfig;
}

const keys = (path: readonly PropertyKey[]) => path.map((key) => (typeof key === "number" ? key : String(key)));

/** Checks a playbook. `hasCode`: it is written in code, so it names no actions. */
export function checkPlaybook(data: PlaybookData, env: CheckEnv, hasCode: boolean): CheckResult {
  const problems: PlaybookProblem[] = [];
  const triggers: CheckedTrigger[] = [];
  const triggerAt: number[] = [];
  if (data.triggers.length === 0) problems.push({ path: ["triggers"], message: "a playbook needs at least one trigger" });
  data.triggers.forEach((spec, i) => {
    const type = env.triggerType(spec.name);
    if (!type) {
      problems.push({ path: ["triggers", i, spec.name], message: `unknown trigger "${spec.name}"` });
      return;
    }
    const parsed = type.params.safeParse(spec.params ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ path: ["triggers", i, spec.name, ...keys(issue.path)], message: issue.message });
      return;
    }
    triggers.push({ type, params: parsed.data });
    triggerAt.push(i);
  });

  if (triggers.filter(({ type }) => type.name === onScheduleType.name).length > 1) {
    // One schedule per playbook: its run count and state are kept by playbook.
    problems.push({ path: ["triggers"], message: "more than one on_schedule trigger; give a playbook one schedule" });
  }

  const actions: CheckedAction[] = [];
  if (hasCode) return { triggers, actions, problems };
  if (!data.actions?.length) {
    problems.push({ path: ["actions"], message: "a playbook needs at least one action" });
    return { triggers, actions, problems };
  }
  data.actions.forEach((spec, i) => {
    const entries = Object.entries(spec);
    if (entries.length !== 1) {
      problems.push({ path: ["actions", i], message: "name exactly one action, like {logs_enricher: {}}" });
      return;
    }
    const [name, raw] = entries[0]!;
    const action = env.action(name);
    if (!action) {
      problems.push({ path: ["actions", i, name], message: `unknown action "${name}"` });
      return;
    }
    const needs = action.definition.event.name;
    triggers.forEach(({ type }, t) => {
      if (!satisfies(type.eventClass.name, needs)) {
        problems.push({
          path: ["actions", i, name],
          message: `action ${name} needs a ${needs}, but trigger ${type.name} (triggers[${triggerAt[t]}]) gives a ${type.eventClass.name}`,
        });
      }
    });
    const params = { ...(raw ?? {}) };
    try {
      parseActionParams(action.definition, params, env.config);
    } catch (error) {
      if (!(error instanceof ActionParamsError)) throw error;
      for (const issue of error.issues) {
        const key = issue.segments[0];
        const fromGlobal = typeof key === "string" && !(key in params) && key in env.config;
        problems.push({ path: ["actions", i, name, ...keys(issue.segments)], message: `${issue.message}${fromGlobal ? " (the value comes from globalConfig)" : ""}` });
      }
      return;
    }
    actions.push({ action, params });
  });
  return { triggers, actions, problems };
}

/** "triggers[0].on_pod_crash_loop.restart_count" */
export function formatProblemPath(path: ProblemPath): string {
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? key : `.${key}`)).join("");
}
