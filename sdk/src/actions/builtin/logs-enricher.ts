import { z } from "zod";
import { EventClasses } from "../../events/classes.js";
import { markdown } from "../../findings/blocks.js";
import type { Pod } from "../../kubernetes/objects.js";
import { allContainerStatuses } from "../../triggers/pod-health.js";
import { defineAction } from "../define.js";
import { addLogEnrichment, podLogBlock, regexReplacementStyleParam, regexReplacerPatternsParam, regexSource } from "./pod-logs.js";

const params = z.object({
  container_name: z.string().optional().describe("The container whose log to attach. Default: the one in trouble, else the first."),
  previous: z.boolean().default(false).describe("Attach the log of the previous (crashed) instance of the container."),
  tail_lines: z.number().int().positive().optional().describe("Only the last this many lines."),
  filter_regex: regexSource().optional().describe("Keep only the lines matching this regular expression."),
  regex_replacer_patterns: regexReplacerPatternsParam(),
  regex_replacement_style: regexReplacementStyleParam(),
  max_log_file_limit_kb: z
    .number()
    .positive()
    .default(1000)
    .describe("Cut the log from the start to keep at most this many KB, the most recent."),
  warn_on_missing_label: z
    .boolean()
    .default(false)
    .describe("Say so in the finding when the event carries no pod (an alert without a pod label)."),
});

/** Waiting reasons that are part of a normal start, not trouble. */
const STARTING_REASONS = new Set(["ContainerCreating", "PodInitializing"]);

/** The container a person wants to see: the one named, else one that is crashing or was killed, else the first. */
function chooseContainer(pod: Pod, named: string | undefined): string | undefined {
  if (named) return named;
  const troubled = allContainerStatuses(pod).find((status) => {
    const { waiting, terminated } = status.state ?? {};
    // A completed init container (exit 0) and a container waiting for init containers are not in trouble.
    return (
      status.restartCount > 0 ||
      (waiting !== undefined && !STARTING_REASONS.has(waiting.reason ?? "")) ||
      (terminated !== undefined && terminated.exitCode !== 0)
    );
  });
  return troubled?.name ?? pod.spec?.containers?.[0]?.name;
}

/** logs_enricher: attaches a container's log to the finding. */
export const logsEnricher = defineAction({
  name: "logs_enricher",
  description:
    "Attaches the log of one of the pod's containers as a file: the container named, else the one crashing, else the first. Supports the previous instance, tail, a line filter and regex redaction; long logs keep their end.",
  event: EventClasses.Pod,
  params,
  async run(event, p, ctx) {
    const pod = event.pod;
    if (!pod?.metadata?.name) {
      if (p.warn_on_missing_label) ctx.addEnrichment([markdown("Cannot fetch logs: this event names no pod.")], { title: "Logs" });
      return;
    }
    const block = await podLogBlock(ctx, pod, {
      container: chooseContainer(pod, p.container_name),
      previous: p.previous,
      tailLines: p.tail_lines,
      filterRegex: p.filter_regex,
      replacerPatterns: p.regex_replacer_patterns,
      replacementStyle: p.regex_replacement_style,
      maxLogFileLimitKb: p.max_log_file_limit_kb,
    });
    addLogEnrichment(ctx, block);
  },
});
