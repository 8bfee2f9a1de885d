/** Why a pod cannot be scheduled: Robusta's "Unscheduled Information". */
import { markdown, table, type Block } from "../../../findings/blocks.js";
import type { EventRow } from "../../../kubernetes/events.js";
import type { Pod } from "../../../kubernetes/objects.js";
import { formatAmount, podAmounts } from "./pod-resources.js";

/** The scheduler's "0/3 nodes are available: ..." events. */
const FAILED_SCHEDULING = /^\d+\/\d+ nodes are available:/;

/** Reasons a pod cannot be scheduled that come down to its requests. */
const NOT_ENOUGH_RESOURCES = /Insufficient (cpu|memory)|Insufficient [^/\s]+\/gpu/;

/** What the pod requests, as "0.5 CPU, 256Mi Memory, 1 nvidia.com/gpu". */
function requirements(pod: Pod): string {
  return Object.entries(podAmounts(pod, "requests"))
    .map(([resource, amount]) =>
      resource === "cpu" ? `${Math.round(amount * 1000) / 1000} CPU` : resource === "memory" ? `${formatAmount(resource, amount)} Memory` : `${formatAmount(resource, amount)} ${resource}`,
    )
    .join(", ");
}

/**
 * The pod and the scheduler's reason (its PodScheduled condition's message), and what it requests
 * when the reason is a lack of cpu, memory or GPUs. `events` are the pod's: the scheduler's latest
 * FailedScheduling event, while it lasts, is fresher than the condition.
 */
export function pendingPodBlocks(pod: Pod, events: readonly EventRow[]): Block[] {
  const message = pod.status?.conditions?.find((c) => c.type === "PodScheduled")?.message;
  const blocks: Block[] = [table([["Pod", pod.metadata?.name ?? ""], ...(message ? [["Reason", message]] : [])])];
  if (!message) return blocks;
  const latest = events
    .filter((row) => row.type === "Warning" && row.reason === "FailedScheduling" && FAILED_SCHEDULING.test(row.message))
    .sort((a, b) => Date.parse(b.time) - Date.parse(a.time))[0];
  const requested = requirements(pod);
  if (NOT_ENOUGH_RESOURCES.test(latest?.message ?? message) && requested) blocks.push(markdown(`*Pod requires:* ${requested}`));
  return blocks;
}
