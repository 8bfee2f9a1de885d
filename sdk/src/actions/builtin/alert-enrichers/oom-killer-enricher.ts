import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { markdown, table } from "../../../findings/blocks.js";
import { prometheusConfigured, prometheusParamsShape, type PrometheusParams } from "../../../integrations/prometheus.js";
import type { Node, Pod } from "../../../kubernetes/objects.js";
import { allContainerStatuses } from "../../../triggers/pod-health.js";
import { errorMessage } from "../../../util/timeout.js";
import { defineAction } from "../../define.js";
import { quantityBytes } from "../memory-quantity.js";
import { nodePods } from "../workloads/workload-pods.js";
import { nodeInstanceRegex } from "./node-instance.js";
import { percent, queryNumber } from "./prometheus-values.js";

const ACTION = "oom_killer_enricher";

/** Robusta's thresholds: a container this close to its limit, or a node this full, is the likely reason. */
const CONTAINER_MEMORY_THRESHOLD = 0.92;
const NODE_MEMORY_THRESHOLD = 0.95;

/** One OOM kill of a container on the node. */
interface OomKill {
  readonly pod: Pod;
  readonly container: string;
  readonly image: string;
  readonly finishedAt: string;
  readonly request?: string;
  readonly limit?: string;
}

type Params = PrometheusParams & { new_oom_kills_duration_in_sec: number; metrics_duration_in_secs: number };

/** The containers of `pods` OOM-killed within the last `seconds` (their current state, or the last one). */
function recentOomKills(pods: readonly Pod[], now: Date, seconds: number): OomKill[] {
  return pods.flatMap((pod) => {
    const specs = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
    return allContainerStatuses(pod).flatMap((status): OomKill[] => {
      const terminated = [status.state?.terminated, status.lastState?.terminated].find((t) => t?.reason === "OOMKilled");
      const finished = Date.parse(terminated?.finishedAt ?? "");
      if (!terminated?.finishedAt || Number.isNaN(finished) || now.getTime() - finished > seconds * 1000) return [];
      const resources = specs.find((spec) => spec.name === status.name)?.resources;
      return [
        {
          pod,
          container: status.name,
          image: status.image,
          finishedAt: terminated.finishedAt,
          ...(resources?.requests?.memory !== undefined && { request: resources.requests.memory }),
          ...(resources?.limits?.memory !== undefined && { limit: resources.limits.memory }),
        },
      ];
    });
  });
}

/** A query's number, or undefined (logged) when it fails: reasons are estimates, the kills are the news. */
async function optionalNumber(ctx: Context, params: Params, promql: string): Promise<number | undefined> {
  try {
    return await queryNumber(ctx, params, promql);
  } catch (error) {
    ctx.logger.warn({ query: promql, reason: errorMessage(error) }, `${ACTION}: could not query Prometheus for the OOM kill's reason`);
    return undefined;
  }
}

/**
 * Robusta's estimated reason: the container neared its limit, else the node ran out of memory,
 * each by its peak over the last metrics_duration_in_secs; the node is asked about once.
 */
function reasonEstimator(ctx: Context, params: Params, node: Node): (kill: OomKill) => Promise<string> {
  const range = `${params.metrics_duration_in_secs}s`;
  const nodeName = node.metadata?.name ?? "";
  let nodeReason: Promise<string | undefined> | undefined;
  const busyNode = async (): Promise<string | undefined> => {
    const peak = await optionalNumber(
      ctx,
      params,
      `max(max_over_time(instance:node_memory_utilisation:ratio{job="node-exporter", instance=~"${nodeInstanceRegex(node)}"}[${range}]))`,
    );
    return peak !== undefined && peak >= NODE_MEMORY_THRESHOLD ? `node ${nodeName} used too much memory: reached ${percent(peak)} of its available memory` : undefined;
  };
  return async (kill) => {
    const limit = quantityBytes(kill.limit);
    if (limit) {
      const { name, namespace } = kill.pod.metadata ?? {};
      const peak = await optionalNumber(
        ctx,
        params,
        `max(max_over_time(container_memory_usage_bytes{namespace="${namespace ?? "default"}", pod="${name ?? ""}", container="${kill.container}", image!=""}[${range}]))`,
      );
      if (peak !== undefined && peak / limit >= CONTAINER_MEMORY_THRESHOLD) {
        return `container used too much memory: reached ${percent(peak / limit)} of its specified limit`;
      }
    }
    nodeReason ??= busyNode();
    return (await nodeReason) ?? "reason not found";
  };
}

/** oom_killer_enricher: the containers the OOM killer stopped on the alert's node lately. */
export const oomKillerEnricher = defineAction({
  name: ACTION,
  description:
    "For HostOomKillDetected: adds a table of the containers on the node that were OOM-killed in the last new_oom_kills_duration_in_sec seconds (time, namespace, pod, container, image, memory request and limit), most recent first. With Prometheus configured, each gets Robusta's estimated reason: the container reached 92% of its memory limit, or the node 95% of its memory, at its peak over the last metrics_duration_in_secs seconds. When no container was killed, a note says so: the OOM killer then stopped a process outside the cluster's containers. When the event carries no node, a note says so.",
  event: EventClasses.Node,
  params: z.object({
    ...prometheusParamsShape,
    new_oom_kills_duration_in_sec: z
      .number()
      .int()
      .positive()
      .default(1200)
      .describe("Only OOM kills of the last this many seconds are reported, so older ones are not reported again."),
    metrics_duration_in_secs: z
      .number()
      .int()
      .positive()
      .default(1200)
      .describe("Over how many seconds back the container's and node's peak memory use is looked at to estimate each kill's reason."),
  }),
  async run(event, params, ctx) {
    const node = event.node;
    const nodeName = node?.metadata?.name;
    if (!node || !nodeName) {
      ctx.logger.warn({}, `${ACTION}: the event carries no node`);
      ctx.addEnrichment([markdown("No OOM kill details: the alert names no node that exists now.")]);
      return;
    }
    const kills = recentOomKills(await nodePods(ctx, nodeName), ctx.clock.now(), params.new_oom_kills_duration_in_sec).sort(
      (a, b) => Date.parse(b.finishedAt) - Date.parse(a.finishedAt),
    );
    if (kills.length === 0) {
      ctx.logger.info({ node: nodeName }, `${ACTION}: no container on the node was OOM-killed lately`);
      ctx.addEnrichment([
        markdown(
          `No container on node ${nodeName} was OOM-killed in the last ${params.new_oom_kills_duration_in_sec} seconds: the OOM killer stopped a process that runs outside the cluster's containers, or the kill is older.`,
        ),
      ]);
      return;
    }
    const withReasons = prometheusConfigured(params);
    if (!withReasons) ctx.logger.info({ node: nodeName }, `${ACTION}: Prometheus is not configured, so no estimated reasons`);
    const estimate = withReasons ? reasonEstimator(ctx, params, node) : undefined;
    const rows = [];
    for (const kill of kills) {
      rows.push([
        kill.finishedAt,
        kill.pod.metadata?.namespace ?? "",
        kill.pod.metadata?.name ?? "",
        kill.container,
        kill.image,
        kill.request ?? "none",
        kill.limit ?? "none",
        ...(estimate ? [await estimate(kill)] : []),
      ]);
    }
    const headers = ["time", "namespace", "pod", "container", "image", "memory request", "memory limit", ...(estimate ? ["estimated reason"] : [])];
    ctx.addEnrichment([table(rows, { headers, name: `OOM-killed containers on node ${nodeName}` })], { title: "OOM kills" });
  },
});
