import { z } from "zod";
import { EventClasses } from "../../events/classes.js";
import { markdown, table } from "../../findings/blocks.js";
import { defineAction } from "../define.js";

/** helm_status_enricher: what Helm says about the release, for the Helm release triggers. */
export const helmStatusEnricher = defineAction({
  name: "helm_status_enricher",
  description:
    "Adds the Helm release's chart, versions, revision, status and deploy times as a table, and Helm's description of the revision (the error, for a failed one). Optionally the chart's NOTES.",
  event: EventClasses.HelmReleases,
  params: z.object({
    show_notes: z.boolean().default(false).describe("Also add the chart's rendered NOTES.txt."),
  }),
  run(event, params, ctx) {
    const release = event.helmRelease;
    const rows: [string, string][] = [
      ["release", `${release.namespace}/${release.name}`],
      ["status", release.status],
      ["revision", String(release.revision)],
      ...(release.chart ? ([["chart", `${release.chart.name}-${release.chart.version}`]] as [string, string][]) : []),
      ...(release.chart?.appVersion ? ([["app version", release.chart.appVersion]] as [string, string][]) : []),
      ["first deployed", release.firstDeployed],
      ["last deployed", release.lastDeployed],
      ["in this status since", event.statusSince],
    ];
    ctx.addEnrichment(
      [table(rows, { name: "Helm release" }), ...(release.description ? [markdown(`*Helm:* ${release.description}`)] : [])],
      { title: "Helm release" },
    );
    if (params.show_notes && release.notes) ctx.addEnrichment([markdown(`\`\`\`\n${release.notes}\n\`\`\``)], { title: "Release notes" });
  },
});
