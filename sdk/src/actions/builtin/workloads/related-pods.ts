import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { json, table } from "../../../findings/blocks.js";
import type { Container, Pod } from "../../../kubernetes/objects.js";
import { defineAction } from "../../define.js";
import { eventObject } from "./event-object.js";
import { containerAmounts, cores, mebibytes, podAmounts, podRestarts } from "./pod-resources.js";
import { podsOf } from "./workload-pods.js";

/** A container of a related pod, as Robusta's JSON output describes it (cpu in cores, memory in MiB). */
function containerInfo(pod: Pod, container: Container) {
  const status = pod.status?.containerStatuses?.find((s) => s.name === container.name);
  const requests = containerAmounts(container, "requests");
  const limits = containerAmounts(container, "limits");
  const stateName = (["running", "waiting", "terminated"] as const).find((s) => status?.state?.[s] !== undefined) ?? "waiting";
  const state = status?.state?.[stateName] as { reason?: string; message?: string; startedAt?: string } | undefined;
  const last = status?.lastState?.terminated;
  return {
    name: container.name,
    cpuLimit: cores(limits.cpu),
    cpuRequest: cores(requests.cpu),
    memoryLimit: mebibytes(limits.memory),
    memoryRequest: mebibytes(requests.memory),
    restarts: status?.restartCount ?? 0,
    status: stateName,
    statusReason: state?.reason ?? null,
    statusMessage: state?.message ?? null,
    created: state?.startedAt ?? null,
    ports: container.ports ?? [],
    terminatedReason: last?.reason ?? null,
    terminatedExitCode: last?.exitCode ?? null,
    terminatedStarted: last?.startedAt ?? null,
    terminatedFinished: last?.finishedAt ?? null,
  };
}

/** A related pod, as Robusta's JSON output describes it. */
function podInfo(pod: Pod, clusterName: string, includeRaw: boolean) {
  const requests = podAmounts(pod, "requests");
  const limits = podAmounts(pod, "limits");
  return {
    name: pod.metadata?.name ?? null,
    namespace: pod.metadata?.namespace ?? null,
    node: pod.spec?.nodeName ?? null,
    clusterName,
    cpuLimit: cores(limits.cpu),
    cpuRequest: cores(requests.cpu),
    memoryLimit: mebibytes(limits.memory),
    memoryRequest: mebibytes(requests.memory),
    creationTime: pod.metadata?.creationTimestamp ?? null,
    restarts: podRestarts(pod),
    addresses: (pod.status?.podIPs ?? []).map((address) => address.ip).join(","),
    containers: (pod.spec?.containers ?? []).map((container) => containerInfo(pod, container)),
    status: pod.status?.phase ?? null,
    statusReason: pod.status?.reason ?? null,
    ...(includeRaw && { raw_data: pod }),
  };
}

const HEADERS = [
  "name",
  "namespace",
  "cluster",
  "node",
  "cpu limit",
  "cpu request",
  "memory limit",
  "memory request",
  "creation_time",
  "restarts",
  "addresses",
  "containers",
  "status",
  "status reason",
];

/** related_pods: the pods of a workload, job or node, as a table or JSON. */
export const relatedPods = defineAction({
  name: "related_pods",
  description:
    'Adds the pods of the resource: a Deployment\'s, ReplicaSet\'s, StatefulSet\'s or DaemonSet\'s (by its selector), a Job\'s, those on a Node, or the Pod itself. As a "related pods" table (name, namespace, cluster, node, cpu limit and request in cores, memory limit and request in MiB, creation time, restarts, addresses, containers, status, status reason), or with output_format json as structured data with each container\'s state.',
  event: EventClasses.Resource,
  params: z.object({
    output_format: z.enum(["table", "json"]).default("table").describe("A table for people, or JSON for sinks that forward data."),
    limit: z.number().int().positive().optional().describe("Show at most this many pods."),
    include_raw_data: z.boolean().default(false).describe("With output_format json, include each pod object as the API server returns it."),
  }),
  async run(event, params, ctx) {
    const found = eventObject(event.obj, ctx, "related_pods", "resource");
    if (!found) return;
    const all = await podsOf(ctx, found.obj);
    if (!all) throw new Error(`related_pods does not support ${found.obj.kind ?? "this kind"}: it lists the pods of Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, Nodes and Pods`);
    const pods = params.limit === undefined ? all : all.slice(0, params.limit);
    const clusterName = ctx.config.cluster_name ?? "";
    const infos = pods.map((pod) => podInfo(pod, clusterName, params.include_raw_data));
    if (params.output_format === "json") {
      ctx.addEnrichment([json(infos)]);
      return;
    }
    const rows = infos.map((p) => [
      p.name,
      p.namespace,
      p.clusterName,
      p.node,
      p.cpuLimit,
      p.cpuRequest,
      p.memoryLimit,
      p.memoryRequest,
      p.creationTime,
      p.restarts,
      p.addresses,
      p.containers.length,
      p.status,
      p.statusReason,
    ]);
    ctx.addEnrichment([table(rows, { headers: HEADERS, name: "related pods" })]);
  },
});
