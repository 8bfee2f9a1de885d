import { z } from "zod";
import type { Context } from "../../context.js";
import { EventClasses } from "../../events/classes.js";
import { table, type TableBlock } from "../../findings/blocks.js";
import { subjectOf } from "../../findings/defaults.js";
import type { Node, Pod } from "../../kubernetes/objects.js";
import { errorMessage } from "../../util/timeout.js";
import { defineAction } from "../define.js";
import { eventPod } from "./event-pod.js";

/** The node's conditions and allocatable resources, or undefined when it cannot be read. */
async function nodeInfo(ctx: Context, nodeName: string): Promise<TableBlock[] | undefined> {
  let node: Node | undefined;
  try {
    node = await ctx.cluster.get("Node", nodeName);
  } catch (error) {
    ctx.logger.warn({ node: nodeName, reason: errorMessage(error) }, "pod_evicted_enricher: could not read the node");
    return undefined;
  }
  if (!node) {
    ctx.logger.warn({ node: nodeName }, "pod_evicted_enricher: the pod's node was not found");
    return undefined;
  }
  return [
    table([["Node Name", nodeName]], { name: "Node general info" }),
    table((node.status?.conditions ?? []).map((c) => [c.type, c.status]), { headers: ["Type", "Status"], name: "Node status details" }),
    table(Object.entries(node.status?.allocatable ?? {}), { headers: ["resource", "value"], name: "Node Allocatable Resources" }),
  ];
}

/** The pods on the node and whether each is Ready, or undefined when they cannot be listed. */
async function podsOnNode(ctx: Context, nodeName: string): Promise<TableBlock | undefined> {
  let pods: Pod[];
  try {
    pods = await ctx.cluster.list("Pod", { fieldSelector: `spec.nodeName=${nodeName}` });
  } catch (error) {
    ctx.logger.warn({ node: nodeName, reason: errorMessage(error) }, "pod_evicted_enricher: could not list the node's pods");
    return undefined;
  }
  // A cluster that ignores field selectors still gets the right rows.
  const rows = pods
    .filter((pod) => pod.spec?.nodeName === nodeName)
    .map((pod) => [
      pod.metadata?.namespace ?? "",
      pod.metadata?.name ?? "",
      pod.status?.conditions?.find((c) => c.type === "Ready")?.status ?? "Unknown",
    ]);
  return table(rows, { headers: ["namespace", "name", "ready"], name: "Pods running on the node" });
}

/** pod_evicted_enricher: a finding for an evicted pod, with why and the state of its node. */
export const podEvictedEnricher = defineAction({
  name: "pod_evicted_enricher",
  description:
    'Reports an evicted pod as a new HIGH finding, "Pod <pod> in namespace <namespace> was Evicted" (aggregation key PodEvictedTriggered), with the eviction reason and message from the pod\'s status, the node\'s conditions and allocatable resources, and the pods on that node.',
  event: EventClasses.Pod,
  params: z.object({}),
  async run(event, _params, ctx) {
    const found = eventPod(event, ctx, "pod_evicted_enricher");
    if (!found) return;
    const { pod, name, namespace } = found;
    ctx.addFinding({
      title: `Pod ${name} in namespace ${namespace} was Evicted`,
      aggregationKey: "PodEvictedTriggered",
      severity: "HIGH",
      source: "KUBERNETES_API_SERVER",
      subject: subjectOf(pod, "Pod"),
    });
    const eviction = [
      ["Reason", pod.status?.reason],
      ["Message", pod.status?.message],
    ].filter((row): row is [string, string] => row[1] !== undefined && row[1] !== "");
    if (eviction.length > 0) ctx.addEnrichment([table(eviction, { name: "Eviction" })], { title: "Eviction" });
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const info = await nodeInfo(ctx, nodeName);
    if (info) ctx.addEnrichment(info, { title: "Node Info", enrichmentType: "node_info" });
    const pods = await podsOnNode(ctx, nodeName);
    if (pods) ctx.addEnrichment([pods], { title: "Pods on the node" });
  },
});
