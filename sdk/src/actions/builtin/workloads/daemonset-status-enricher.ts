import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { markdown, table } from "../../../findings/blocks.js";
import { defineAction } from "../../define.js";
import { eventObject } from "./event-object.js";

const FIELDS = ["desiredNumberScheduled", "currentNumberScheduled", "numberAvailable", "numberMisscheduled"] as const;

/** daemonset_status_enricher: the daemon set's scheduling counts. */
export const daemonsetStatusEnricher = defineAction({
  name: "daemonset_status_enricher",
  description:
    'Adds a "Daemonset Stats for <name>" table of the daemon set\'s status (desiredNumberScheduled, currentNumberScheduled, numberAvailable, numberMisscheduled) and a note on what they mean: pods start out desired, get scheduled, become available, and are misscheduled when Kubernetes decides they should not run on their node after all.',
  event: EventClasses.DaemonSet,
  params: z.object({}),
  run(event, _params, ctx) {
    const found = eventObject(event.daemonSet, ctx, "daemonset_status_enricher", "daemon set");
    if (!found) return;
    const status = found.obj.status;
    ctx.addEnrichment([
      table(
        FIELDS.map((field) => [field, status?.[field] ?? 0]),
        { name: `Daemonset Stats for ${found.name}` },
      ),
      markdown(
        "_Daemonset lifecycle: pods start out as desired, then get scheduled, and then become available. If Kubernetes then decides a pod shouldn't be running on a node after all, it becomes misscheduled._",
      ),
    ]);
  },
});
