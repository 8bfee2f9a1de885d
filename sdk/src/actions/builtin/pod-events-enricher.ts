import { EventClasses } from "../../events/classes.js";
import { defineAction } from "../define.js";
import { eventEnricherParams, eventsTable } from "./events-table.js";

/** pod_events_enricher: the pod's recent Kubernetes Events as a table. */
export const podEventsEnricher = defineAction({
  name: "pod_events_enricher",
  description:
    "Adds a table of the pod's most recent Kubernetes Events (type, reason, time, message), newest last. Does nothing when the event carries no pod.",
  event: EventClasses.Pod,
  params: eventEnricherParams,
  async run(event, params, ctx) {
    const pod = event.pod;
    if (!pod?.metadata?.name) return;
    const name = pod.metadata.name;
    const namespace = pod.metadata.namespace ?? "default";
    const events = await ctx.cluster.events({ kind: "Pod", name, namespace });
    const block = eventsTable(events, { maxEvents: params.max_events, includedTypes: params.included_types, name: `Pod events: ${namespace}/${name}` });
    if (block) ctx.addEnrichment([block], { title: "Pod events", enrichmentType: "k8s_events" });
  },
});
