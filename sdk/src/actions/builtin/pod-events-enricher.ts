import { z } from "zod";
import { EventClasses } from "../../events/classes.js";
import { table } from "../../findings/blocks.js";
import { eventRow } from "../../kubernetes/events.js";
import { defineAction } from "../define.js";

/** pod_events_enricher: the pod's recent Kubernetes Events as a table. */
export const podEventsEnricher = defineAction({
  name: "pod_events_enricher",
  description:
    "Adds a table of the pod's most recent Kubernetes Events (type, reason, time, message), newest last. Does nothing when the event carries no pod.",
  event: EventClasses.Pod,
  params: z.object({
    max_events: z.number().int().positive().default(8).describe("Show at most this many events, the most recent."),
    included_types: z
      .array(z.string())
      .default(["Warning", "Normal"])
      .describe("Event types to show."),
  }),
  async run(event, params, ctx) {
    const pod = event.pod;
    if (!pod?.metadata?.name) return;
    const name = pod.metadata.name;
    const namespace = pod.metadata.namespace ?? "default";
    const rows = (await ctx.cluster.events({ kind: "Pod", name, namespace }))
      .map(eventRow)
      .filter((row) => params.included_types.includes(row.type))
      // By instant: timestamps come with different precisions, so strings do not sort.
      .sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
      .slice(-params.max_events);
    if (rows.length === 0) return;
    ctx.addEnrichment(
      [table(rows.map((row) => [row.type, row.reason, row.time, row.count > 1 ? `${row.message} (x${row.count})` : row.message]), {
        headers: ["type", "reason", "time", "message"],
        name: `Pod events: ${namespace}/${name}`,
      })],
      { title: "Pod events", enrichmentType: "k8s_events" },
    );
  },
});
