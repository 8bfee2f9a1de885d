/**
 * Triggers say when a playbook runs. A trigger type is data plus a pure `fires` function; a
 * trigger instance is `{ name, params }`, the same whether it came from a decorator, from
 * `definePlaybook` or from YAML (`- on_pod_crash_loop: {restart_count: 3}`).
 */
import { z } from "zod";
import type { Context } from "../context.js";
import type { EventClass } from "../events/classes.js";
import type { BaseEvent, HelmReleaseEvent, KubernetesChangeEvent, PrometheusAlertEvent, ScheduledEvent } from "../events/model.js";
import { snakeKeys, type CamelKeys } from "../util/case.js";
import { recordTrigger } from "../playbooks/metadata.js";

/** What the engine matches triggers against: a change, an alert, a scheduled tick, or a Helm release seen. */
export type IncomingEvent = KubernetesChangeEvent | PrometheusAlertEvent | ScheduledEvent | HelmReleaseEvent;

/** What a trigger may consult while deciding to fire. */
export interface TriggerEnv {
  /** Identifies the playbook, for rate-limit keys. */
  readonly playbook: string;
  readonly now: Date;
  /** Robusta's `RateLimiter.mark_and_test`: true (and marks) when `key` did not fire in the last `seconds`. */
  markAndTest(key: string, seconds: number): boolean;
  /** The cluster's detected provider ("GKE", "EKS", …), for on_prometheus_alert's k8s_providers; absent when unknown. */
  readonly clusterProvider?: string;
  /**
   * When the runner started (Robusta's ServerStart): on_helm_release_fail and _deploy fire only
   * for releases deployed since. Absent: every release counts as deployed since.
   */
  readonly startedAt?: Date;
}

/** A kind of trigger: its YAML name, its parameters and when it fires. */
export interface TriggerType<Name extends string = string, Schema extends z.ZodType = z.ZodType, E extends BaseEvent = BaseEvent> {
  /** The YAML name, e.g. "on_pod_crash_loop". */
  readonly name: Name;
  /** What one-line help and the reference docs say about it. */
  readonly description: string;
  /** Where its events come from. */
  readonly source: IncomingEvent["source"];
  /** The Kubernetes kinds that must be watched for it to fire (empty for alerts and schedules). */
  readonly kinds: readonly string[];
  /**
   * The kinds to watch for these parameters, when they depend on them (on_kubernetes_resource_operation's
   * `resources`, a custom resource trigger's `kind`); the engine uses it instead of `kinds`.
   */
  kindsOf?(params: z.output<Schema>): readonly string[];
  /** The custom resources ("group/version/plural") to watch for these parameters; their kinds come from `kindsOf`. */
  customResourcesOf?(params: z.output<Schema>): readonly string[];
  /** The event it hands to the playbook. */
  readonly eventClass: EventClass<E>;
  /** Parameters, snake_case, with Robusta's defaults. */
  readonly params: Schema;
  /** The event to run the playbook with, or undefined when it does not fire. */
  fires(incoming: IncomingEvent, params: z.output<Schema>, env: TriggerEnv): E | undefined;
}

/** A trigger instance: a trigger type's name and the parameters given to it (snake_case, as written). */
export interface TriggerSpec {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A playbook method: what a trigger decorator can be put on. */
export type TriggerHandler<E> = (event: E, ctx: Context) => unknown;

/**
 * A trigger, ready to use: as a decorator on a playbook method (`@onPodCrashLoop()`), or in the
 * `triggers` list of `definePlaybook`. The method's event parameter must accept `E`.
 */
export interface Trigger<E extends BaseEvent = BaseEvent> {
  (method: TriggerHandler<E>, context: ClassMethodDecoratorContext): void;
  readonly spec: TriggerSpec;
  /** Type-only: the event this trigger produces. Never set. */
  readonly __event?: E;
}

/** The event type a trigger, or a list of triggers, produces. */
export type EventOf<T> = T extends readonly (infer U)[] ? EventOf<U> : T extends Trigger<infer E> ? E : never;

/** Parameters as a TypeScript caller writes them: camelCase, every one optional where it has a default. */
export type TriggerParams<Schema extends z.ZodType> = CamelKeys<z.input<Schema>>;

/** Makes the camelCase factory of a trigger type (`onPodCrashLoop`) from its definition. */
export function triggerFactory<Name extends string, Schema extends z.ZodType, E extends BaseEvent>(
  type: TriggerType<Name, Schema, E>,
): (params?: TriggerParams<Schema>) => Trigger<E> {
  return (params) => {
    const spec: TriggerSpec = Object.freeze({ name: type.name, params: Object.freeze(snakeKeys(params ?? {})) });
    // Validate now, so a bad parameter fails where the decorator is written, not at first event.
    parseTriggerParams(type, spec.params);
    const decorator = (method: TriggerHandler<E>, context: ClassMethodDecoratorContext) =>
      recordTrigger(method, context, spec);
    return Object.assign(decorator, { spec }) as Trigger<E>;
  };
}

/** Thrown when trigger parameters are invalid; the message names the trigger and the parameter. */
export class TriggerParamsError extends Error {
  constructor(
    readonly trigger: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(`Invalid parameters for trigger ${trigger}: ${issues.map((i) => `${i.path || "(params)"}: ${i.message}`).join("; ")}`);
    this.name = "TriggerParamsError";
  }
}

/** Validates and fills in defaults. */
export function parseTriggerParams<Schema extends z.ZodType>(
  type: TriggerType<string, Schema, BaseEvent>,
  params: unknown,
): z.output<Schema> {
  const result = type.params.safeParse(params ?? {});
  if (!result.success) {
    throw new TriggerParamsError(
      type.name,
      result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    );
  }
  return result.data;
}
