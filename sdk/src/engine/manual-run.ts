/**
 * Running one action by hand (Robusta's `run_external_action`): the action by name, its event
 * built from the parameters, the run timed and accounted as in a playbook, its findings returned
 * for delivery. Problems a caller can fix are ManualTriggerErrors, raised before anything runs.
 */
import { ActionParamsError, parseActionParams } from "../actions/define.js";
import type { ActionRegistry } from "../actions/registry.js";
import type { Cluster } from "../cluster.js";
import type { Clock, GlobalConfig, Logger } from "../context.js";
import { eventParamNames, isManuallyTriggerable, manualEvent, ManualTriggerError } from "../events/from-params.js";
import type { BaseEvent } from "../events/model.js";
import type { BlockLimits } from "../findings/bounds.js";
import type { Finding, Severity } from "../findings/finding.js";
import { FindingsCollector } from "./findings-collector.js";
import { RunContext, type ActionRun } from "./run-context.js";

/** What to run. */
export interface ManualRunRequest {
  /** The action's YAML name, e.g. "logs_enricher". */
  readonly action: string;
  /** The action's parameters and those naming the event's object (name, namespace, kind), snake_case. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Where its findings go; default: the default sinks. */
  readonly sinks?: readonly string[];
  /** "callback" for a chat button press. */
  readonly source?: "manual" | "callback";
  /** The event's id; default: a random one. */
  readonly id?: string;
}

/** What a manual run came to. */
export interface ManualRunResult {
  readonly event: BaseEvent;
  readonly run: ActionRun;
  /** Findings per sink name. */
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
}

export interface ManualRunDeps {
  readonly actions: ActionRegistry;
  readonly cluster: Cluster;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly config: GlobalConfig;
  readonly fetch: typeof fetch;
  readonly defaultSinks: readonly string[];
  readonly actionTimeoutMs: number;
  readonly blockLimits: BlockLimits;
  readonly severityMap?: Readonly<Record<string, Severity>>;
}

export async function runManualAction(deps: ManualRunDeps, request: ManualRunRequest): Promise<ManualRunResult> {
  const action = deps.actions.get(request.action);
  if (!action) {
    throw new ManualTriggerError("ACTION_NOT_FOUND", `unknown action "${request.action}"; known actions: ${deps.actions.names().join(", ")}`);
  }
  const { definition } = action;
  if (!isManuallyTriggerable(definition.event.name)) {
    throw new ManualTriggerError(
      "NOT_MANUALLY_TRIGGERABLE",
      `${definition.name} needs a ${definition.event.name}: it runs only on the change, alert or schedule that fires it, not by hand`,
    );
  }
  const all = request.params ?? {};
  // The parameters naming the event's object go to the action too only when it declares them.
  const eventKeys = new Set(eventParamNames(definition.event.name));
  const own = Object.fromEntries(Object.entries(all).filter(([key]) => !eventKeys.has(key) || key in definition.params.shape));
  let params: unknown;
  try {
    params = parseActionParams(definition, own, deps.config);
  } catch (error) {
    if (!(error instanceof ActionParamsError)) throw error;
    throw new ManualTriggerError("INVALID_PARAMS", error.message, error.issues.map(({ path, message }) => ({ path: path || "(params)", message })));
  }
  const event = await manualEvent(definition.event.name, all, deps.cluster, {
    id: request.id ?? crypto.randomUUID(),
    ...(request.source !== undefined && { source: request.source }),
  });
  const collector = new FindingsCollector(() => deps.clock.now(), deps.severityMap);
  const ctx = new RunContext({
    playbook: `manual:${definition.name}`,
    event,
    sinks: request.sinks ?? deps.defaultSinks,
    collector,
    cluster: deps.cluster,
    logger: deps.logger.child({ action: definition.name, event: event.id, manual: true }),
    clock: deps.clock,
    config: deps.config,
    fetch: deps.fetch,
    actionTimeoutMs: deps.actionTimeoutMs,
    blockLimits: deps.blockLimits,
  });
  try {
    await ctx.runAction(definition.name, async () => definition.run(event, params, ctx));
  } finally {
    ctx.seal();
  }
  return { event, run: ctx.actions[0]!, findings: collector.result() };
}
