import { z } from "zod";
import { EventClasses } from "../../events/classes.js";
import { file, markdown } from "../../findings/blocks.js";
import type { Pod } from "../../kubernetes/objects.js";
import { allContainerStatuses } from "../../triggers/pod-health.js";
import { defineAction } from "../define.js";

/** A regular expression, checked when the parameters are, not when the first log arrives. */
const regex = () =>
  z.string().refine(
    (source) => {
      try {
        new RegExp(source);
        return true;
      } catch {
        return false;
      }
    },
    { message: "must be a valid regular expression" },
  );

const replacer = z.object({ name: z.string(), regex: regex() }).strict();

const params = z.object({
  container_name: z.string().optional().describe("The container whose log to attach. Default: the one in trouble, else the first."),
  previous: z.boolean().default(false).describe("Attach the log of the previous (crashed) instance of the container."),
  tail_lines: z.number().int().positive().optional().describe("Only the last this many lines."),
  filter_regex: regex().optional().describe("Keep only the lines matching this regular expression."),
  regex_replacer_patterns: z
    .array(replacer)
    .default([])
    .describe("Redact what these regular expressions match, e.g. [{name: token, regex: 'tok_[a-z0-9]+'}]."),
  regex_replacement_style: z
    .enum(["SAME_LENGTH_ASTERISKS", "NAMED"])
    .default("SAME_LENGTH_ASTERISKS")
    .describe('Replace redacted text with asterisks of the same length, or with "[name]".'),
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

type Params = z.output<typeof params>;

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

function redact(text: string, p: Params): string {
  return p.regex_replacer_patterns.reduce(
    (out, { name, regex }) =>
      out.replace(new RegExp(regex, "g"), (match) => (p.regex_replacement_style === "NAMED" ? `[${name}]` : "*".repeat(match.length))),
    text,
  );
}

/** Cuts from the start so the end, where the crash is, survives. Cuts at a line boundary. */
function keepEnd(text: string, maxBytes: number): { text: string; cut?: string } {
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return { text };
  const tail = Buffer.from(text).subarray(bytes - maxBytes).toString();
  // Start at a line boundary, unless the last line alone is longer than the limit: then keep its end.
  const newline = tail.indexOf("\n");
  const kept = newline >= 0 && newline < tail.length - 1 ? tail.slice(newline + 1) : tail;
  return { text: kept, cut: `the first ${bytes - Buffer.byteLength(kept)} bytes were cut to keep the last ${Math.round(maxBytes / 1024)} KB` };
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
    const name = pod.metadata.name;
    const namespace = pod.metadata.namespace ?? "default";
    const container = chooseContainer(pod, p.container_name);
    let text: string;
    try {
      text = await ctx.cluster.logs({
        name,
        namespace,
        ...(container !== undefined && { container }),
        previous: p.previous,
        ...(p.tail_lines !== undefined && { tailLines: p.tail_lines }),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.logger.warn({ pod: `${namespace}/${name}`, container, reason }, "could not fetch logs");
      ctx.addEnrichment([markdown(`Could not fetch the logs of \`${container ?? name}\`: ${reason}`)], { title: "Logs" });
      return;
    }
    if (p.filter_regex !== undefined) {
      const filter = new RegExp(p.filter_regex);
      text = text.split("\n").filter((line) => filter.test(line)).join("\n");
    }
    text = redact(text, p);
    if (text.trim() === "") {
      ctx.addEnrichment([markdown(`The log of \`${container ?? name}\` is empty.`)], { title: "Logs" });
      return;
    }
    const { text: kept, cut } = keepEnd(text, p.max_log_file_limit_kb * 1024);
    ctx.addEnrichment([file(`${name}.log`, kept, cut)], { title: "Logs", enrichmentType: "text_file" });
  },
});
