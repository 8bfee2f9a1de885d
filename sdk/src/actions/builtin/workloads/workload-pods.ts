/** Finding the pods of a resource: a workload's by its selector, a Job's, a Node's. */
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import type { Context } from "../../../context.js";
import type { Job, KubernetesObject, Pod } from "../../../kubernetes/objects.js";
import { matchLabelsQuery, selectorMatches } from "./label-selector.js";

/** Kinds whose pods are the ones their `spec.selector` picks. */
const SELECTOR_KINDS: readonly string[] = ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"];

/** The pods of `namespace` that `selector` picks; none without a selector. */
export async function podsBySelector(ctx: Context, namespace: string, selector: LabelSelector | undefined): Promise<Pod[]> {
  if (!selector) return [];
  const labelSelector = matchLabelsQuery(selector);
  const pods = await ctx.cluster.list("Pod", { namespace, ...(labelSelector !== undefined && { labelSelector }) });
  return pods.filter((pod) => pod.metadata?.namespace === namespace && selectorMatches(selector, pod.metadata?.labels));
}

const CONTROLLER_UID_LABELS = ["batch.kubernetes.io/controller-uid", "controller-uid"];

/** The pods of a Job: by its controller-uid label, else its selector, else the job-name label its pods carry (Robusta's order). */
export async function jobPods(ctx: Context, job: Job): Promise<Pod[]> {
  const labels = job.metadata?.labels ?? {};
  const uidLabel = CONTROLLER_UID_LABELS.find((label) => labels[label]);
  const selector: LabelSelector = uidLabel
    ? { matchLabels: { [uidLabel]: labels[uidLabel]! } }
    : (job.spec?.selector ?? { matchLabels: { "job-name": job.metadata?.name ?? "" } });
  return podsBySelector(ctx, job.metadata?.namespace ?? "default", selector);
}

const startedAt = (pod: Pod): number => Date.parse(pod.status?.startTime ?? pod.metadata?.creationTimestamp ?? "") || 0;

/** The pod started last (a pod not started yet counts from its creation). */
export function latestPod(pods: readonly Pod[]): Pod | undefined {
  return [...pods].sort((a, b) => startedAt(b) - startedAt(a))[0];
}

/** The pods scheduled on a node, from every namespace. */
export async function nodePods(ctx: Context, nodeName: string): Promise<Pod[]> {
  const pods = await ctx.cluster.list("Pod", { fieldSelector: `spec.nodeName=${nodeName}` });
  // A cluster that ignores field selectors still gets the right pods.
  return pods.filter((pod) => pod.spec?.nodeName === nodeName);
}

/**
 * The pods of a resource: a Pod itself, a workload's (by selector), a Job's, or those on a Node;
 * undefined for a kind that has no pods.
 */
export async function podsOf(ctx: Context, obj: KubernetesObject): Promise<Pod[] | undefined> {
  const kind = obj.kind ?? "";
  const namespace = obj.metadata?.namespace ?? "default";
  if (kind === "Pod") return [obj as Pod];
  if (kind === "Job") return jobPods(ctx, obj as Job);
  if (kind === "Node") return nodePods(ctx, obj.metadata?.name ?? "");
  if (SELECTOR_KINDS.includes(kind)) return podsBySelector(ctx, namespace, (obj as { spec?: { selector?: LabelSelector } }).spec?.selector);
  return undefined;
}
