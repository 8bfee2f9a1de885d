import { z } from "zod";
import { EventClasses } from "../../events/classes.js";
import { table, type TableCell } from "../../findings/blocks.js";
import { subjectOf } from "../../findings/defaults.js";
import type { ContainerStatus } from "../../kubernetes/objects.js";
import { allContainerStatuses } from "../../triggers/pod-health.js";
import { defineAction } from "../define.js";
import { eventPod } from "./event-pod.js";
import { addLogEnrichment, podLogBlock, regexReplacementStyleParam, regexReplacerPatternsParam } from "./pod-logs.js";

type Row = [string, TableCell];

/** The container now: restarts, and whether it waits or is terminated, and why. */
export function crashInfo(status: ContainerStatus): Row[] {
  const { waiting, terminated } = status.state ?? {};
  return [
    ["Container", status.name],
    ["Restarts", status.restartCount],
    ...(terminated ? ([["Status", "TERMINATED"], ["Reason", terminated.reason ?? null]] as Row[]) : []),
    ...(waiting ? ([["Status", "WAITING"], ["Reason", waiting.reason ?? null]] as Row[]) : []),
  ];
}

/** The instance that crashed: why it ended, and when it ran. */
export function previousContainer(status: ContainerStatus): Row[] {
  const last = status.lastState?.terminated;
  if (!last) return [];
  return [
    ["Status", "TERMINATED"],
    ["Reason", last.reason ?? null],
    ...(last.startedAt ? ([["Started at", last.startedAt]] as Row[]) : []),
    ...(last.finishedAt ? ([["Finished at", last.finishedAt]] as Row[]) : []),
  ];
}

/** report_crash_loop: a finding for a crash-looping pod, with what crashed and the crashed instance's log. */
export const reportCrashLoop = defineAction({
  name: "report_crash_loop",
  description:
    'Reports a crash-looping pod as a new HIGH finding, "Crashing pod <pod> in namespace <namespace>" (aggregation key CrashLoopBackoff). For each container waiting after a restart: a "Crash Info" table (restarts, status, reason), a "Previous Container" table (the last termination\'s reason and times), and the log of the crashed instance as a file.',
  event: EventClasses.Pod,
  params: z.object({
    regex_replacer_patterns: regexReplacerPatternsParam(),
    regex_replacement_style: regexReplacementStyleParam(),
  }),
  async run(event, params, ctx) {
    const found = eventPod(event, ctx, "report_crash_loop");
    if (!found) return;
    const { pod, name, namespace } = found;
    // Robusta's rule: waiting to start again after at least one restart.
    const crashed = allContainerStatuses(pod).filter((status) => status.state?.waiting !== undefined && status.restartCount >= 1);
    if (crashed.length === 0) {
      // Reporting "Crashing pod" for a pod with no crashing container would mislead.
      ctx.logger.info({ pod: `${namespace}/${name}` }, "report_crash_loop: no container of the pod is waiting after a restart");
      return;
    }
    ctx.addFinding({
      title: `Crashing pod ${name} in namespace ${namespace}`,
      aggregationKey: "CrashLoopBackoff",
      severity: "HIGH",
      source: "KUBERNETES_API_SERVER",
      subject: subjectOf(pod, "Pod"),
    });
    for (const status of crashed) {
      const previous = previousContainer(status);
      ctx.addEnrichment(
        [table(crashInfo(status), { name: "Crash Info" }), ...(previous.length > 0 ? [table(previous, { name: "Previous Container" })] : [])],
        { title: "Container Crash information", enrichmentType: "crash_info" },
      );
    }
    for (const status of crashed) {
      const block = await podLogBlock(ctx, pod, {
        container: status.name,
        previous: true,
        replacerPatterns: params.regex_replacer_patterns,
        replacementStyle: params.regex_replacement_style,
        // Several crashing containers: one file each, told apart by name.
        filename: crashed.length > 1 ? `${name}.${status.name}.log` : `${name}.log`,
      });
      addLogEnrichment(ctx, block);
    }
  },
});
