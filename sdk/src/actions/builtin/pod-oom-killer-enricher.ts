import type { ContainerStateTerminated } from "kubernetes-types/core/v1.js";
import { z } from "zod";
import type { Context } from "../../context.js";
import { EventClasses } from "../../events/classes.js";
import { table, type TableCell } from "../../findings/blocks.js";
import { subjectOf } from "../../findings/defaults.js";
import type { Container, ContainerStatus, Node, Pod } from "../../kubernetes/objects.js";
import { allContainerStatuses } from "../../triggers/pod-health.js";
import { errorMessage } from "../../util/timeout.js";
import { defineAction } from "../define.js";
import { eventPod } from "./event-pod.js";
import { quantityMiB } from "./memory-quantity.js";
import { addLogEnrichment, podLogBlock } from "./pod-logs.js";
import { prometheusConfigured } from "../../integrations/prometheus.js";
import { containerMemoryGraph, memoryGraphParamsShape, nodeMemoryGraph } from "./prometheus/memory-graphs.js";

/** One OOM kill of a container: its current state, or its last one if it has restarted since. */
interface OomKill {
  readonly status: ContainerStatus;
  readonly terminated: ContainerStateTerminated;
  /** The killed instance is the previous one: the container has started again. */
  readonly restarted: boolean;
}

/** The pod's OOM-killed containers, most recent kill first. */
function oomKills(pod: Pod): OomKill[] {
  return allContainerStatuses(pod)
    .flatMap((status): OomKill[] => {
      if (status.state?.terminated?.reason === "OOMKilled") return [{ status, terminated: status.state.terminated, restarted: false }];
      if (status.lastState?.terminated?.reason === "OOMKilled") return [{ status, terminated: status.lastState.terminated, restarted: true }];
      return [];
    })
    .sort((a, b) => (Date.parse(b.terminated.finishedAt ?? "") || 0) - (Date.parse(a.terminated.finishedAt ?? "") || 0));
}

/** The spec of the pod's container (or init container) `name`. */
function containerSpec(pod: Pod, name: string): Container {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name) ?? { name };
}

/** "256MB request, 512MB limit", as Robusta words it. */
function memorySpec(spec: Container): string {
  const request = quantityMiB(spec?.resources?.requests?.memory);
  const limit = quantityMiB(spec?.resources?.limits?.memory);
  return `${request ? `${request}MB request` : "No request"}, ${limit ? `${limit}MB limit` : "No limit"}`;
}

async function readNode(ctx: Context, name: string): Promise<Node | undefined> {
  try {
    const node = await ctx.cluster.get("Node", name);
    if (!node) ctx.logger.warn({ node: name }, "pod_oom_killer_enricher: the pod's node was not found");
    return node;
  } catch (error) {
    ctx.logger.warn({ node: name, reason: errorMessage(error) }, "pod_oom_killer_enricher: could not read the node");
    return undefined;
  }
}

/** How much of the node's memory is reserved away from pods, and what is left for them. */
function allocatedMemory(node: Node): string | undefined {
  const allocatable = quantityMiB(node.status?.allocatable?.memory);
  const capacity = quantityMiB(node.status?.capacity?.memory);
  if (allocatable === undefined || !capacity) return undefined;
  return `${(((capacity - allocatable) * 100) / capacity).toFixed(2)}% out of ${allocatable}MB allocatable`;
}

/**
 * pod_oom_killer_enricher: a finding for an OOM-killed pod, with the killed containers' memory
 * settings, the node, and optionally the killed instance's log and memory graphs.
 *
 * dmesg is accepted but not produced yet: it needs a node debugger pod, which does not exist yet;
 * the action says so in the log.
 */
