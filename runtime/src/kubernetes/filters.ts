/**
 * Noise control at the source: which namespaces are watched, and the equivalent of kubewatch's
 * ADVANCED_FILTERS (§2.3), which keeps only the changes the built-in triggers can act on.
 */
import type { Job, KubernetesChangeEvent, KubernetesEventObject, Pod } from "@robusta-ts/sdk";
import { specDigest } from "./projection.js";

export interface NamespaceFilter {
  /** Only these namespaces (empty: all). */
  readonly include: readonly string[];
  /** Never these. */
  readonly exclude: readonly string[];
}

/** Whether an object in `namespace` passes ("" for cluster-scoped objects, which always pass). */
export function namespaceAllowed(namespace: string | undefined, filter: NamespaceFilter): boolean {
  if (!namespace) return true;
  if (filter.exclude.includes(namespace)) return false;
  return filter.include.length === 0 || filter.include.includes(namespace);
}

// Digests, because the cached "before" of a pod keeps only part of its spec.
const specChanged = (change: KubernetesChangeEvent) => specDigest(change.obj) !== specDigest(change.oldObj);

function podWorthReporting(pod: Pod): boolean {
  if (pod.status?.reason === "Evicted") return true;
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  return statuses.some(
    (s) =>
      s.restartCount > 0 ||
      s.state?.waiting?.reason === "ImagePullBackOff" ||
      s.state?.terminated?.reason === "OOMKilled" ||
      s.lastState?.terminated?.reason === "OOMKilled",
  );
}

/** kubewatch's ADVANCED_FILTERS: true when the change should go on to the playbooks. */
export function advancedFilter(change: KubernetesChangeEvent): boolean {
  switch (change.kind) {
    case "Event": {
      const event = change.obj as KubernetesEventObject;
      return change.operation === "create" && (event.type === "Warning" || event.reason === "Evicted");
    }
    case "Job":
      if (change.operation !== "update") return true;
      return specChanged(change) || ((change.obj as Job).status?.conditions ?? []).some((c) => c.type === "Failed" && c.status === "True");
    case "Pod":
      return change.operation !== "update" || specChanged(change) || podWorthReporting(change.obj as Pod);
    default:
      return true;
  }
}
