/** Triggers on changes to Kubernetes objects, and the parameters they all share (Robusta's K8sBaseTrigger). */
import { z } from "zod";
import { EventClasses, type EventClass } from "../events/classes.js";
import type {
  DaemonSetChangeEvent,
  DeploymentChangeEvent,
  EventChangeEvent,
  JobChangeEvent,
  KubernetesChangeEvent,
  NodeChangeEvent,
  Operation,
  PodChangeEvent,
  ReplicaSetChangeEvent,
  StatefulSetChangeEvent,
} from "../events/model.js";
import { diffObjects } from "../kubernetes/diff.js";
import { parsePath } from "../kubernetes/object-path.js";
import type { KubernetesObject } from "../kubernetes/objects.js";
import { kubernetesScope, scopeMatches } from "./scope.js";
import type { IncomingEvent, TriggerType } from "./trigger.js";

/**
 * `change_filters`: on updates, compare the old and new object without the `ignore` paths and
 * fire only when some changed path contains one of the `include` substrings.
 */
export const changeFilters = z
  .object({
    include: z
      .array(z.string())
      .optional()
      .describe('Fire only when the path of some change contains one of these, e.g. ["spec", "image"]. Absent: any change.'),
    ignore: z
      .array(
        z.string().superRefine((path, ctx) => {
          try {
            parsePath(path);
          } catch (error) {
            ctx.addIssue({ code: "custom", message: (error as Error).message });
          }
        }),
      )
      .optional()
      .describe('Paths left out of the comparison, e.g. ["status", "metadata.resourceVersion"].'),
  })
  .strict()
  .meta({ title: "change_filters" });

export type ChangeFilters = z.output<typeof changeFilters>;

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
    scope: kubernetesScope
      .optional()
      .describe("Fire only for objects these rules include and do not exclude, by name, namespace, labels, annotations and attributes (regexes)."),
    change_filters: changeFilters
      .optional()
      .describe("On updates, fire only when a field whose path contains an include substring changed, ignoring the ignore paths. The changes are on the event as filteredDiffs. Absent: no comparison."),
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
  if (params.scope) {
    const subject = { name: meta?.name ?? "", namespace: meta?.namespace ?? "", labels: meta?.labels ?? {}, annotations: meta?.annotations ?? {}, object: obj };
    if (!scopeMatches(params.scope, subject)) return false;
  }
  return true;
}

/**
 * The change with its `filteredDiffs`, or undefined when change_filters reject it. Only updates
 * are compared; creates and deletes pass with no diffs. A new event: the incoming one is shared.
 */
export function filterChange<E extends KubernetesChangeEvent>(change: E, filters: ChangeFilters | undefined): E | undefined {
  if (!filters) return change;
  if (change.operation !== "update") return { ...change, filteredDiffs: [] };
  // Without the old version, everything counts as changed.
  const diffs = diffObjects(change.oldObj ?? {}, change.obj, { kind: change.kind, ...(filters.ignore && { ignore: filters.ignore }) });
  const include = filters.include;
  const filteredDiffs = include ? diffs.filter((diff) => include.some((part) => diff.path.includes(part))) : diffs;
  return filteredDiffs.length > 0 ? { ...change, filteredDiffs } : undefined;
}

/** Stands for every kind in a trigger's `kinds`: the any-resource triggers. */
export const ANY_KIND = "*";

/**
 * The change, if `incoming` is a change of `kind` (or any kind) with one of `operations` that
 * passes the common filters and change_filters. Smart triggers call this before anything that
 * consumes a rate limit, so a change filtered out here never uses one up.
 */
export function changeOf<E extends KubernetesChangeEvent>(
  incoming: IncomingEvent,
  kind: string,
  operations: readonly Operation[],
  params: KubernetesParams,
): E | undefined {
  if (incoming.source !== "kubernetes" || (kind !== ANY_KIND && incoming.kind !== kind)) return undefined;
  if (!operations.includes(incoming.operation) || !objectMatches(incoming.obj, params)) return undefined;
  return filterChange(incoming as E, params.change_filters);
}

/** The operations of each trigger suffix: on_pod_create, …, on_pod_all_changes. */
export const OPERATIONS = {
  create: ["create"],
  update: ["update"],
  delete: ["delete"],
  all_changes: ["create", "update", "delete"],
} as const satisfies Record<string, readonly Operation[]>;

