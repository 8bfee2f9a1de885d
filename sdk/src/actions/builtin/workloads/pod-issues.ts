/** What is wrong with a pod, as pod_issue_investigator tells it (Robusta's order of checks). */
import type { ContainerStatus, Pod } from "../../../kubernetes/objects.js";
import { allContainerStatuses } from "../../../triggers/pod-health.js";
import { BACKOFF_REASONS } from "../image-pull-backoff-reporter.js";

/** The issues looked for, most telling first. */
export type PodIssue = "ImagePullBackoff" | "CrashloopBackoff" | "Crashing" | "Pending";

/** How each issue is named in the explanation (Robusta's wording). */
export const ISSUE_TEXT: Readonly<Record<PodIssue, string>> = {
  ImagePullBackoff: "image-pull-backoff",
  CrashloopBackoff: "crash-looping",
  Crashing: "crash-looping",
  Pending: "scheduling issue",
};

/** A crash this recent is what an alert is about, even when the container is running again. */
const RECENT_CRASH_MS = 15 * 60 * 1000;

/** Containers that cannot pull their image. */
export const pullingContainers = (pod: Pod): ContainerStatus[] =>
  allContainerStatuses(pod).filter((status) => BACKOFF_REASONS.has(status.state?.waiting?.reason ?? ""));

const crashLooping = (status: ContainerStatus): boolean =>
  status.restartCount > 1 && (status.state?.waiting?.reason ?? "").includes("CrashLoopBackOff");

const crashedRecently = (status: ContainerStatus, now: Date): boolean => {
  const last = status.lastState?.terminated;
  return last?.reason === "Error" && now.getTime() - Date.parse(last.finishedAt ?? "") < RECENT_CRASH_MS;
};

/** Containers to report as crashing: waiting to start again after a restart, or crashed in the last 15 minutes. */
export const crashedContainers = (pod: Pod, now: Date): ContainerStatus[] =>
  allContainerStatuses(pod).filter((status) => (status.state?.waiting !== undefined && status.restartCount >= 1) || crashedRecently(status, now));

/** The pod's issue, or undefined when it has none of them. */
export function podIssue(pod: Pod, now: Date): PodIssue | undefined {
  const statuses = allContainerStatuses(pod);
  if (pullingContainers(pod).length > 0) return "ImagePullBackoff";
  if (statuses.some(crashLooping)) return "CrashloopBackoff";
  if (statuses.some((status) => crashedRecently(status, now))) return "Crashing";
  if (pod.status?.phase === "Pending") return "Pending";
  return undefined;
}
