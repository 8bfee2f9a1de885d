/**
 * The memory graphs of an OOM kill (Robusta's create_container_graph and create_node_graph_enrichment):
 * optional extras of a finding, so a failed query is logged and the graph skipped. Callers check
 * `prometheusConfigured` first.
 */
import { z } from "zod";
import type { Context } from "../../../context.js";
import type { FileBlock } from "../../../findings/blocks.js";
import { prometheusParamsShape, type PrometheusParams } from "../../../integrations/prometheus.js";
import type { Container, Node, Pod } from "../../../kubernetes/objects.js";
import { errorMessage } from "../../../util/timeout.js";
import { quantityBytes } from "../memory-quantity.js";
import type { GraphWindow } from "./graph.js";
import type { GraphMarker } from "./graph-svg.js";
import { nodeInternalIp } from "./promql-template.js";
import { graphsOverridesShape, resourceGraph, type GraphsOverrides, type ResourceGraphRequest } from "./resource-graphs.js";

/** The graph parameters of actions that draw memory graphs (Robusta's ResourceGraphEnricherParams). */
export const memoryGraphParamsShape = {
  ...prometheusParamsShape,
  ...graphsOverridesShape,
  graph_duration_minutes: z.number().positive().default(60).describe("How many minutes the memory graphs span, up to now."),
};

type MemoryGraphParams = PrometheusParams & { graph_duration_minutes: number; prometheus_graphs_overrides?: GraphsOverrides };

const HOUR_MS = 3_600_000;

/** The graph, or undefined (logged) when the query fails. */
async function optionalGraph(ctx: Context, params: MemoryGraphParams, request: ResourceGraphRequest, action: string): Promise<FileBlock | undefined> {
  try {
    return await resourceGraph(ctx, params, request);
  } catch (error) {
    ctx.logger.warn({ graph: request.title ?? request.item, reason: errorMessage(error) }, `${action}: could not draw the memory graph`);
    return undefined;
  }
}

/** "Memory Utilization for this node", by its InternalIP in node-exporter's metrics. */
export function nodeMemoryGraph(ctx: Context, params: MemoryGraphParams, node: Node, action: string): Promise<FileBlock | undefined> {
  const name = node.metadata?.name ?? "";
  const ip = nodeInternalIp(node);
  if (!ip) {
    ctx.logger.info({ node: name }, `${action}: the node has no InternalIP to find its metrics by, so no memory graph`);
    return Promise.resolve(undefined);
  }
  const now = ctx.clock.now();
  const window: GraphWindow = { start: new Date(now.getTime() - params.graph_duration_minutes * 60_000), end: now };
  return optionalGraph(ctx, params, { resource: "Memory", item: "Node", labels: { node: name, node_internal_ip: ip }, window }, action);
}

/**
 * "Memory Usage for container <name>", with its limit and request as lines and, when it was
 * killed, the time of the kill; the graph reaches from an hour before the kill to 30 minutes after.
 */
export function containerMemoryGraph(
  ctx: Context,
  params: MemoryGraphParams,
  pod: Pod,
  container: Container,
  killedAt: string | undefined,
  action: string,
): Promise<FileBlock | undefined> {
  const limit = quantityBytes(container.resources?.limits?.memory);
  const request = quantityBytes(container.resources?.requests?.memory);
  const killed = killedAt ? Date.parse(killedAt) : NaN;
  const markers: GraphMarker[] = [
    ...(limit ? [{ name: "Limit", value: limit, direction: "horizontal" as const }] : []),
    ...(request ? [{ name: "Request", value: request, direction: "horizontal" as const }] : []),
    ...(Number.isNaN(killed) ? [] : [{ name: "OOM Kill Time", value: killed, direction: "vertical" as const }]),
  ];
  const now = ctx.clock.now().getTime();
  let [start, end] = [now - params.graph_duration_minutes * 60_000, now];
  if (!Number.isNaN(killed)) [start, end] = [Math.min(start, killed - HOUR_MS), Math.max(end, killed + HOUR_MS / 2)];
  const labels = { pod: pod.metadata?.name ?? "", namespace: pod.metadata?.namespace ?? "default", container: container.name };
  return optionalGraph(
    ctx,
    params,
    { resource: "Memory", item: "Container", labels, window: { start: new Date(start), end: new Date(end) }, title: `Memory Usage for container ${container.name}`, markers },
    action,
  );
}
