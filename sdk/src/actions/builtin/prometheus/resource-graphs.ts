/** Robusta's resource graphs: CPU, memory or disk use of a pod, container or node, by its PromQL. */
import { z } from "zod";
import type { Context } from "../../../context.js";
import type { FileBlock } from "../../../findings/blocks.js";
import type { PrometheusParams } from "../../../integrations/prometheus.js";
import { prometheusGraph, type GraphWindow } from "./graph.js";
import { CHART_VALUES_FORMATS, type ChartValuesFormat, type GraphMarker } from "./graph-svg.js";
import { substituteLabels } from "./promql-template.js";

export const RESOURCE_TYPES = ["CPU", "Memory", "Disk"] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];
export const ITEM_TYPES = ["Pod", "Node", "Container"] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

interface ChartOptions {
  readonly query: string;
  readonly format: ChartValuesFormat;
}

const NODE = 'job="node-exporter", instance=~"$node_internal_ip:[0-9]+"';

/** Robusta's queries (prometheus_enrichment_utils.create_resource_enrichment); Disk has none for pods and containers. */
const CHARTS: Readonly<Record<`${ResourceType}/${ItemType}`, ChartOptions | undefined>> = {
  "CPU/Pod": {
    query: 'sum(irate(container_cpu_usage_seconds_total{namespace="$namespace", pod=~"$pod"}[5m])) by (pod, job)',
    format: "CPUUsage",
  },
  "CPU/Node": {
    query: `1 - avg without (cpu) ( sum without (mode) (rate(node_cpu_seconds_total{${NODE}, mode=~"idle|iowait|steal"}[5m]))) != 0`,
    format: "Percentage",
  },
  "CPU/Container": {
    query: 'sum(irate(container_cpu_usage_seconds_total{namespace="$namespace", pod=~"$pod", container=~"$container"}[5m])) by (container, pod, job)',
    format: "CPUUsage",
  },
  "Memory/Pod": {
    query: 'sum(container_memory_working_set_bytes{namespace="$namespace", pod=~"$pod", container!="", image!=""}) by (pod, job)',
    format: "Bytes",
  },
  "Memory/Node": {
    query: `1 - ((node_memory_MemAvailable_bytes{${NODE}} or (node_memory_Buffers_bytes{${NODE}} + node_memory_Cached_bytes{${NODE}} + node_memory_MemFree_bytes{${NODE}} + node_memory_Slab_bytes{${NODE}} ) ) / node_memory_MemTotal_bytes{${NODE}}) != 0`,
    format: "Percentage",
  },
  "Memory/Container": {
    query: 'sum(container_memory_working_set_bytes{namespace="$namespace", pod=~"$pod", container=~"$container", image!=""}) by (container, pod, job)',
    format: "Bytes",
  },
  "Disk/Pod": undefined,
  "Disk/Node": {
    query: `sum(sort_desc(1 -(max without (mountpoint, fstype) (node_filesystem_avail_bytes{job="node-exporter", fstype!="", instance=~"$node_internal_ip:[0-9]+"})/max without (mountpoint, fstype) (node_filesystem_size_bytes{job="node-exporter", fstype!="", instance=~"$node_internal_ip:[0-9]+"})) != 0))`,
    format: "Percentage",
  },
  "Disk/Container": undefined,
};

/** Robusta's prometheus_graphs_overrides, for the actions that draw resource graphs. */
export const graphsOverridesShape = {
  prometheus_graphs_overrides: z
    .array(
      z.object({
        resource_type: z.enum(RESOURCE_TYPES),
        item_type: z.enum(ITEM_TYPES),
        query: z.string().min(1),
        values_format: z.enum(CHART_VALUES_FORMATS).optional(),
      }),
    )
    .optional()
    .describe(
      "Your own PromQL for resource graphs, replacing Robusta's: a list of {resource_type, item_type, query, values_format}; queries may use $pod, $namespace, $container, $node and $node_internal_ip.",
    ),
};

export type GraphsOverrides = z.output<typeof graphsOverridesShape.prometheus_graphs_overrides>;

/** Robusta's default format for an override that names none. */
function defaultFormat(resource: ResourceType, item: ItemType): ChartValuesFormat {
  if (item === "Node") return "Percentage";
  return resource === "CPU" ? "CPUUsage" : resource === "Memory" ? "Bytes" : "Plain";
}

/** The query and format for a resource graph, an override first; undefined for Disk of a pod or container. */
export function resourceChart(resource: ResourceType, item: ItemType, overrides?: GraphsOverrides): ChartOptions | undefined {
  const override = overrides?.find((o) => o.resource_type === resource && o.item_type === item);
  if (override) return { query: override.query, format: override.values_format ?? defaultFormat(resource, item) };
  return CHARTS[`${resource}/${item}`];
}

/** What to draw a resource graph of. */
export interface ResourceGraphRequest {
  readonly resource: ResourceType;
  readonly item: ItemType;
  /** Fills the query's $pod, $namespace, $container, $node_internal_ip. */
  readonly labels: Readonly<Record<string, string>>;
  readonly window: GraphWindow;
  readonly title?: string;
  readonly markers?: readonly GraphMarker[];
}

/** "CPU Usage", "Memory Utilization": Robusta calls a percentage a utilization. */
const usageOf = (resource: ResourceType, format: ChartValuesFormat): string => `${resource} ${format === "Percentage" ? "Utilization" : "Usage"}`;

/** "Memory Usage for this pod", "CPU Utilization for this node", as Robusta titles them. */
export function resourceGraphTitle(resource: ResourceType, item: ItemType, format: ChartValuesFormat): string {
  return `${usageOf(resource, format)} for this ${item.toLowerCase()}`;
}

/** Queries Prometheus and draws the graph; an Error for a combination Robusta has no query for. */
export async function resourceGraph(
  ctx: Pick<Context, "fetch" | "signal">,
  params: PrometheusParams & { prometheus_graphs_overrides?: GraphsOverrides },
  request: ResourceGraphRequest,
): Promise<FileBlock> {
  const { resource, item, labels } = request;
  const chart = resourceChart(resource, item, params.prometheus_graphs_overrides);
  if (!chart) throw new Error(`There is no ${resource} graph for a ${item.toLowerCase()}: Disk graphs are for nodes only`);
  return prometheusGraph(ctx, params, {
    promql: substituteLabels(chart.query, labels),
    title: request.title ?? resourceGraphTitle(resource, item, chart.format),
    window: request.window,
    format: chart.format,
    unnamedSeries: labels[item.toLowerCase()] ?? usageOf(resource, chart.format),
    onePerTarget: true,
    ...(request.markers && { markers: request.markers }),
  });
}
