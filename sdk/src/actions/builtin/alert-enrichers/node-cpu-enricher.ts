import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { markdown, table, type FileBlock } from "../../../findings/blocks.js";
import { prometheusParamsShape, type PrometheusParams } from "../../../integrations/prometheus.js";
import type { Node, Pod } from "../../../kubernetes/objects.js";
import { errorMessage } from "../../../util/timeout.js";
import { defineAction } from "../../define.js";
import { quantityBytes } from "../memory-quantity.js";
import { addGraphEnrichment, graphWindow, prometheusGraph } from "../prometheus/graph.js";
import { isAlertEvent } from "../prometheus/promql-template.js";
import { formatAmount, isTerminated, podAmounts } from "../workloads/pod-resources.js";
import { nodePods } from "../workloads/workload-pods.js";
import { nodeInstanceRegex } from "./node-instance.js";
import { percent, prometheusOrNote, queryNumber, querySeries } from "./prometheus-values.js";

const ACTION = "node_cpu_enricher";
const GRAPH_MINUTES = 60;
/** Pods drawn in the graph: the busiest, so the legend stays readable. */
const GRAPH_PODS = 10;

/** Robusta's NodeCpuAnalyzer queries, over 5 minutes. */
const queries = (node: Node) => {
  const name = node.metadata?.name ?? "";
  const instance = nodeInstanceRegex(node);
  // image!="" counts containers only, not also the pod-level cgroup of each pod.
  const containers = `container_cpu_usage_seconds_total{node="${name}", pod!="", image!=""}`;
  return {
    total: `1 - avg by(instance)(rate(node_cpu_seconds_total{mode=~"idle", instance=~"${instance}"}[5m])) - avg by(instance)(rate(node_cpu_seconds_total{mode=~"iowait", instance=~"${instance}"}[5m]))`,
    perPod: `sum by (namespace, pod) (rate(${containers}[5m]))`,
    graph: `topk(${GRAPH_PODS}, sum by (pod) (rate(${containers}[5m])))`,
  };
};

/** A row of the table: a pod on the node, or one Prometheus saw there that is gone. */
interface PodCpu {
  namespace: string;
  pod: string;
  usage?: number;
  spec?: Pod;
}

const keyOf = (namespace: string, pod: string) => `${namespace}/${pod}`;

/** The pods the node runs, with their CPU use where Prometheus has it; the busiest first. */
function podCpu(pods: readonly Pod[], usage: readonly { metric: Readonly<Record<string, string>>; value: number }[]): PodCpu[] {
  const rows = new Map<string, PodCpu>();
  for (const pod of pods) {
    const namespace = pod.metadata?.namespace ?? "default";
    const name = pod.metadata?.name ?? "";
    rows.set(keyOf(namespace, name), { namespace, pod: name, spec: pod });
  }
  for (const { metric, value } of usage) {
    const namespace = metric.namespace ?? "";
    const pod = metric.pod ?? "";
    const row = rows.get(keyOf(namespace, pod)) ?? { namespace, pod };
    rows.set(keyOf(namespace, pod), { ...row, usage: value });
  }
  return [...rows.values()].sort((a, b) => (b.usage ?? -1) - (a.usage ?? -1) || keyOf(a.namespace, a.pod).localeCompare(keyOf(b.namespace, b.pod)));
}

const cpuOf = (pod: Pod | undefined, which: "requests" | "limits"): string => {
  if (!pod) return "unknown";
  const cores = podAmounts(pod, which).cpu;
  return cores === undefined ? "none" : formatAmount("cpu", cores);
};

/** The graph of the busiest pods' CPU, or undefined (logged) when the query fails: the table is the analysis. */
async function podsGraph(ctx: Context, params: PrometheusParams, promql: string, title: string, startsAt: string | undefined): Promise<FileBlock | undefined> {
  try {
    const window = graphWindow(ctx.clock.now(), GRAPH_MINUTES, startsAt);
    return await prometheusGraph(ctx, params, { promql, title, window, format: "CPUUsage" });
  } catch (error) {
    ctx.logger.warn({ reason: errorMessage(error) }, `${ACTION}: could not draw the graph of the node's pods`);
    return undefined;
  }
}

