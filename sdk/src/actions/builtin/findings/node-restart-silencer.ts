import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import type { NodeEvent, PodEvent } from "../../../events/model.js";
import type { Node } from "../../../kubernetes/objects.js";
import { errorMessage } from "../../../util/timeout.js";
import { defineAction } from "../../define.js";

/** The node concerned: the one the event's pod runs on, read fresh, else the event's node. */
async function nodeOf(event: NodeEvent & Partial<PodEvent>, ctx: Context): Promise<Node | undefined> {
  const nodeName = event.pod?.spec?.nodeName;
  if (!nodeName) return event.node;
  try {
    return await ctx.cluster.get("Node", nodeName);
  } catch (error) {
    ctx.logger.warn({ node: nodeName, reason: errorMessage(error) }, "node_restart_silencer: could not read the node");
    return undefined;
  }
}

/** When the node last (re)started: its Ready condition's last transition, else its creation. */
function startedAt(node: Node): number {
  const ready = node.status?.conditions?.find((condition) => condition.type === "Ready");
  return Date.parse(ready?.lastTransitionTime ?? node.metadata?.creationTimestamp ?? "");
}

/** node_restart_silencer: drops alerts about a node, or its pods, just after the node restarted. */
export const nodeRestartSilencer = defineAction({
  name: "node_restart_silencer",
  description:
    "Silences alerts about a node, or about a pod on it, for a while after the node (re)started (its Ready condition last changed, or it was created): stops the actions and playbooks after this one, so no finding is sent.",
  event: EventClasses.Node,
  params: z.object({
    post_restart_silence: z.number().int().nonnegative().default(300).describe("How long after the restart to silence, in seconds."),
  }),
  async run(event, params, ctx) {
    const node = await nodeOf(event, ctx);
    if (!node) {
      ctx.logger.debug({}, "node_restart_silencer: the event has no node");
      return;
    }
    const started = startedAt(node);
    if (Number.isNaN(started)) return;
    if (ctx.clock.now().getTime() >= started + params.post_restart_silence * 1000) return;
    ctx.logger.debug({ node: node.metadata?.name }, "node_restart_silencer: the node restarted recently; silenced");
    ctx.stopProcessing();
  },
});
