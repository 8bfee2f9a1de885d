import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { defineAction } from "../../define.js";
import { conditionsTable } from "./conditions-table.js";
import { eventObject } from "./event-object.js";

/** node_status_enricher: the node's status conditions as a table. */
export const nodeStatusEnricher = defineAction({
  name: "node_status_enricher",
  description:
    'Adds the node\'s status conditions (Ready, MemoryPressure, DiskPressure, PIDPressure, ...) as a "Node status details" table of type and status. Robusta deprecates it in favour of status_enricher, which does the same for any resource.',
  event: EventClasses.Node,
  params: z.object({}),
  run(event, _params, ctx) {
    const found = eventObject(event.node, ctx, "node_status_enricher", "node");
    if (!found) return;
    ctx.addEnrichment([conditionsTable("Node", found.obj.status?.conditions ?? [])]);
  },
});
