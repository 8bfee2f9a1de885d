import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { markdown, table, type TableCell } from "../../../findings/blocks.js";
import type { Pod } from "../../../kubernetes/objects.js";
import { errorMessage } from "../../../util/timeout.js";
import { defineAction } from "../../define.js";
import { eventNode, PATCH_NODES, setUnschedulable } from "./cordon.js";

/** The annotation the kubelet puts on the API copy of a static pod; the API cannot evict those. */
const MIRROR_POD = "kubernetes.io/config.mirror";

/** Why a pod is left on the node, as `kubectl drain` leaves it; undefined for pods to evict. */
function skipReason(pod: Pod): string | undefined {
  if (pod.metadata?.annotations?.[MIRROR_POD] !== undefined) return "Skipped: mirror pod";
  // DaemonSet pods tolerate unschedulable nodes: the DaemonSet would put them right back.
  if (pod.metadata?.ownerReferences?.some((owner) => owner.kind === "DaemonSet")) return "Skipped: DaemonSet pod";
  return undefined;
}

/** The pods on the node; when they cannot be listed, a node drain cordoned is uncordoned again, as Robusta does. */
async function podsOnNode(ctx: Context, nodeName: string, cordoned: boolean): Promise<Pod[]> {
  try {
    const pods = await ctx.cluster.list("Pod", { fieldSelector: `spec.nodeName=${nodeName}` });
    // A cluster that ignores field selectors still gets the right pods.
    return pods.filter((pod) => pod.spec?.nodeName === nodeName);
  } catch (error) {
    if (cordoned) {
      await ctx.cluster
        .patch("Node", nodeName, undefined, { spec: { unschedulable: false } })
        .catch((undo: unknown) => ctx.logger.error({ node: nodeName, reason: errorMessage(undo) }, "drain: could not uncordon the node again"));
    }
    throw new Error(`drain: could not list the pods on node ${nodeName}, so none were evicted: ${errorMessage(error)}`, { cause: error });
  }
}

/** drain: cordons the event's node and evicts its pods through the eviction API. */
export const drain = defineAction({
  name: "drain",
  description:
    "Drains the event's node as `kubectl drain` does: cordons it, then evicts every pod on it through the eviction API, which respects PodDisruptionBudgets. DaemonSet pods and mirror (static) pods are left alone. Adds a table of every pod and what became of it; an eviction that fails (a PodDisruptionBudget refusing it, for instance) does not stop the others, and the action fails at the end, naming the pods still on the node.",
  event: EventClasses.Node,
  params: z.object({}),
  permissions: [PATCH_NODES, { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] }],
  async run(event, _params, ctx) {
    const { node, name: nodeName } = eventNode(event, "drain");
    const cordoned = await setUnschedulable(ctx, node, nodeName, true);
    const pods = await podsOnNode(ctx, nodeName, cordoned);

    const rows: TableCell[][] = [];
    const failed: string[] = [];
    let evicted = 0;
    for (const pod of pods) {
      const name = pod.metadata?.name ?? "";
      const namespace = pod.metadata?.namespace ?? "default";
      const skip = skipReason(pod);
      if (skip) {
        rows.push([namespace, name, skip]);
        continue;
      }
      ctx.signal.throwIfAborted();
      try {
        await ctx.cluster.evict(name, namespace);
        evicted += 1;
        // Nothing recreates a pod without a controller: say so, as kubectl's --force warning does.
        rows.push([namespace, name, pod.metadata?.ownerReferences?.some((o) => o.controller) ? "Evicted" : "Evicted (no controller: not recreated)"]);
      } catch (error) {
        const reason = errorMessage(error);
        ctx.logger.warn({ node: nodeName, pod: `${namespace}/${name}`, reason }, "drain: could not evict a pod");
        failed.push(`${namespace}/${name}`);
        rows.push([namespace, name, `Failed: ${reason}`]);
      }
    }

    const skipped = pods.length - evicted - failed.length;
    const summary = [
      `Evicted ${evicted} pod(s) from node ${nodeName}`,
      ...(failed.length > 0 ? [`${failed.length} could not be evicted`] : []),
      ...(skipped > 0 ? [`${skipped} skipped (DaemonSet or mirror pods)`] : []),
    ].join("; ");
    ctx.addEnrichment(
      [markdown(`${summary}.`), table(rows, { headers: ["namespace", "pod", "result"], name: `Drain ${nodeName} report` })],
      { title: `Drain ${nodeName}` },
    );
    if (failed.length > 0) throw new Error(`drain: could not evict ${failed.length} pod(s) from node ${nodeName}: ${failed.join(", ")}`);
  },
});
