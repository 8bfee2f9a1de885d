import { EventClasses } from "../../events/classes.js";
import { errorMessage } from "../../util/timeout.js";
import { defineAction } from "../define.js";
import { eventEnricherParams, eventsTable } from "./events-table.js";

/** enrich_pod_with_node_events: the Kubernetes Events of the node the pod runs on, as a table. */
export const enrichPodWithNodeEvents = defineAction({
  name: "enrich_pod_with_node_events",
  description:
    "Adds a table of the most recent Kubernetes Events (type, reason, time, message) of the node the pod runs on, newest last: node pressure, reboots, evictions. Does nothing when the event carries no pod or the pod has no node.",
  event: EventClasses.Pod,
  params: eventEnricherParams,
  async run(event, params, ctx) {
    const nodeName = event.pod?.spec?.nodeName;
    if (!nodeName) return;
    let events;
    try {
      events = await ctx.cluster.events({ kind: "Node", name: nodeName });
    } catch (error) {
      ctx.logger.warn({ node: nodeName, reason: errorMessage(error) }, "could not list the node's events");
      return;
    }
    const block = eventsTable(events, { maxEvents: params.max_events, includedTypes: params.included_types, name: `Node events: ${nodeName}` });
    if (block) ctx.addEnrichment([block], { title: "Node events", enrichmentType: "k8s_events" });
  },
});
