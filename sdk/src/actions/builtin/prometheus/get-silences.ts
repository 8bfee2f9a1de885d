import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { markdown, table } from "../../../findings/blocks.js";
import { alertmanagerParamsShape, formatMatcher, listSilences } from "../../../integrations/alertmanager.js";
import { defineAction } from "../../define.js";

/** get_silences: Alertmanager's silences as a table. */
export const getSilences = defineAction({
  name: "get_silences",
  description:
    'Adds Alertmanager\'s silences, expired ones included, as a "Silences" table: id, status (active, pending, expired), comment, createdBy, startsAt, endsAt and matchers (as Alertmanager writes them: alertname="Foo", namespace=~"prod|staging"). With none, a note "There are no silences".',
  event: EventClasses.Base,
  params: z.object({ ...alertmanagerParamsShape }),
  async run(_event, params, ctx) {
    const silences = await listSilences(ctx, params);
    if (silences.length === 0) {
      ctx.addEnrichment([markdown("*There are no silences*")], { title: "Silences" });
      return;
    }
    const rows = silences.map((s) => [s.id, s.status.state, s.comment, s.createdBy, s.startsAt, s.endsAt, s.matchers.map(formatMatcher).join(", ")]);
    ctx.addEnrichment([table(rows, { headers: ["id", "status", "comment", "createdBy", "startsAt", "endsAt", "matchers"], name: "Silences" })], {
      title: "Silences",
    });
  },
});
