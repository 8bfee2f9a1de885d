/**
 * Crash loops and OOM kills, reported with what an on-call engineer needs first: why the
 * container died, its last words, and what Kubernetes saw. Written as a decorated class.
 */
import {
  allContainerStatuses,
  logsEnricher,
  oomKilledStatuses,
  onPodCrashLoop,
  onPodOomKilled,
  Playbook,
  podEventsEnricher,
  subjectOf,
  table,
  type Context,
  type Pod,
  type PodChangeEvent,
} from "@robusta-ts/sdk";

/** One row per container that is crashing: restarts, why it is waiting, how it last ended. */
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
  /** A container keeps crashing: report it once per owner every 4 hours (Robusta's default). */
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

  /** A container was killed for using more memory than its limit. */
  @onPodOomKilled()
  async oomKilled(event: PodChangeEvent, ctx: Context) {
    const pod = event.pod;
    const killed = oomKilledStatuses(pod).map((status) => status.name);
    const limits = (pod.spec?.containers ?? [])
      .filter((container) => killed.includes(container.name))
      .map((container) => [container.name, container.resources?.limits?.memory ?? "no limit", container.resources?.requests?.memory ?? "none"]);
    ctx.addFinding({
      title: `Pod ${pod.metadata?.name} in namespace ${pod.metadata?.namespace} OOMKilled results`,
      aggregationKey: "PodOOMKilled",
      severity: "HIGH",
      source: "KUBERNETES_API_SERVER",
      subject: subjectOf(pod, "Pod"),
    });
    ctx.addEnrichment([table(limits, { headers: ["container", "memory limit", "memory request"] })], {
      title: "Container memory",
      enrichmentType: "container_info",
    });
    await logsEnricher(event, ctx, { containerName: killed[0], previous: true });
  }
}
