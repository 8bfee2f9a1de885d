import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { table } from "../../../findings/blocks.js";
import { alertmanagerParamsShape, expireSilence } from "../../../integrations/alertmanager.js";
import { defineAction } from "../../define.js";

/** delete_silence: expires an Alertmanager silence. */
export const deleteSilence = defineAction({
  name: "delete_silence",
  description:
    'Expires an Alertmanager silence by its id (Alertmanager keeps it, as "expired") and adds the id as a "Deleted Silence" table. An id Alertmanager does not know fails the action with its answer.',
  event: EventClasses.Base,
  params: z.object({
    ...alertmanagerParamsShape,
    id: z.string().min(1).describe("The silence's id, as add_silence and get_silences show it."),
  }),
  async run(_event, params, ctx) {
    await expireSilence(ctx, params, params.id);
    ctx.addEnrichment([table([[params.id]], { headers: ["id"], name: "Deleted Silence" })], { title: "Deleted Silence" });
  },
});
