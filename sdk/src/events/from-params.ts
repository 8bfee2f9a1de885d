/**
 * Events for manual runs (`POST /api/trigger`, `robusta trigger`, a chat button), built from the
 * request's parameters as Robusta's `from_params` does: `name` and `namespace` name the pod,
 * deployment, job... the action needs, read from the cluster; `kind` too for any resource.
 */
import type { Cluster } from "../cluster.js";
import type { KubernetesObject } from "../kubernetes/objects.js";
import type { EventClassName } from "./classes.js";
import type { BaseEvent, ManualEvent, ResourceEvent } from "./model.js";

/** Why a manual run cannot start; `code` is stable for API clients. */
export class ManualTriggerError extends Error {
  constructor(
    readonly code: "ACTION_NOT_FOUND" | "NOT_MANUALLY_TRIGGERABLE" | "INVALID_PARAMS" | "RESOURCE_NOT_FOUND",
    message: string,
    /** For INVALID_PARAMS: each bad parameter. */
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "ManualTriggerError";
  }
}

/** The event types that carry one object, the kind it is, and the property it is carried under. */
const OBJECT_EVENTS: Partial<Record<EventClassName, { kind: string; property: string; namespaced: boolean }>> = {
  PodEvent: { kind: "Pod", property: "pod", namespaced: true },
  DeploymentEvent: { kind: "Deployment", property: "deployment", namespaced: true },
  ReplicaSetEvent: { kind: "ReplicaSet", property: "replicaSet", namespaced: true },
  DaemonSetEvent: { kind: "DaemonSet", property: "daemonSet", namespaced: true },
  StatefulSetEvent: { kind: "StatefulSet", property: "statefulSet", namespaced: true },
  JobEvent: { kind: "Job", property: "job", namespaced: true },
  NodeEvent: { kind: "Node", property: "node", namespaced: false },
};

/** Kinds with no namespace, for `kind=` runs of resource actions. */
const CLUSTER_SCOPED = new Set(["Node", "Namespace", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "StorageClass"]);

/** The request parameters that name the event's object, per event type; empty for events without one. */
export function eventParamNames(eventClass: EventClassName): string[] {
  if (eventClass === "ResourceEvent") return ["kind", "name", "namespace"];
  const spec = OBJECT_EVENTS[eventClass];
  if (spec) return spec.namespaced ? ["name", "namespace"] : ["name"];
  return [];
}

/** Whether actions needing this event type can be run by hand. Change, alert, schedule and Helm events cannot. */
export function isManuallyTriggerable(eventClass: EventClassName): boolean {
  return eventClass === "BaseEvent" || eventClass === "ManualEvent" || eventClass === "ResourceEvent" || OBJECT_EVENTS[eventClass] !== undefined;
}

const text = (params: Readonly<Record<string, unknown>>, key: string): string | undefined => {
  const value = params[key];
  return typeof value === "string" && value !== "" ? value : undefined;
};

/**
 * Builds the event a manually run action receives. Throws ManualTriggerError when a parameter
 * naming the object is missing or the object does not exist.
 */
export async function manualEvent(
  eventClass: EventClassName,
  params: Readonly<Record<string, unknown>>,
  cluster: Cluster,
  options: { id: string; source?: ManualEvent["source"] },
): Promise<BaseEvent> {
  const base: ManualEvent = { source: options.source ?? "manual", id: options.id, params };
  if (!isManuallyTriggerable(eventClass)) {
    throw new ManualTriggerError("NOT_MANUALLY_TRIGGERABLE", `actions that need a ${eventClass} cannot be run by hand: they need the change, alert or schedule that fires them`);
  }
  const spec = eventClass === "ResourceEvent" ? resourceSpec(params) : OBJECT_EVENTS[eventClass];
  if (!spec) return base;
  const name = text(params, "name");
  if (!name) throw new ManualTriggerError("INVALID_PARAMS", `name: required, the ${spec.kind} to run on`, [{ path: "name", message: `required: the ${spec.kind} to run on` }]);
  const namespace = spec.namespaced ? (text(params, "namespace") ?? "default") : undefined;
  const obj = await cluster.get(spec.kind, name, namespace);
  if (!obj) throw new ManualTriggerError("RESOURCE_NOT_FOUND", `${spec.kind} ${namespace ? `${namespace}/` : ""}${name} not found`);
  const withKind: KubernetesObject = obj.kind ? obj : { ...obj, kind: spec.kind };
  const event: ManualEvent & ResourceEvent = { ...base, obj: withKind };
  return { ...event, [spec.property]: withKind };
}

function resourceSpec(params: Readonly<Record<string, unknown>>): { kind: string; property: string; namespaced: boolean } {
  const kind = text(params, "kind");
  if (!kind) throw new ManualTriggerError("INVALID_PARAMS", "kind: required, the kind of the resource to run on (e.g. Deployment)", [{ path: "kind", message: "required: the kind of the resource to run on (e.g. Deployment)" }]);
  const known = Object.values(OBJECT_EVENTS).find((spec) => spec.kind === kind);
  return known ?? { kind, property: "obj", namespaced: !CLUSTER_SCOPED.has(kind) };
}
