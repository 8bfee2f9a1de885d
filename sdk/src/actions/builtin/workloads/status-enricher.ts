import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { defineAction } from "../../define.js";
import { conditionsTable, type Condition } from "./conditions-table.js";
import { eventObject } from "./event-object.js";

/** status_enricher: any resource's status conditions as a table. */
export const statusEnricher = defineAction({
  name: "status_enricher",
  description:
    'Adds the resource\'s status conditions as a "<Kind> status details" table of type and status (a node\'s Ready and pressure conditions, a deployment\'s Available and Progressing, a pod\'s PodScheduled and Ready, ...); with show_details, each condition\'s reason and message too. Adds nothing for a resource without conditions.',
  event: EventClasses.Resource,
  params: z.object({
    show_details: z.boolean().default(false).describe("Also show each condition's reason and message."),
  }),
  run(event, params, ctx) {
    const found = eventObject(event.obj, ctx, "status_enricher", "resource");
    if (!found) return;
    const conditions = (found.obj as { status?: { conditions?: Condition[] } }).status?.conditions ?? [];
    if (conditions.length === 0) {
      ctx.logger.info({ kind: found.obj.kind, name: found.name }, "status_enricher: the resource has no status conditions");
      return;
    }
    ctx.addEnrichment([conditionsTable(found.obj.kind ?? "Resource", conditions, params.show_details)]);
  },
});
