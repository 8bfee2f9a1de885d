/** `opsgenie_sink` parameters: Robusta's keys, with its team and tag templates. */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";
import { overrideTemplateProblem } from "../common/destination-override.js";

/** Opsgenie's public API (Robusta's default, from the Opsgenie SDK). */
export const OPSGENIE_API_URL = "https://api.opsgenie.com";

/** A team or tag: plain text, or (with a "$") a template such as "$labels.team". */
const templated = z
  .string()
  .min(1, "must not be empty")
  .superRefine((value, ctx) => {
    const problem = value.includes("$") ? overrideTemplateProblem(value) : undefined;
    if (problem) ctx.addIssue({ code: "custom", message: `is a template that ${problem}` });
  });

export const opsgenieSinkParams = z
  .object({
    ...sinkBaseParams,
    api_key: z.string().min(1, "must not be empty").describe("The key of an Opsgenie API integration (a global one to route to any team). Never logged."),
    teams: z
      .array(templated)
      .default([])
      .describe(
        "Teams the alert is routed to (its responders). A team may be a template: `$labels.team`, `${annotations.owner}`, `$cluster_name`; one naming a label or annotation the finding lacks gives `default_team`.",
      ),
    default_team: z.string().min(1, "must not be empty").optional().describe("The team for a templated team whose label or annotation is missing, and when no team resolves."),
    tags: z
      .array(templated)
      .default([])
      .describe("Tags added to every alert after the cluster's name; templates as for `teams` (a tag whose label or annotation is missing is left out)."),
    host: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .default(OPSGENIE_API_URL)
      .describe("Opsgenie's API: https://api.eu.opsgenie.com for an account in Opsgenie's EU region."),
    extra_details_labels: z.boolean().default(false).describe("Add the subject's labels to the alert's extra properties (details)."),
  })
  .strict();

/** A validated `opsgenie_sink` entry. */
export type OpsgenieSinkParams = z.output<typeof opsgenieSinkParams>;
