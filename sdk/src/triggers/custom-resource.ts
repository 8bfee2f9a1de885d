/**
 * Triggers on custom resources (an Argo Rollout, a cert-manager Certificate): in YAML
 * `on_custom_resource_create|update|delete|all_changes` with the resource and its kind,
 *
 *   - on_custom_resource_update:
 *       resource: argoproj.io/v1alpha1/rollouts
 *       kind: Rollout
 *
 * and, typed, `customResourceTriggers<Rollout>(...)` in TypeScript. The runner watches every
 * resource these triggers name (the engine's `watchedCustomResources`), besides the custom
 * resources of its options.
 */
import { z } from "zod";
import { EventClasses } from "../events/classes.js";
import type { KubernetesChangeEvent } from "../events/model.js";
import type { KubernetesObject } from "../kubernetes/objects.js";
import { changeOf, kubernetesParams, OPERATIONS, VERBS, type OperationName } from "./kubernetes.js";
import { triggerFactory, type Trigger, type TriggerParams, type TriggerType } from "./trigger.js";

const params = kubernetesParams
  .extend({
    resource: z
      .string()
      .regex(/^[^/\s]+\/[^/\s]+\/[^/\s]+$/, 'must be "group/version/plural", e.g. "argoproj.io/v1alpha1/rollouts"')
      .describe('The custom resource to watch, as group/version/plural, e.g. "argoproj.io/v1alpha1/rollouts".'),
    kind: z
      .string()
      .regex(/^[A-Z][A-Za-z0-9]*$/, 'must be the Kind as the CRD spells it, e.g. "Rollout"')
      .describe('Its Kind as the CRD spells it, e.g. "Rollout": what the API server reports for its objects.'),
  })
  .strict();

export type CustomResourceParams = z.output<typeof params>;

const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "");

type CustomResourceTriggerType<Op extends OperationName, E extends KubernetesChangeEvent> = TriggerType<`on_custom_resource_${Op}`, typeof params, E>;

function customResourceType<Op extends OperationName>(op: Op): CustomResourceTriggerType<Op, KubernetesChangeEvent> {
  return {
    name: `on_custom_resource_${op}`,
    description: `Fires when an object of a custom resource is ${VERBS[op]}.`,
    source: "kubernetes",
    kinds: [],
    kindsOf: (p) => [p.kind],
    customResourcesOf: (p) => [p.resource],
    eventClass: EventClasses.KubernetesChange,
    params,
    fires(incoming, p) {
      // Kinds are unique only within a group: a change reported with its apiVersion must be of the resource's group.
      if (incoming.source === "kubernetes" && incoming.apiVersion && groupOf(incoming.apiVersion) !== p.resource.split("/")[0]) return undefined;
      return changeOf<KubernetesChangeEvent>(incoming, p.kind, OPERATIONS[op], p);
    },
  };
}

export const onCustomResourceCreateType = customResourceType("create");
export const onCustomResourceUpdateType = customResourceType("update");
export const onCustomResourceDeleteType = customResourceType("delete");
export const onCustomResourceAllChangesType = customResourceType("all_changes");

/** A custom resource, named as its CRD names it. */
export interface CustomResource {
  /** e.g. "argoproj.io". */
  readonly group: string;
  /** e.g. "v1alpha1". */
  readonly version: string;
  /** The plural resource name, e.g. "rollouts". */
  readonly plural: string;
  /** The Kind, e.g. "Rollout". */
  readonly kind: string;
}

/** Parameters of a typed custom resource trigger: the common Kubernetes ones (resource and kind are given once). */
export type CustomResourceTriggerParams = Omit<TriggerParams<typeof params>, "resource" | "kind">;

/** The triggers of one custom resource, each producing `KubernetesChangeEvent<T>`. */
export interface CustomResourceTriggers<T extends KubernetesObject> {
  readonly onCreate: (params?: CustomResourceTriggerParams) => Trigger<KubernetesChangeEvent<T>>;
  readonly onUpdate: (params?: CustomResourceTriggerParams) => Trigger<KubernetesChangeEvent<T>>;
  readonly onDelete: (params?: CustomResourceTriggerParams) => Trigger<KubernetesChangeEvent<T>>;
  readonly onAllChanges: (params?: CustomResourceTriggerParams) => Trigger<KubernetesChangeEvent<T>>;
}

/**
 * Typed triggers for a custom resource: their events carry `obj` and `oldObj` as `T`. Each is a
 * decorator or a `definePlaybook` trigger, and is the YAML `on_custom_resource_*` trigger with
 * this resource and kind; the runner watches the resource.
 *
 * ```ts
 * interface Rollout extends KubernetesObject { spec?: { replicas?: number }; status?: { phase?: string } }
 * const rollouts = customResourceTriggers<Rollout>({ group: "argoproj.io", version: "v1alpha1", plural: "rollouts", kind: "Rollout" });
 *
 * export class Rollouts extends Playbook {
 *   @rollouts.onUpdate({ namespacePrefix: "prod" })
 *   async degraded(event: KubernetesChangeEvent<Rollout>, ctx: Context) {
 *     if (event.obj.status?.phase === "Degraded") ctx.addEnrichment([markdown(`Rollout ${event.obj.metadata?.name} is degraded`)]);
 *   }
 * }
 * ```
 */
export function customResourceTriggers<T extends KubernetesObject>(resource: CustomResource): CustomResourceTriggers<T> {
  const given = { resource: `${resource.group}/${resource.version}/${resource.plural}`, kind: resource.kind };
  const typed = <Op extends OperationName>(type: CustomResourceTriggerType<Op, KubernetesChangeEvent>) => {
    // The same trigger type: only the event type is narrowed, to what this resource's objects are.
    const factory = triggerFactory(type as unknown as CustomResourceTriggerType<Op, KubernetesChangeEvent<T>>);
    return (p?: CustomResourceTriggerParams) => factory({ ...p, ...given });
  };
  return {
    onCreate: typed(onCustomResourceCreateType),
    onUpdate: typed(onCustomResourceUpdateType),
    onDelete: typed(onCustomResourceDeleteType),
    onAllChanges: typed(onCustomResourceAllChangesType),
  };
}
