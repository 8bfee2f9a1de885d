import { EventClasses } from "../../../events/classes.js";
import { defineAction } from "../../define.js";
import { eventEnricherParams, eventsTable } from "../events-table.js";
import { eventObject } from "./event-object.js";

/** job_events_enricher: the job's recent Kubernetes Events as a table. */
export const jobEventsEnricher = defineAction({
  name: "job_events_enricher",
  description:
    'Adds a "Job events" table of the job\'s most recent Kubernetes Events (type, reason, time, message), newest last: pods created, backoff limit reached, deadline exceeded.',
  event: EventClasses.Job,
  params: eventEnricherParams,
  async run(event, params, ctx) {
    const found = eventObject(event.job, ctx, "job_events_enricher", "job");
    if (!found) return;
    const events = await ctx.cluster.events({ kind: "Job", name: found.name, namespace: found.namespace });
    const block = eventsTable(events, { maxEvents: params.max_events, includedTypes: params.included_types, name: "Job events" });
    if (block) ctx.addEnrichment([block], { title: "Job events", enrichmentType: "k8s_events" });
  },
});
