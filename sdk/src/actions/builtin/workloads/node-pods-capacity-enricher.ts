import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { markdown } from "../../../findings/blocks.js";
import type { Pod } from "../../../kubernetes/objects.js";
import { defineAction } from "../../define.js";
import { eventObject } from "./event-object.js";
import { nodePods } from "./workload-pods.js";

const lacksRequest = (pod: Pod, resource: string): boolean =>
  !(pod.spec?.containers ?? []).some((container) => container.resources?.requests?.[resource] !== undefined);

/** node_pods_capacity_enricher: how many pods run on the node against how many it can hold. */
export const nodePodsCapacityEnricher = defineAction({
  name: "node_pods_capacity_enricher",
  description:
    "Adds how many pods are running on the node against the node's pod capacity (only running pods count against it), and how many of those pods have no cpu or no memory request.",
  event: EventClasses.Node,
  params: z.object({}),
  async run(event, _params, ctx) {
    const found = eventObject(event.node, ctx, "node_pods_capacity_enricher", "node");
    if (!found) return;
    const running = (await nodePods(ctx, found.name)).filter((pod) => pod.status?.phase === "Running");
    const capacity = found.obj.status?.capacity?.pods;
    const noCpu = running.filter((pod) => lacksRequest(pod, "cpu")).length;
    const noMemory = running.filter((pod) => lacksRequest(pod, "memory")).length;
    const requests = [
      ...(noCpu > 0 ? [`${noCpu} pods don't have cpu request.`] : []),
      ...(noMemory > 0 ? [`${noMemory} pods don't have memory request.`] : []),
    ].join(" ");
    const limit = capacity ? ` and the maximum capacity for pods on this node is ${capacity}` : "";
    ctx.addEnrichment([
      markdown(`*On the node ${found.name}, there are currently ${running.length} pods running${limit}.*${requests ? `\n${requests}` : ""}`),
    ]);
  },
});
