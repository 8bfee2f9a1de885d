import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { markdown } from "../../../findings/blocks.js";
import { defineAction } from "../../define.js";
import { alertExpression } from "./promql-template.js";

/** alert_definition_enricher: the PromQL of the alert's rule. */
export const alertDefinitionEnricher = defineAction({
  name: "alert_definition_enricher",
  description:
    "Adds the PromQL of the alert's rule (g0.expr of its generatorURL) as an \"Alert definition\" code block, in Slack's coloured attachment. An alert without a generatorURL gets nothing (the runner logs why).",
  event: EventClasses.PrometheusAlert,
  params: z.object({}),
  run(event, _params, ctx) {
    const promql = alertExpression(event, ctx.logger, "alert_definition_enricher");
    if (!promql) return;
    ctx.addEnrichment([markdown(`*Alert definition*\n\`\`\`\n${promql}\n\`\`\``)], { annotations: { attachment: "true" } });
  },
});
