import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { markdown } from "../../../findings/blocks.js";
import { prometheusParamsShape, type PrometheusParams } from "../../../integrations/prometheus.js";
import { defineAction } from "../../define.js";
import { formatValue } from "../prometheus/graph-svg.js";
import { percent, prometheusOrNote, queryNumber } from "./prometheus-values.js";

const params = z.object({
  ...prometheusParamsShape,
  default_query_duration: z
    .number()
    .int()
    .positive()
    .default(600)
    .describe("Over how many seconds the requests and allocatable amounts are averaged."),
});

/** What differs between the CPU and the memory enricher. */
interface Resource {
  readonly action: string;
  /** As Robusta words it: "allocatable memory", then "Add more Memory". */
  readonly label: string;
  readonly name: string;
  /** The alert it explains. */
  readonly alert: string;
  /** kube-prometheus' recording rule prefix: "namespace_cpu". */
  readonly rule: string;
  /** kube-state-metrics' resource label: "cpu". */
  readonly resource: string;
  readonly format: (amount: number) => string;
}

const CPU: Resource = {
  action: "cpu_overcommited_enricher",
  label: "CPU",
  name: "CPU",
  alert: "KubeCPUOvercommit",
  rule: "namespace_cpu",
  resource: "cpu",
  // Cores, to two decimals, as Robusta rounds them.
  format: (cores) => String(Math.round(cores * 100) / 100),
};

const MEMORY: Resource = {
  action: "memory_overcommited_enricher",
  label: "memory",
  name: "Memory",
  alert: "KubeMemoryOvercommit",
  rule: "namespace_memory",
  resource: "memory",
  format: (bytes) => formatValue(bytes, "Bytes"),
};

/** Robusta's CpuAnalyzer/MemoryAnalyzer queries: all pods' requests and all nodes' allocatable, averaged. */
function overcommitQueries(resource: Resource, seconds: number): { requests: string; allocatable: string } {
  return {
    requests: `sum(avg_over_time(${resource.rule}:kube_pod_container_resource_requests:sum{}[${seconds}s]))`,
    allocatable: `sum(avg_over_time(kube_node_status_allocatable{resource="${resource.resource}"}[${seconds}s]))`,
  };
}

async function explainOvercommit(resource: Resource, params: PrometheusParams & { default_query_duration: number }, ctx: Context): Promise<void> {
  if (!prometheusOrNote(params, ctx, resource.action, `${resource.label} requests and allocatable amounts`)) return;
  const queries = overcommitQueries(resource, params.default_query_duration);
  const [requests, allocatable] = await Promise.all([queryNumber(ctx, params, queries.requests), queryNumber(ctx, params, queries.allocatable)]);
  if (!requests || !allocatable) {
    // As Robusta: nothing to explain without both numbers.
    ctx.logger.warn({ requests: requests ?? null, allocatable: allocatable ?? null }, `${resource.action}: Prometheus has no ${resource.label} requests or allocatable amounts`);
    return;
  }
  ctx.addEnrichment(
    [
      markdown(
        `*Stats:* Currently the total of your pods requests is: ${resource.format(requests)}, and total of allocatable ${resource.label} is: ${resource.format(allocatable)} (${percent(requests / allocatable)} requested).`,
      ),
    ],
    { annotations: { unfurl: "false" } },
  );
  ctx.updateFinding({
    description: `Your cluster is currently OK, but if a single node fails then some pods might not be scheduled. Add more ${resource.name} to your cluster to increase resilience.`,
  });
}

const describe = (resource: Resource): string =>
  `Explains a ${resource.alert} alert with numbers from Prometheus: the total ${resource.label} requested by all pods (kube-prometheus' ${resource.rule}:kube_pod_container_resource_requests:sum) and the total allocatable ${resource.label} of all nodes (kube_node_status_allocatable), each averaged over default_query_duration seconds, and the share requested; and sets the finding's description to Robusta's: the cluster is OK now, but if a single node fails some pods might not be scheduled, so add more ${resource.name}. Without both numbers it adds nothing (the runner logs why); without Prometheus it adds a note saying so.`;

/** cpu_overcommited_enricher: how much CPU pods request against what the nodes can give. */
export const cpuOvercommitedEnricher = defineAction({
  name: "cpu_overcommited_enricher",
  description: describe(CPU),
  event: EventClasses.PrometheusAlert,
  params,
  run: (_event, parsed, ctx) => explainOvercommit(CPU, parsed, ctx),
});

/** memory_overcommited_enricher: how much memory pods request against what the nodes can give. */
export const memoryOvercommitedEnricher = defineAction({
  name: "memory_overcommited_enricher",
  description: describe(MEMORY),
  event: EventClasses.PrometheusAlert,
  params,
  run: (_event, parsed, ctx) => explainOvercommit(MEMORY, parsed, ctx),
});
