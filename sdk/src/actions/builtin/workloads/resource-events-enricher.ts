import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { table } from "../../../findings/blocks.js";
import { eventRow } from "../../../kubernetes/events.js";
import type { KubernetesObject, Pod } from "../../../kubernetes/objects.js";
import { defineAction } from "../../define.js";
import { eventObject } from "./event-object.js";
import { extendedEventEnricherParams } from "./extended-event-params.js";
import { podsOf } from "./workload-pods.js";

/** The events of one object, each with the object it is about. */
async function eventsAbout(ctx: Context, obj: KubernetesObject) {
  const kind = obj.kind ?? "";
  const name = obj.metadata?.name ?? "";
  const namespace = kind === "Node" ? undefined : obj.metadata?.namespace;
  const events = await ctx.cluster.events({ kind, name, ...(namespace !== undefined && { namespace }) });
  return events.map((event) => ({ ...eventRow(event), kind, name }));
}

/** Pods in trouble first: their events are the ones worth the limited room. */
const notRunningFirst = (pods: readonly Pod[]): Pod[] =>
  [...pods].sort((a, b) => Number(a.status?.phase === "Running") - Number(b.status?.phase === "Running"));

/** resource_events_enricher: the recent events of any resource, optionally with those of its pods. */
export const resourceEventsEnricher = defineAction({
  name: "resource_events_enricher",
  description:
    'Adds a "<Kind> Events" table of the resource\'s most recent Kubernetes Events (reason, type, time, kind, name, message), newest last. With dependent_pod_mode, the events of up to max_pods of its pods (a workload\'s by its selector, a Job\'s; those not running first) are merged in.',
  event: EventClasses.Resource,
  params: extendedEventEnricherParams,
  async run(event, params, ctx) {
    const found = eventObject(event.obj, ctx, "resource_events_enricher", "resource");
    if (!found) return;
    const kind = found.obj.kind ?? "Resource";
    const rows = await eventsAbout(ctx, found.obj);
    if (params.dependent_pod_mode && kind !== "Pod" && kind !== "Node") {
      const pods = notRunningFirst((await podsOf(ctx, found.obj)) ?? []).slice(0, params.max_pods);
      for (const pod of pods) rows.push(...(await eventsAbout(ctx, pod)));
    }
    const shown = rows
      .filter((row) => params.included_types.includes(row.type))
      .sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
      .slice(-params.max_events);
    if (shown.length === 0) return;
    ctx.addEnrichment(
      [
        table(
          shown.map((row) => [row.reason, row.type, row.time, row.kind.toLowerCase(), row.name, row.message]),
          { headers: ["reason", "type", "time", "kind", "name", "message"], name: `${kind} Events` },
        ),
      ],
      { title: "Resource Events", enrichmentType: "k8s_events" },
    );
  },
});
