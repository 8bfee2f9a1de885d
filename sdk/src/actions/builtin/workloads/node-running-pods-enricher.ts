import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { table } from "../../../findings/blocks.js";
import { defineAction } from "../../define.js";
import { eventObject } from "./event-object.js";
import { podRestarts } from "./pod-resources.js";
import { nodePods } from "./workload-pods.js";

/** node_running_pods_enricher: the pods on the node, with their phase, readiness and restarts. */
export const nodeRunningPodsEnricher = defineAction({
  name: "node_running_pods_enricher",
  description:
    'Adds a "Pods running on the node" table of every pod scheduled on the node: namespace, name, phase, whether it is Ready (its Ready condition), and how many times its containers restarted.',
  event: EventClasses.Node,
  params: z.object({}),
  async run(event, _params, ctx) {
    const found = eventObject(event.node, ctx, "node_running_pods_enricher", "node");
    if (!found) return;
    const rows = (await nodePods(ctx, found.name)).map((pod) => [
      pod.metadata?.namespace ?? "",
      pod.metadata?.name ?? "",
      pod.status?.phase ?? "Unknown",
      pod.status?.conditions?.find((c) => c.type === "Ready")?.status ?? "Unknown",
      podRestarts(pod),
    ]);
    ctx.addEnrichment([table(rows, { headers: ["namespace", "name", "phase", "ready", "restarts"], name: "Pods running on the node" })]);
  },
});
