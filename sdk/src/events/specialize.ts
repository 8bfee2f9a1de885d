import type { KubernetesChangeEvent } from "./model.js";

/** The property a change event of each kind carries its object under, besides `obj`. */
export const KIND_PROPERTY = {
  Pod: "pod",
  Node: "node",
  Deployment: "deployment",
  ReplicaSet: "replicaSet",
  DaemonSet: "daemonSet",
  StatefulSet: "statefulSet",
  Job: "job",
  Event: "kubernetesEvent",
} as const;

/**
 * Adds the per-kind property to a change event (a Pod change gets `pod`), making it the typed
 * variant (`PodChangeEvent`). Kinds without a variant are returned as they are.
 */
export function specializeChange(change: KubernetesChangeEvent): KubernetesChangeEvent {
  const property = KIND_PROPERTY[change.kind as keyof typeof KIND_PROPERTY];
  return property ? { ...change, [property]: change.obj } : change;
}
