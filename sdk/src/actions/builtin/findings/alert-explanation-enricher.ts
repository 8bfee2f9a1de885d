import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { markdown } from "../../../findings/blocks.js";
import { defineAction } from "../../define.js";

/** alert_explanation_enricher: what the alert means and how to resolve it, in words the team wrote. */
export const alertExplanationEnricher = defineAction({
  name: "alert_explanation_enricher",
  description:
    'Adds an "Alert Explanation" paragraph saying when Prometheus fires the alert and, when given, a "Robusta\'s Recommendation" paragraph on how to resolve it. Links in them are not unfurled in Slack.',
  event: EventClasses.PrometheusAlert,
  params: z.object({
    alert_explanation: z.string().describe("A human-readable explanation of when Prometheus fires the alert."),
    recommended_resolution: z.string().optional().describe("A recommended resolution for the alert."),
  }),
  run(_event, params, ctx) {
    ctx.addEnrichment(
      [
        markdown(`📘 *Alert Explanation:* ${params.alert_explanation}`),
        ...(params.recommended_resolution ? [markdown(`🛠 *Robusta's Recommendation:* ${params.recommended_resolution}`)] : []),
      ],
      { annotations: { unfurl: "false" } },
    );
  },
});
