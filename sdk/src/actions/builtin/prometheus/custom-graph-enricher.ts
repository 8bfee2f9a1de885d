import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { prometheusParamsShape } from "../../../integrations/prometheus.js";
import { defineAction } from "../../define.js";
import { addGraphEnrichment, graphWindow, prometheusGraph } from "./graph.js";
import { CHART_VALUES_FORMATS } from "./graph-svg.js";
import { isAlertEvent, substituteLabels, templateLabels } from "./promql-template.js";

/** custom_graph_enricher: a graph of any PromQL query. */
export const customGraphEnricher = defineAction({
  name: "custom_graph_enricher",
  description:
    "Adds a graph of a PromQL query over the last graph_duration_minutes (for an alert, at least since it started), as an SVG file in an enrichment of type graph titled graph_title. The query and the title may use $pod, $namespace, $node, $container, $node_internal_ip and, on alerts, any alert label ($name is the subject's name); unknown names become <missing>.",
  event: EventClasses.Base,
  params: z.object({
    ...prometheusParamsShape,
    promql_query: z
      .string()
      .min(1)
      .describe('The PromQL to graph, e.g. \'instance:node_cpu_utilisation:rate5m{instance=~"$node_internal_ip:[0-9]+"} != 0\'.'),
    graph_title: z.string().optional().describe("The graph's title, templated like the query; the query itself by default."),
    graph_duration_minutes: z.number().positive().default(60).describe("How many minutes the graph spans, up to now."),
    chart_values_format: z
      .enum(CHART_VALUES_FORMATS)
      .default("Plain")
      .describe("How the y axis shows values: Plain, Bytes (KiB, MiB, GiB), Percentage (0.5 is 50%) or CPUUsage (cores as millicores)."),
    hide_legends: z.boolean().default(false).describe("Draw no legend (for queries with many series)."),
  }),
  async run(event, params, ctx) {
    const labels = templateLabels(event);
    const promql = substituteLabels(params.promql_query, labels);
    const title = params.graph_title ? substituteLabels(params.graph_title, labels) : promql;
    const window = graphWindow(ctx.clock.now(), params.graph_duration_minutes, isAlertEvent(event) ? event.startsAt : undefined);
    const graph = await prometheusGraph(ctx, params, {
      promql,
      title,
      window,
      format: params.chart_values_format,
      hideLegend: params.hide_legends,
    });
    addGraphEnrichment(ctx, graph, title);
  },
});
