/** Waiting for a Job to finish, and finding the pod it ran in. */
import { setTimeout as delay } from "node:timers/promises";
import type { Context } from "../../../context.js";
import type { Job, Pod } from "../../../kubernetes/objects.js";
import { errorMessage } from "../../../util/timeout.js";

/** How a finished Job ended, from its Complete or Failed condition. */
export type JobOutcome = { readonly succeeded: true } | { readonly succeeded: false; readonly reason: string };

const POLL_INTERVAL_MS = 1_000;

/** How the Job ended; undefined while it runs. */
export function jobOutcome(job: Job): JobOutcome | undefined {
  const conditions = job.status?.conditions ?? [];
  if (conditions.some((c) => c.type === "Complete" && c.status === "True")) return { succeeded: true };
  const failed = conditions.find((c) => c.type === "Failed" && c.status === "True");
  if (failed) return { succeeded: false, reason: [failed.reason, failed.message].filter(Boolean).join(": ") || "Failed" };
  return undefined;
}

/**
 * Polls the Job until it finishes, in real time (the job runs in the world, not on the context's
 * clock) and no longer than the run's signal allows. Undefined when `timeoutSeconds` pass first;
 * throws when the Job disappears.
 */
export async function waitForJob(
  ctx: Pick<Context, "cluster" | "signal">,
  name: string,
  namespace: string,
  timeoutSeconds: number,
): Promise<JobOutcome | undefined> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const job = await ctx.cluster.get("Job", name, namespace);
    if (!job) throw new Error(`Job ${namespace}/${name} was deleted before it finished`);
    const outcome = jobOutcome(job);
    if (outcome) return outcome;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    try {
      await delay(Math.min(POLL_INTERVAL_MS, left), undefined, { signal: ctx.signal });
    } catch (error) {
      throw new Error(`Stopped waiting for Job ${namespace}/${name}: ${errorMessage(ctx.signal.reason ?? error)}`, { cause: error });
    }
  }
}

/** The Job's most recent pod (by the job-name label the Job controller sets), or undefined. */
export async function latestJobPod(ctx: Pick<Context, "cluster">, name: string, namespace: string): Promise<Pod | undefined> {
  const pods = await ctx.cluster.list("Pod", { namespace, labelSelector: `job-name=${name}` });
  return [...pods].sort((a, b) => (b.metadata?.creationTimestamp ?? "").localeCompare(a.metadata?.creationTimestamp ?? ""))[0];
}
