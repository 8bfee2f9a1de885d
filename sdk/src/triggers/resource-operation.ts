/**
 * on_kubernetes_resource_operation: changes to a chosen set of kinds, by default only those that
 * change an object's spec (Robusta's MultiResourceTrigger). What change tracking, such as
 * resource_babysitter, is built on.
 */
import { z } from "zod";
import { EventClasses } from "../events/classes.js";
import type { KubernetesChangeEvent } from "../events/model.js";
import { ANY_KIND, changeFilters, changeOf, kubernetesParams, type ChangeFilters } from "./kubernetes.js";
import type { TriggerType } from "./trigger.js";

/** Robusta's change_filters default for this trigger: spec changes, the replica count aside. Frozen: parsed parameters share it. */
export const DEFAULT_RESOURCE_CHANGE_FILTERS: Readonly<Required<ChangeFilters>> = Object.freeze({
  include: Object.freeze(["spec"]) as string[],
  ignore: Object.freeze(["status", "metadata.generation", "metadata.resourceVersion", "metadata.managedFields", "spec.replicas"]) as string[],
});

/** The built-in kinds by the lower-case name Robusta's configuration uses for them. */
const KINDS_BY_NAME = new Map(
  [
    "Pod",
    "ReplicaSet",
    "DaemonSet",
    "Deployment",
    "StatefulSet",
    "Service",
    "Event",
    "HorizontalPodAutoscaler",
    "Node",
    "ClusterRole",
    "ClusterRoleBinding",
    "Job",
    "CronJob",
    "Namespace",
    "ServiceAccount",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "NetworkPolicy",
    "ConfigMap",
    "Ingress",
    "Secret",
  ].map((kind) => [kind.toLowerCase(), kind]),
);

/**
 * A kind as the API server spells it: a built-in kind's name in any case ("deployment"), or a
 * custom resource's Kind as written ("Rollout", watched through the runner's custom resources).
 */
const resourceKind = z.string().transform((name, ctx) => {
  const kind = KINDS_BY_NAME.get(name.trim().toLowerCase()) ?? (/^[A-Z][A-Za-z0-9]*$/.test(name) ? name : undefined);
  if (kind === undefined) {
    ctx.addIssue({
      code: "custom",
      message: `unknown resource "${name}": name a built-in kind (${[...KINDS_BY_NAME.keys()].join(", ")}) or a custom resource's Kind as its CRD spells it, e.g. "Rollout"`,
    });
    return z.NEVER;
  }
  return kind;
});

const operation = z.enum(["create", "update", "delete"]);

const params = kubernetesParams
  .extend({
    resources: z
      .array(resourceKind)
      .default([])
      .describe('Kinds to fire for, e.g. ["deployment", "statefulset"] (any case); empty: every kind the runner watches.'),
    operations: z.array(operation).default(["create", "update", "delete"]).describe("Which changes to fire on."),
    change_filters: changeFilters
      .default(DEFAULT_RESOURCE_CHANGE_FILTERS)
      .describe(
        "On updates, fire only when a field whose path contains an include substring changed, ignoring the ignore paths; an include or ignore left out takes the default's. The changes are on the event as filteredDiffs.",
      ),
  })
  .strict();

export type ResourceOperationParams = z.output<typeof params>;

export const onKubernetesResourceOperationType: TriggerType<"on_kubernetes_resource_operation", typeof params, KubernetesChangeEvent> = {
  name: "on_kubernetes_resource_operation",
  description:
    "Fires when an object of one of resources is created, updated or deleted (see operations); updates only when they pass change_filters, by default a change of the spec other than the replica count.",
  source: "kubernetes",
  kinds: [ANY_KIND],
  kindsOf: (p) => (p.resources.length > 0 ? p.resources : [ANY_KIND]),
  eventClass: EventClasses.KubernetesChange,
  params,
  fires(incoming, p) {
    if (incoming.source !== "kubernetes") return undefined;
    if (p.resources.length > 0 && !p.resources.some((kind) => kind.toLowerCase() === incoming.kind.toLowerCase())) return undefined;
    const filters = {
      include: p.change_filters.include ?? DEFAULT_RESOURCE_CHANGE_FILTERS.include,
      ignore: p.change_filters.ignore ?? DEFAULT_RESOURCE_CHANGE_FILTERS.ignore,
    };
    return changeOf<KubernetesChangeEvent>(incoming, ANY_KIND, p.operations, { ...p, change_filters: filters });
  },
};
