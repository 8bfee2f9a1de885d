/** Triggers on changes to Kubernetes objects, and the parameters they all share (Robusta's K8sBaseTrigger). */
import { z } from "zod";
import { EventClasses, type EventClass } from "../events/classes.js";
import type { KubernetesChangeEvent, Operation, PodChangeEvent } from "../events/model.js";
import type { KubernetesObject } from "../kubernetes/objects.js";
import type { IncomingEvent, TriggerType } from "./trigger.js";

/** Parameters of every Kubernetes trigger. */
export const kubernetesParams = z
  .object({
    name_prefix: z.string().optional().describe("Fire only for objects whose name starts with this."),
    namespace_prefix: z
      .string()
      .optional()
      .describe('Fire only for objects whose namespace starts with this (cluster-scoped objects have "").'),
    labels_selector: z
      .string()
      .regex(/^\s*[^=,!\s]+\s*=\s*[^=,]*(,\s*[^=,!\s]+\s*=\s*[^=,]*)*$/, 'must be "key=value,key2=value2" (exact matches only)')
      .optional()
      .describe('Fire only for objects with all these labels: "key=value,key2=value2" (exact match).'),
  })
  .strict();

export type KubernetesParams = z.output<typeof kubernetesParams>;

function labelsMatch(selector: string, labels: Readonly<Record<string, string>>): boolean {
  return selector.split(",").every((pair) => {
    const [key = "", value = ""] = pair.split("=").map((part) => part.trim());
    return labels[key] === value;
  });
}

/** Whether an object passes the common filters. */
export function objectMatches(obj: KubernetesObject, params: KubernetesParams): boolean {
  const meta = obj.metadata;
  if (params.name_prefix && !(meta?.name ?? "").startsWith(params.name_prefix)) return false;
  if (params.namespace_prefix && !(meta?.namespace ?? "").startsWith(params.namespace_prefix)) return false;
  if (params.labels_selector && !labelsMatch(params.labels_selector, meta?.labels ?? {})) return false;
  return true;
}

/** The change, if `incoming` is a change of `kind` with one of `operations` that passes the common filters. */
export function changeOf<E extends KubernetesChangeEvent>(
  incoming: IncomingEvent,
  kind: string,
  operations: readonly Operation[],
  params: KubernetesParams,
): E | undefined {
  if (incoming.source !== "kubernetes" || incoming.kind !== kind) return undefined;
  if (!operations.includes(incoming.operation) || !objectMatches(incoming.obj, params)) return undefined;
  return incoming as E;
}

const OPERATIONS = {
  create: ["create"],
  update: ["update"],
  delete: ["delete"],
  all_changes: ["create", "update", "delete"],
} as const satisfies Record<string, readonly Operation[]>;

type OperationName = keyof typeof OPERATIONS;

/** on_<kind>_create, _update, _delete and _all_changes for one kind. */
function kindTriggers<Prefix extends string, E extends KubernetesChangeEvent>(prefix: Prefix, kind: string, eventClass: EventClass<E>) {
  const make = <Op extends OperationName>(op: Op): TriggerType<`${Prefix}_${Op}`, typeof kubernetesParams, E> => ({
    name: `${prefix}_${op}`,
    description:
      op === "all_changes"
        ? `Fires when a ${kind} is created, updated or deleted.`
        : `Fires when a ${kind} is ${op === "create" ? "created" : op === "update" ? "updated" : "deleted"}.`,
    source: "kubernetes",
    kinds: [kind],
    eventClass,
    params: kubernetesParams,
    fires: (incoming, params) => changeOf<E>(incoming, kind, OPERATIONS[op], params),
  });
  return { create: make("create"), update: make("update"), delete: make("delete"), allChanges: make("all_changes") };
}

export const podTriggers = kindTriggers("on_pod", "Pod", EventClasses.PodChange as EventClass<PodChangeEvent>);
