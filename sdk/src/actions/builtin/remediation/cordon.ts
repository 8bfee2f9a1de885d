import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import type { NodeEvent } from "../../../events/model.js";
import { markdown } from "../../../findings/blocks.js";
import type { Node } from "../../../kubernetes/objects.js";
import { defineAction, type PermissionRule } from "../../define.js";
import { clusterWrite } from "./cluster-write.js";

/** What cordon and uncordon write. */
export const PATCH_NODES: PermissionRule = { apiGroups: [""], resources: ["nodes"], verbs: ["patch"] };

/** The event's node with its name; throws when it carries none (Robusta's RESOURCE_NOT_FOUND). */
export function eventNode(event: NodeEvent, action: string): { node: Node; name: string } {
  const name = event.node?.metadata?.name;
  if (!event.node || !name) throw new Error(`${action}: the event carries no node`);
  return { node: event.node, name };
}

/**
 * Sets the node's spec.unschedulable and says so in the finding, or that it already was.
 * Returns whether it changed anything.
 */
export async function setUnschedulable(ctx: Context, node: Node, name: string, unschedulable: boolean): Promise<boolean> {
  const verb = unschedulable ? "cordon" : "uncordon";
  if ((node.spec?.unschedulable ?? false) === unschedulable) {
    ctx.addEnrichment([markdown(`Node ${name} already ${verb}ed`)]);
    return false;
  }
  await clusterWrite(`${verb} node ${name}`, () => ctx.cluster.patch("Node", name, undefined, { spec: { unschedulable } }));
  ctx.logger.info({ node: name }, `${verb}ed the node`);
  ctx.addEnrichment([markdown(`Node ${name} ${verb}ed`)]);
  return true;
}

/** cordon: marks the event's node unschedulable. */
export const cordon = defineAction({
  name: "cordon",
  description:
    'Cordons the event\'s node: marks it unschedulable, so no new pods are placed on it; the pods on it keep running. Adds "Node <name> cordoned" (or "already cordoned"). Fails when the event carries no node.',
  event: EventClasses.Node,
  params: z.object({}),
  permissions: [PATCH_NODES],
  async run(event, _params, ctx) {
    const { node, name } = eventNode(event, "cordon");
    await setUnschedulable(ctx, node, name, true);
  },
});

/** uncordon: marks the event's node schedulable again. */
export const uncordon = defineAction({
  name: "uncordon",
  description:
    'Uncordons the event\'s node: marks it schedulable again. Adds "Node <name> uncordoned" (or "already uncordoned"). Fails when the event carries no node.',
  event: EventClasses.Node,
  params: z.object({}),
  permissions: [PATCH_NODES],
  async run(event, _params, ctx) {
    const { node, name } = eventNode(event, "uncordon");
    await setUnschedulable(ctx, node, name, false);
  },
});
