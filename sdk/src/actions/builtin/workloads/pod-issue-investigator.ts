import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { markdown, table } from "../../../findings/blocks.js";
import { eventRow, type EventRow } from "../../../kubernetes/events.js";
import type { DaemonSet, Deployment, KubernetesObject, Pod, StatefulSet } from "../../../kubernetes/objects.js";
import { errorMessage } from "../../../util/timeout.js";
import { defineAction } from "../../define.js";
import { containerBlocks } from "../image-pull-backoff-reporter.js";
import { addLogEnrichment, podLogBlock } from "../pod-logs.js";
import { crashInfo, previousContainer } from "../report-crash-loop.js";
import { eventObject } from "./event-object.js";
import { pendingPodBlocks } from "./pending-pod.js";
import { crashedContainers, ISSUE_TEXT, podIssue, pullingContainers, type PodIssue } from "./pod-issues.js";
import { podsOf } from "./workload-pods.js";

const SUPPORTED = ["Deployment", "DaemonSet", "ReplicaSet", "Pod", "StatefulSet", "Job"];

/** The pod's events as rows; none, and a warning, when they cannot be read (the analysis goes on without them). */
async function podEvents(ctx: Context, pod: Pod): Promise<EventRow[]> {
  const name = pod.metadata?.name ?? "";
  const namespace = pod.metadata?.namespace ?? "default";
  try {
    return (await ctx.cluster.events({ kind: "Pod", name, namespace })).map(eventRow);
  } catch (error) {
    ctx.logger.warn({ pod: `${namespace}/${name}`, reason: errorMessage(error) }, "pod_issue_investigator: could not list the pod's events");
    return [];
  }
}

/** Available and unavailable pods of a workload, from its status (Robusta's explanation). */
function availability(obj: KubernetesObject): { available: number; unavailable: number } | undefined {
  switch (obj.kind) {
    case "Deployment": {
      const status = (obj as Deployment).status;
      return { available: status?.availableReplicas ?? 0, unavailable: status?.unavailableReplicas ?? 0 };
    }
    case "StatefulSet": {
      const status = (obj as StatefulSet).status;
      const available = status?.availableReplicas ?? 0;
      return { available, unavailable: (status?.replicas ?? 0) - available };
    }
    case "DaemonSet": {
      const status = (obj as DaemonSet).status;
      return { available: status?.numberAvailable ?? 0, unavailable: status?.numberUnavailable ?? 0 };
    }
    default:
      return undefined;
  }
}

/** What is wrong, in Robusta's words, with the waiting reason of the pod's first container, and which pod is shown. */
function explanation(obj: KubernetesObject, pod: Pod, issue: PodIssue): string {
  const counts = availability(obj);
  const summary = counts
    ? `${counts.available} pod(s) are available. ${counts.unavailable} pod(s) are not ready due to ${ISSUE_TEXT[issue]}`
    : `Pod is not ready due to ${ISSUE_TEXT[issue]}`;
  const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
  const reason = waiting ? `\n\n${waiting.reason ?? "unknown"}: ${waiting.message ?? "N/A"}` : "";
  return `${summary}${reason}\n\n*${pod.metadata?.name ?? ""}* was picked for investigation`;
}

/** The analysis of one issue, as the action reporting it alone would add it. */
async function reportIssue(ctx: Context, pod: Pod, issue: PodIssue): Promise<void> {
  const name = pod.metadata?.name ?? "";
  if (issue === "ImagePullBackoff") {
    const events = await podEvents(ctx, pod);
    const blocks = pullingContainers(pod).map((status) => containerBlocks(pod, status, events));
    ctx.addEnrichment([...blocks.map((b) => b.table), ...blocks.flatMap((b) => (b.error ? [b.error] : []))], {
      title: "Container ImagePullBackoff Information",
      enrichmentType: "image_pull_backoff_info",
    });
  } else if (issue === "Pending") {
    ctx.addEnrichment(pendingPodBlocks(pod, await podEvents(ctx, pod)), { title: "Unscheduled Information", enrichmentType: "pending_pod_info" });
  } else {
    const crashed = crashedContainers(pod, ctx.clock.now());
    for (const status of crashed) {
      const previous = previousContainer(status);
      const tables = [table(crashInfo(status), { name: "Crash Info" }), ...(previous.length > 0 ? [table(previous, { name: "Previous Container" })] : [])];
      ctx.addEnrichment(tables, { title: "Container Crash information", enrichmentType: "crash_info" });
      const filename = crashed.length > 1 ? `${name}.${status.name}.log` : `${name}.log`;
      addLogEnrichment(ctx, await podLogBlock(ctx, pod, { container: status.name, previous: true, filename }));
    }
  }
}

/** pod_issue_investigator: finds a pod of the resource in trouble and adds the analysis of its issue. */
export const podIssueInvestigator = defineAction({
  name: "pod_issue_investigator",
  description:
    "Finds a problematic pod of the resource (the Pod itself, or the pods of a Deployment, ReplicaSet, StatefulSet, DaemonSet or Job) and adds the analysis of its issue, looked for in this order: an image that cannot be pulled (each container's image and why: not found, unauthorized, timeout), a crash loop or a crash in the last 15 minutes (each crashed container's crash info, previous container, and the crashed instance's log), or pending (the scheduler's reason, and the pod's requests when it lacks cpu, memory or GPUs). Before it, how many pods are available and why the picked one is not ready. Says so when no pod has an issue.",
  event: EventClasses.Resource,
  params: z.object({}),
  async run(event, _params, ctx) {
    const found = eventObject(event.obj, ctx, "pod_issue_investigator", "resource");
    if (!found) return;
    const { obj, name, namespace } = found;
    const kind = obj.kind ?? "";
    if (!SUPPORTED.includes(kind)) {
      throw new Error(`pod_issue_investigator does not support ${kind || "this kind"}: it investigates the pods of ${SUPPORTED.join(", ")}`);
    }
    const pods = (await podsOf(ctx, obj)) ?? [];
    const now = ctx.clock.now();
    for (const pod of pods) {
      const issue = podIssue(pod, now);
      if (!issue) continue;
      ctx.addEnrichment([markdown(explanation(obj, pod, issue))]);
      await reportIssue(ctx, pod, issue);
      return;
    }
    const what = `${kind} ${namespace}/${name}`;
    ctx.addEnrichment([markdown(pods.length === 0 ? `${what} has no pods to investigate.` : `No problematic pod was found among the ${pods.length} pod(s) of ${what}.`)]);
  },
});
