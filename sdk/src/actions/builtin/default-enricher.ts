import { z } from "zod";
import { EventClasses } from "../../events/classes.js";
import { table } from "../../findings/blocks.js";
import { defineAction } from "../define.js";

/** Sinks with coloured attachments (Slack) put these blocks there, as Robusta does. */
const ATTACHMENT = { attachment: "true" };

/**
 * default_enricher: the alert's labels. Robusta's catch-all for alerts. The "View Graph" link to
 * the alert's generatorURL is already on every alert's finding (its `links`), so it is not added
 * again here.
 */
export const defaultEnricher = defineAction({
  name: "default_enricher",
  description:
    'Robusta\'s catch-all enrichment of every Prometheus alert (the DefaultPrometheusAlertEnricher playbook): the alert\'s labels as an "Alert labels" table (in Slack\'s coloured attachment); optionally its annotations as an "Alert annotations" table. Every alert finding carries a "View Graph" link to the alert\'s generatorURL.',
  event: EventClasses.PrometheusAlert,
  params: z.object({
    alert_annotations_enrichment: z.boolean().default(false).describe("Also add the alert's annotations as a table."),
    alert_generator_link: z
      .boolean()
      .default(true)
      .describe("Accepted for compatibility with Robusta's values: the \"View Graph\" link is on every alert finding."),
  }),
  run(event, params, ctx) {
    ctx.addEnrichment([table(Object.entries(event.alert.labels), { name: "Alert labels" })], {
      title: "Alert labels",
      enrichmentType: "alert_labels",
      annotations: ATTACHMENT,
    });
    const annotations = Object.entries(event.alert.annotations);
    if (!params.alert_annotations_enrichment || annotations.length === 0) return;
    ctx.addEnrichment([table(annotations, { name: "Alert annotations" })], {
      title: "Alert annotations",
      enrichmentType: "alert_labels",
      annotations: ATTACHMENT,
    });
  },
});
