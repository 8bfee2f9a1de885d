import { z } from "zod";
import type { Context, FindingChanges } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { table } from "../../../findings/blocks.js";
import { SEVERITIES, type FindingSubject } from "../../../findings/finding.js";
import { errorMessage } from "../../../util/timeout.js";
import { defineAction } from "../../define.js";
import { eventSubject } from "./event-subject.js";
import { applyLabelRules, findingLabelRule, needsNamespaceLabels } from "./label-rules.js";
import { renderTemplate, templateVariables } from "./template.js";

/** The labels of the subject's namespace; none when it has none or they cannot be read. */
async function namespaceLabels(subject: FindingSubject, ctx: Context): Promise<Readonly<Record<string, string>>> {
  if (!subject.namespace) return {};
  try {
    const namespace = await ctx.cluster.get("Namespace", subject.namespace);
    return namespace?.metadata?.labels ?? {};
  } catch (error) {
    ctx.logger.warn({ namespace: subject.namespace, reason: errorMessage(error) }, "customise_finding: could not read the namespace's labels");
    return {};
  }
}

/** customise_finding: changes the current finding's title, description, severity, aggregation key and labels. */
export const customiseFinding = defineAction({
  name: "customise_finding",
  description:
    "Changes the current finding (the one earlier actions created or enriched) instead of creating one: its title, description and aggregation key (templates, as in create_finding) and severity. `finding_label_rules` add labels to its subject, computed with Prometheus relabelling semantics from the subject's fields, and the labels they set are shown in a \"labels\" table. Put it after the actions whose finding it changes.",
  event: EventClasses.Base,
  params: z.object({
    title: z.string().optional().describe("The new title, templated."),
    description: z.string().optional().describe("The new description, templated."),
    severity: z.enum(SEVERITIES).optional().describe("The new severity: DEBUG, INFO, LOW, MEDIUM or HIGH."),
    aggregation_key: z.string().optional().describe("The new aggregation key, templated."),
    finding_label_rules: z
      .array(findingLabelRule)
      .default([])
      .describe("Rules that set labels of the finding's subject, applied in order; a rule whose regex does not match sets nothing."),
  }),
  async run(event, params, ctx) {
    const { subject } = eventSubject(event);
    const variables = templateVariables(event, subject);
    const rules = params.finding_label_rules;
    const labels =
      rules.length > 0
        ? applyLabelRules(rules, { subject, namespaceLabels: needsNamespaceLabels(rules) ? await namespaceLabels(subject, ctx) : {} })
        : {};
    const changes: FindingChanges = {
      ...(params.title !== undefined && { title: renderTemplate(params.title, variables) }),
      ...(params.description !== undefined && { description: renderTemplate(params.description, variables) }),
      ...(params.severity !== undefined && { severity: params.severity }),
      ...(params.aggregation_key !== undefined && { aggregationKey: renderTemplate(params.aggregation_key, variables) }),
      ...(Object.keys(labels).length > 0 && { labels }),
    };
    if (Object.keys(changes).length === 0) return;
    ctx.updateFinding(changes);
    if (changes.labels) {
      ctx.addEnrichment([table(Object.entries(labels), { headers: ["label", "value"], name: "labels" })], { title: "labels" });
    }
  },
});
