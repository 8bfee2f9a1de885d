import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { links } from "../../../findings/blocks.js";
import { defineAction } from "../../define.js";

/** external_video_enricher: a link to a video, such as a recorded walkthrough of the fix. */
export const externalVideoEnricher = defineAction({
  name: "external_video_enricher",
  description: "Adds a link button to a video (a runbook walkthrough, a recorded session) to the finding.",
  event: EventClasses.Base,
  params: z.object({
    url: z.url().describe("The video's URL."),
    name: z.string().default("See more").describe("The button's text."),
  }),
  run(_event, params, ctx) {
    ctx.addEnrichment([links([{ text: params.name, url: params.url }])]);
  },
});
