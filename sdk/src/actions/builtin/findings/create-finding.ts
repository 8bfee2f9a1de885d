import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { SEVERITIES } from "../../../findings/finding.js";
import { defineAction } from "../../define.js";
import { eventSubject } from "./event-subject.js";
import { renderTemplate, templateVariables } from "./template.js";

/**
 * create_finding: a new finding about the event's subject, from a templated title and description.
 * (`createFinding` is the SDK's function that builds a finding, hence the name.)
 */
export const createFindingAction = defineAction({
  name: "create_finding",
  description:
    "Starts a new finding about the event's subject, with its source; later enrichments go to it. The title and description are templates: `$name`, `$namespace`, `$kind`, `$node`, `${labels.<key>}` and `${annotations.<key>}` of the subject (and, on alerts, the alert's labels by name, such as `$alertname`); `$$` is a `$`.",
  event: EventClasses.Base,
  params: z.object({
    title: z.string().describe('The finding\'s title, templated, e.g. "Job $name in namespace $namespace failed".'),
    aggregation_key: z
      .string()
      .describe('Groups findings of the same kind in sinks, e.g. "JobFailure"; keep pod names and other changing values out of it.'),
    description: z.string().optional().describe("The finding's description, templated."),
    severity: z.enum(SEVERITIES).default("HIGH").describe("The finding's severity: DEBUG, INFO, LOW, MEDIUM or HIGH."),
  }),
  run(event, params, ctx) {
    const { subject, source } = eventSubject(event);
    const variables = templateVariables(event, subject);
    ctx.addFinding({
      title: renderTemplate(params.title, variables),
      aggregationKey: params.aggregation_key,
      ...(params.description !== undefined && { description: renderTemplate(params.description, variables) }),
      severity: params.severity,
      source,
      subject,
    });
  },
});
