import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { markdown, table } from "../../../findings/blocks.js";
import { defineAction } from "../../define.js";
import { eventObject } from "./event-object.js";

/** statefulset_replicas_enricher: how many of the stateful set's replicas exist and are ready. */
export const statefulsetReplicasEnricher = defineAction({
  name: "statefulset_replicas_enricher",
  description:
    'Adds how many of the stateful set\'s replicas were created and are ready, as Robusta words it ("2 out of 3 replicas were created for this Statefulset. Only 1 replicas are ready."), and a "StatefulSet replicas" table: desired, created, ready, updated, available.',
  event: EventClasses.StatefulSet,
  params: z.object({}),
  run(event, _params, ctx) {
    const found = eventObject(event.statefulSet, ctx, "statefulset_replicas_enricher", "stateful set");
    if (!found) return;
    const { spec, status } = found.obj;
    const desired = spec?.replicas ?? 1;
    const created = status?.replicas ?? 0;
    const ready = status?.readyReplicas ?? 0;
    const readiness = ready === 0 ? "No replicas are ready." : ready >= desired ? `All ${ready} replicas are ready.` : `Only ${ready} replicas are ready.`;
    ctx.addEnrichment([
      markdown(`${created} out of ${desired} replicas were created for this Statefulset. ${readiness}`),
      table(
        [
          ["Desired", desired],
          ["Created", created],
          ["Ready", ready],
          ["Updated", status?.updatedReplicas ?? 0],
          ["Available", status?.availableReplicas ?? 0],
        ],
        { name: "StatefulSet replicas" },
      ),
    ]);
  },
});