export type OperationName = keyof typeof OPERATIONS;

/** How descriptions say each operation. */
export const VERBS = { create: "created", update: "updated", delete: "deleted", all_changes: "created, updated or deleted" } as const;

/** on_<kind>_create, _update, _delete and _all_changes for one kind (Robusta §4.2). */
function kindTriggers<Prefix extends string, E extends KubernetesChangeEvent>(prefix: Prefix, kind: string, eventClass: EventClass<E>) {
  const what = kind === ANY_KIND ? "any watched Kubernetes object" : `a ${kind}`;
  const make = <Op extends OperationName>(op: Op): TriggerType<`${Prefix}_${Op}`, typeof kubernetesParams, E> => ({
    name: `${prefix}_${op}`,
    description: `Fires when ${what} is ${VERBS[op]}.`,
    source: "kubernetes",
    kinds: [kind],
    eventClass,
    params: kubernetesParams,
    fires: (incoming, params) => changeOf<E>(incoming, kind, OPERATIONS[op], params),
  });
  return { create: make("create"), update: make("update"), delete: make("delete"), allChanges: make("all_changes") };
}

export const podTriggers = kindTriggers("on_pod", "Pod", EventClasses.PodChange as EventClass<PodChangeEvent>);
export const replicaSetTriggers = kindTriggers("on_replicaset", "ReplicaSet", EventClasses.ReplicaSetChange as EventClass<ReplicaSetChangeEvent>);
export const daemonSetTriggers = kindTriggers("on_daemonset", "DaemonSet", EventClasses.DaemonSetChange as EventClass<DaemonSetChangeEvent>);
export const deploymentTriggers = kindTriggers("on_deployment", "Deployment", EventClasses.DeploymentChange as EventClass<DeploymentChangeEvent>);
export const statefulSetTriggers = kindTriggers("on_statefulset", "StatefulSet", EventClasses.StatefulSetChange as EventClass<StatefulSetChangeEvent>);
export const jobTriggers = kindTriggers("on_job", "Job", EventClasses.JobChange as EventClass<JobChangeEvent>);
export const nodeTriggers = kindTriggers("on_node", "Node", EventClasses.NodeChange as EventClass<NodeChangeEvent>);
export const eventTriggers = kindTriggers("on_event", "Event", EventClasses.EventChange as EventClass<EventChangeEvent>);

const generic = <Prefix extends string>(prefix: Prefix, kind: string) => kindTriggers(prefix, kind, EventClasses.KubernetesChange);
export const serviceTriggers = generic("on_service", "Service");
export const hpaTriggers = generic("on_horizontalpodautoscaler", "HorizontalPodAutoscaler");
export const clusterRoleTriggers = generic("on_clusterrole", "ClusterRole");
export const clusterRoleBindingTriggers = generic("on_clusterrolebinding", "ClusterRoleBinding");
export const namespaceTriggers = generic("on_namespace", "Namespace");
export const serviceAccountTriggers = generic("on_serviceaccount", "ServiceAccount");
export const persistentVolumeTriggers = generic("on_persistentvolume", "PersistentVolume");
export const persistentVolumeClaimTriggers = generic("on_persistentvolumeclaim", "PersistentVolumeClaim");
export const networkPolicyTriggers = generic("on_networkpolicy", "NetworkPolicy");
export const configMapTriggers = generic("on_configmap", "ConfigMap");
export const ingressTriggers = generic("on_ingress", "Ingress");
export const secretTriggers = generic("on_secret", "Secret");
/** on_kubernetes_any_resource_*: every kind the runner watches. */
export const anyResourceTriggers = generic("on_kubernetes_any_resource", ANY_KIND);

/** Every per-kind trigger set, in Robusta's order. */
export const KIND_TRIGGER_SETS = [
  podTriggers,
  replicaSetTriggers,
  daemonSetTriggers,
  deploymentTriggers,
  statefulSetTriggers,
  serviceTriggers,
  eventTriggers,
  hpaTriggers,
  nodeTriggers,
  clusterRoleTriggers,
  clusterRoleBindingTriggers,
  jobTriggers,
  namespaceTriggers,
  serviceAccountTriggers,
  persistentVolumeTriggers,
  persistentVolumeClaimTriggers,
  networkPolicyTriggers,
  configMapTriggers,
  ingressTriggers,
  secretTriggers,
  anyResourceTriggers,
];
