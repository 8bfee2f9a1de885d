import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { markdown } from "../../../findings/blocks.js";
import { prometheusParamsShape } from "../../../integrations/prometheus.js";
import { defineAction } from "../../define.js";
import { addGraphEnrichment, graphWindow } from "./graph.js";
import { templateLabels } from "./promql-template.js";
import { graphsOverridesShape, ITEM_TYPES, RESOURCE_TYPES, resourceGraph, type ItemType } from "./resource-graphs.js";

/** The labels each item's queries need, and how to say that the alert lacks them. */
const NEEDS: Readonly<Record<ItemType, readonly { label: string; missing: string }[]>> = {
  Pod: [{ label: "pod", missing: "names no pod" }],
  Container: [
    { label: "pod", missing: "names no pod" },
    { label: "container", missing: "names no container" },
  ],
  Node: [{ label: "node_internal_ip", missing: "names no node the runner could find (its InternalIP is in the query)" }],
};

/** alert_graph_enricher: the CPU, memory or disk use of the alert's pod or node. */
export const alertGraphEnricher = defineAction({
  name: "alert_graph_enricher",
  description:
    'Adds a graph of the resource use of the alert\'s pod, container or node, with Robusta\'s PromQL (container_cpu_usage_seconds_total and container_memory_working_set_bytes of the pod; node-exporter\'s node_cpu_seconds_total, node_memory_* and node_filesystem_* of the node, matched by its InternalIP): "CPU Usage for this pod", "Memory Utilization for this node", ... over the last graph_duration_minutes, or since the alert started. The enrichment is titled "Resources" (type graph). When the alert names no such pod or node, a note says so instead.',
  event: EventClasses.PrometheusAlert,
  params: z.object({
    ...prometheusParamsShape,
    ...graphsOverridesShape,
    resource_type: z.enum(RESOURCE_TYPES).describe("What to graph: CPU, Memory or Disk (Disk for nodes only)."),
    item_type: z.enum(ITEM_TYPES).describe("Whose use: the alert's Pod, Container (its pod and container labels) or Node."),
    graph_duration_minutes: z.number().positive().default(60).describe("How many minutes the graph spans at least, up to now."),
  }),
  async run(event, params, ctx) {
    const { resource_type: resource, item_type: item } = params;
    const labels = templateLabels(event);
    const lacking = NEEDS[item].find(({ label }) => labels[label] === undefined);
    if (lacking) {
      ctx.logger.warn({ alert: event.alertName, item }, `alert_graph_enricher: the alert ${lacking.missing}`);
      ctx.addEnrichment([markdown(`No ${resource} graph: the alert ${lacking.missing}.`)], { title: "Resources" });
      return;
    }
    const window = graphWindow(ctx.clock.now(), params.graph_duration_minutes, event.startsAt);
    const graph = await resourceGraph(ctx, params, { resource, item, labels, window });
    addGraphEnrichment(ctx, graph, "Resources");
  },
});
