import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { table } from "../../../findings/blocks.js";
import { quantityBytes } from "../memory-quantity.js";
import { defineAction } from "../../define.js";
import { eventObject } from "./event-object.js";
import { formatAmount, isTerminated, podAmounts, type Amounts } from "./pod-resources.js";
import { nodePods } from "./workload-pods.js";

/** node_allocatable_resources_enricher: what the node offers pods, and how much of it they have requested. */
export const nodeAllocatableResourcesEnricher = defineAction({
  name: "node_allocatable_resources_enricher",
  description:
    "Adds a table of the node's allocatable resources (what it offers pods: cpu, memory, ephemeral storage, pods, ...) next to what its pods have requested (the requests of its pods that have not ended, as the scheduler counts them) and the percentage requested.",
  event: EventClasses.Node,
  params: z.object({}),
  async run(event, _params, ctx) {
    const found = eventObject(event.node, ctx, "node_allocatable_resources_enricher", "node");
    if (!found) return;
    const pods = (await nodePods(ctx, found.name)).filter((pod) => !isTerminated(pod));
    const requested: Amounts = { pods: pods.length };
    for (const pod of pods) {
      for (const [name, amount] of Object.entries(podAmounts(pod, "requests"))) requested[name] = (requested[name] ?? 0) + amount;
    }
    const rows = Object.entries(found.obj.status?.allocatable ?? {}).map(([resource, quantity]) => {
      const allocatable = quantityBytes(quantity);
      const used = requested[resource] ?? 0;
      return [resource, quantity, formatAmount(resource, used), allocatable ? `${Math.round((used / allocatable) * 100)}%` : ""];
    });
    ctx.addEnrichment([
      table(rows, {
        headers: ["resource", "allocatable", "requested", "requested %"],
        name: "Node Allocatable Resources - The amount of compute resources that are available for pods",
      }),
    ]);
  },
});
