import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { prometheusParamsShape } from "../../../integrations/prometheus.js";
import { defineAction } from "../../define.js";
import { addGraphEnrichment, graphWindow, prometheusGraph } from "./graph.js";
import { alertExpression } from "./promql-template.js";

/** graph_enricher: a graph of the alert's own expression. */
export const graphEnricher = defineAction({
  name: "graph_enricher",
  description:
    'Adds a graph of the expression of the alert\'s rule (g0.expr of its generatorURL) over the last graph_duration_minutes, or since the alert started if that is longer: an SVG file named after the expression, in an enrichment of type graph titled "Alert Expression Graph". An alert without a generatorURL gets no graph (the runner logs why).',
  event: EventClasses.PrometheusAlert,
  params: z.object({
    ...prometheusParamsShape,
    graph_duration_minutes: z.number().positive().default(60).describe("How many minutes the graph spans at least, up to now."),
  }),
  async run(event, params, ctx) {
    const promql = alertExpression(event, ctx.logger, "graph_enricher");
    if (!promql) return;
    const window = graphWindow(ctx.clock.now(), params.graph_duration_minutes, event.startsAt);
    const graph = await prometheusGraph(ctx, params, { promql, title: promql, window });
    addGraphEnrichment(ctx, graph, "Alert Expression Graph");
  },
});
