/**
 * Crash-looping pods, reported with what an on-call engineer needs first: which containers
 * crash and how they last ended, the log of the container that crashed, and the pod's warnings.
 */
import {
  allContainerStatuses,
  logsEnricher,
  onPodCrashLoop,
  Playbook,
  podEventsEnricher,
  subjectOf,
  table,
  type Context,
  type Pod,
  type PodChangeEvent,
} from "@robusta-ts/sdk";

/** One row per container that restarted or is not running: restarts, state, last termination. */
export function crashInfo(pod: Pod): (string | number)[][] {
  return allContainerStatuses(pod)
    .filter((status) => status.restartCount > 0 || status.state?.waiting || status.state?.terminated)
    .map((status) => {
      const last = status.lastState?.terminated ?? status.state?.terminated;
      return [
        status.name,
        status.restartCount,
        status.state?.waiting?.reason ?? (status.state?.terminated ? "Terminated" : "Running"),
        last ? `${last.reason ?? "Unknown"} (exit code ${last.exitCode})` : "",
      ];
    });
}

export class CrashLoops extends Playbook {
  /**
   * A container restarted at least twice and is backing off. Reported once per owner (e.g. the
   * ReplicaSet) every 4 hours, so a crashing Deployment is one finding, not one per pod.
   */
  @onPodCrashLoop({ restartCount: 2 })
  async crashLooping(event: PodChangeEvent, ctx: Context) {
    const pod = event.pod;
    ctx.addFinding({
      title: `Crashing pod ${pod.metadata?.name} in namespace ${pod.metadata?.namespace}`,
      aggregationKey: "CrashLoopBackoff",
      severity: "HIGH",
      source: "KUBERNETES_API_SERVER",
      subject: subjectOf(pod, "Pod"),
    });
    ctx.addEnrichment([table(crashInfo(pod), { headers: ["container", "restarts", "state", "last termination"] })], {
      title: "Crash info",
      enrichmentType: "crash_info",
    });
    await logsEnricher(event, ctx, { previous: true, tailLines: 50 });
    await podEventsEnricher(event, ctx, { includedTypes: ["Warning"] });
  }
}