export const podOomKillerEnricher = defineAction({
  name: "pod_oom_killer_enricher",
  description:
    'Reports an OOM-killed pod as a new HIGH finding, "Pod <pod> in namespace <namespace> OOMKilled results" (aggregation key PodOOMKilled): the node and its allocatable memory, then for each OOM-killed container its memory request and limit and when it started and was killed; with attach_logs, the log of the killed instance. With Prometheus configured, node_memory_graph adds "Memory Utilization for this node" to Node Info and container_memory_graph adds "Memory Usage for container <name>" (with its limit, request and the time of the kill) to the latest kill\'s Container Info, as SVG graphs; without Prometheus, or when a query fails, the runner logs that the graph was skipped. dmesg is not available yet (the runner logs that it was skipped).',
  event: EventClasses.Pod,
  params: z.object({
    ...memoryGraphParamsShape,
    attach_logs: z.boolean().default(false).describe("Attach the log of the killed instance of the most recently killed container."),
    container_memory_graph: z
      .boolean()
      .default(false)
      .describe("Add a graph of the most recently killed container's memory use, with its limit and request, when Prometheus is configured."),
    node_memory_graph: z
      .boolean()
      .default(false)
      .describe("Add a graph of the node's memory utilization (node-exporter's metrics), when Prometheus is configured."),
    dmesg_log: z
      .boolean()
      .default(false)
      .describe("Attach the node's kernel log (dmesg). Not available yet: accepted, and skipped with a note in the runner's log."),
  }),
  async run(event, params, ctx) {
    const found = eventPod(event, ctx, "pod_oom_killer_enricher");
    if (!found) return;
    const { pod, name, namespace } = found;
    const nodeName = pod.spec?.nodeName;
    ctx.addFinding({
      title: `Pod ${name} in namespace ${namespace} OOMKilled results`,
      aggregationKey: "PodOOMKilled",
      severity: "HIGH",
      source: "KUBERNETES_API_SERVER",
      subject: subjectOf(pod, "Pod"),
    });

    const prometheus = prometheusConfigured(params);
    const node = nodeName ? await readNode(ctx, nodeName) : undefined;
    if (node && nodeName) {
      const allocated = allocatedMemory(node);
      const graph = params.node_memory_graph && prometheus ? await nodeMemoryGraph(ctx, params, node, "pod_oom_killer_enricher") : undefined;
      ctx.addEnrichment(
        [table([["Node Name", nodeName], ...(allocated ? [["Node allocated memory", allocated]] : [])], { name: "Node Info" }), ...(graph ? [graph] : [])],
        { title: "Node Info", enrichmentType: "node_info" },
      );
    }

    const kills = oomKills(pod);
    if (kills.length === 0) ctx.logger.warn({ pod: `${namespace}/${name}` }, "pod_oom_killer_enricher: no container of the pod was OOM-killed");
    const latest = kills[0];
    // Robusta graphs the most recent kill only.
    const containerGraph =
      params.container_memory_graph && prometheus && latest
        ? await containerMemoryGraph(ctx, params, pod, containerSpec(pod, latest.status.name), latest.terminated.finishedAt, "pod_oom_killer_enricher")
        : undefined;
    for (const { status, terminated } of kills) {
      const rows: [string, TableCell][] = [
        ["Pod", name],
        ["Namespace", namespace],
        ["Container name", status.name],
        ["Container memory", memorySpec(containerSpec(pod, status.name))],
        ...(terminated.startedAt ? ([["Container started at", terminated.startedAt]] as [string, TableCell][]) : []),
        ...(terminated.finishedAt ? ([["Container finished at", terminated.finishedAt]] as [string, TableCell][]) : []),
      ];
      const graph = status === latest?.status ? containerGraph : undefined;
      ctx.addEnrichment([table(rows, { name: "Container Info" }), ...(graph ? [graph] : [])], { title: "Container Info", enrichmentType: "container_info" });
    }

    if (params.attach_logs && latest) {
      addLogEnrichment(ctx, await podLogBlock(ctx, pod, { container: latest.status.name, previous: latest.restarted }));
    }

    const skipped = [
      ...(params.container_memory_graph && !prometheus ? ["container_memory_graph"] : []),
      ...(params.node_memory_graph && !prometheus ? ["node_memory_graph"] : []),
      ...(params.dmesg_log ? ["dmesg_log"] : []),
    ];
    if (skipped.length > 0) {
      ctx.logger.info(
        { pod: `${namespace}/${name}`, skipped },
        "pod_oom_killer_enricher: skipped what cannot be had here (memory graphs need globalConfig.prometheus_url; dmesg needs a node debugger pod)",
      );
    }
  },
});
