import { z } from "zod";
import type { Logger } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import type { PrometheusAlertEvent, ResourceEvent } from "../../../events/model.js";
import { markdown } from "../../../findings/blocks.js";
import { defineAction } from "../../define.js";
import { eventSubject } from "./event-subject.js";

/**
 * The labels and annotations a mentions label is looked up in, later ones winning as in Robusta:
 * the resource's annotations, its labels, then on alerts the alert's annotations and labels.
 */
function mentionSources(event: ResourceEvent): Readonly<Record<string, string>> {
  if (event.source === "prometheus") {
    const alert = event as PrometheusAlertEvent;
    const { subject } = eventSubject(alert);
    return { ...subject.annotations, ...subject.labels, ...alert.annotations, ...alert.labels };
  }
  const meta = event.obj?.metadata;
  return { ...meta?.annotations, ...meta?.labels };
}

/** Slack's mention syntax for user ids (U…) and user-group ids (S…); a spec may hold several, dot-separated. */
function slackMentions(specs: readonly string[], logger: Logger): string[] {
  const mentions = specs.flatMap((spec) => spec.split(".")).map((id) => id.trim()).filter((id) => id !== "");
  return [...new Set(mentions)].flatMap((id) => {
    if (id.startsWith("U")) return [`<@${id}>`];
    if (id.startsWith("S")) return [`<!subteam^${id}>`];
    logger.warn({ mention: id }, "mention_enricher: not a Slack user (U…) or user group (S…) id; skipped");
    return [];
  });
}

/** mention_enricher: mentions Slack users and groups, fixed or named by a label of the resource or alert. */
export const mentionEnricher = defineAction({
  name: "mention_enricher",
  description:
    "Adds a line mentioning Slack users (ids U…) and user groups (ids S…): the `static_mentions`, and those named in the value of the `mentions_label` label or annotation of the resource or, on alerts, of the alert (comma- or dot-separated ids). Only Slack renders the mentions.",
  event: EventClasses.Resource,
  params: z.object({
    static_mentions: z.array(z.string()).optional().describe('Slack user and user-group ids to mention always, e.g. ["U44V9P1JJ1Z", "S22H3Q3Q111"].'),
    mentions_label: z.string().optional().describe("A label or annotation whose value lists the ids to mention, separated by commas or dots."),
    message_template: z.string().default("Hey: $mentions").describe("The line, with `$mentions` where the mentions go."),
  }),
  run(event, params, ctx) {
    if (!params.mentions_label && !params.static_mentions?.length) {
      ctx.logger.warn({}, "mention_enricher: neither static_mentions nor mentions_label is set");
      return;
    }
    const label = params.mentions_label;
    const sources = label ? mentionSources(event) : {};
    const labelled = label && Object.hasOwn(sources, label) ? sources[label] : undefined;
    const mentions = slackMentions([...(labelled ? labelled.split(",") : []), ...(params.static_mentions ?? [])], ctx.logger);
    if (mentions.length === 0) {
      ctx.logger.debug({ label: params.mentions_label }, "mention_enricher: nobody to mention");
      return;
    }
    ctx.addEnrichment([markdown(params.message_template.replace("$mentions", mentions.join(" ")))]);
  },
});
