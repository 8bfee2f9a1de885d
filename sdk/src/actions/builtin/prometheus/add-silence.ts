import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { table } from "../../../findings/blocks.js";
import { alertmanagerParamsShape, createSilence, silenceMatcherSchema } from "../../../integrations/alertmanager.js";
import { defineAction } from "../../define.js";
import { parseTime, timeParam } from "./times.js";

/** add_silence: creates an Alertmanager silence. */
export const addSilence = defineAction({
  name: "add_silence",
  description:
    'Creates a silence in Alertmanager (API v2) for the alerts its matchers select, from starts_at (now by default) until ends_at or for duration_minutes, and adds its id as a "New Silence" table. With id, replaces that silence. Alertmanager\'s refusal (no matchers, an end before the start) fails the action with its reason.',
  event: EventClasses.Base,
  params: z.object({
    ...alertmanagerParamsShape,
    matchers: z
      .array(silenceMatcherSchema)
      .min(1)
      .describe('The alerts to silence, as Alertmanager takes them: [{ name: "alertname", value: "KubePodCrashLooping", isRegex: false, isEqual: true }].'),
    starts_at: timeParam.optional().describe('When the silence starts ("2022-09-14 09:40:59 UTC" or ISO 8601); now by default.'),
    ends_at: timeParam.optional().describe("When it ends; give this or duration_minutes."),
    duration_minutes: z.number().positive().optional().describe("How long it lasts from starts_at, when ends_at is not given."),
    created_by: z.string().min(1).describe("Who made the silence, shown in Alertmanager (Robusta's createdBy)."),
    comment: z.string().min(1).describe("Why, shown in Alertmanager."),
    id: z.string().optional().describe("The id of a silence to replace, rather than creating a new one."),
  }),
  async run(_event, params, ctx) {
    const startsAt = params.starts_at ? parseTime(params.starts_at) : ctx.clock.now().getTime();
    const endsAt = params.ends_at ? parseTime(params.ends_at) : params.duration_minutes ? startsAt + params.duration_minutes * 60_000 : undefined;
    if (endsAt === undefined) throw new Error("add_silence needs ends_at or duration_minutes: Alertmanager has no silences without an end");
    const id = await createSilence(ctx, params, {
      ...(params.id && { id: params.id }),
      matchers: params.matchers,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      createdBy: params.created_by,
      comment: params.comment,
    });
    ctx.addEnrichment([table([[id]], { headers: ["id"], name: "New Silence" })], { title: "New Silence" });
  },
});