/** node_cpu_enricher: what uses the node's CPU, pod by pod, against what the pods request. */
export const nodeCpuEnricher = defineAction({
  name: ACTION,
  description:
    'Analyses a node\'s high CPU (HostHighCpuLoad) as Robusta does: a "Node CPU Analysis" with a quick explanation, the node\'s total CPU usage (node-exporter\'s node_cpu_seconds_total) and how much of it is containers\' (container_cpu_usage_seconds_total) and not, all in percent of the node\'s CPUs; a table "Actual Vs Requested vCPUs on Node <name>" of every pod on the node with its CPU usage over the last 5 minutes, its share of the node, and its CPU request and limit, busiest first; and a graph of the 10 busiest pods\' CPU usage over the last hour (or since the alert started). Without Prometheus, or when the event carries no node, a note says so.',
  event: EventClasses.Node,
  params: z.object({ ...prometheusParamsShape }),
  async run(event, params, ctx) {
    const node = event.node;
    const name = node?.metadata?.name;
    if (!node || !name) {
      ctx.logger.warn({}, `${ACTION}: the event carries no node`);
      ctx.addEnrichment([markdown("No node CPU analysis: the alert names no node that exists now.")]);
      return;
    }
    if (!prometheusOrNote(params, ctx, ACTION, "node CPU analysis")) return;
    const promql = queries(node);
    const [total, usage, pods] = await Promise.all([
      queryNumber(ctx, params, promql.total),
      querySeries(ctx, params, promql.perPod),
      nodePods(ctx, name),
    ]);
    const cores = quantityBytes(node.status?.capacity?.cpu);
    const containers = usage.reduce((sum, { value }) => sum + value, 0);
    const share = (used: number | undefined): string => (used === undefined || !cores ? "no data" : `${((used / cores) * 100).toFixed(1)}%`);
    const stats = [
      ...(total !== undefined ? [`*Total CPU usage on node:* ${percent(total)}`] : []),
      ...(cores ? [`*Container CPU usage on node:* ${percent(containers / cores)}`] : []),
      ...(total !== undefined && cores ? [`*Non-container CPU usage on node:* ${percent(Math.max(total - containers / cores, 0))}`] : []),
    ];
    if (total === undefined) ctx.logger.warn({ node: name }, `${ACTION}: Prometheus has no node-exporter CPU metrics for the node`);
    const rows = podCpu(pods.filter((pod) => !isTerminated(pod)), usage).map((row) => [
      row.namespace,
      row.pod,
      row.usage === undefined ? "no data" : formatAmount("cpu", row.usage),
      share(row.usage),
      cpuOf(row.spec, "requests"),
      cpuOf(row.spec, "limits"),
    ]);
    ctx.addEnrichment(
      [
        markdown(
          "_*Quick explanation:* High CPU typically occurs if you define pod CPU requests incorrectly and Kubernetes schedules too many pods on one node. If this is the case, update your pod CPU requests to more accurate numbers using guidance from the table below._",
        ),
        ...(stats.length > 0 ? [markdown(stats.join("\n"))] : []),
        table(rows, { headers: ["namespace", "pod", "CPU usage", "% of node", "CPU request", "CPU limit"], name: `Actual Vs Requested vCPUs on Node ${name}` }),
      ],
      { title: "Node CPU Analysis" },
    );
    const title = `CPU Usage on Node ${name}`;
    const graph = await podsGraph(ctx, params, promql.graph, title, isAlertEvent(event) ? event.startsAt : undefined);
    if (graph) addGraphEnrichment(ctx, graph, title);
  },
});
