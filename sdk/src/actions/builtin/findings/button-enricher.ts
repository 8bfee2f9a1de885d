import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { links } from "../../../findings/blocks.js";
import { defineAction } from "../../define.js";
import { renderEventTemplate } from "./template.js";

/** button_enricher: a link button with a templated text and URL. */
export const buttonEnricher = defineAction({
  name: "button_enricher",
  description:
    "Adds a link button whose text and URL are templates, as in template_enricher; a placeholder with no value comes out empty, and when the URL does, no button is added.",
  event: EventClasses.Resource,
  params: z.object({
    button_text: z.string().describe('The button\'s text, templated, e.g. "Logs of ${name}".'),
    button_url: z.string().describe('The URL it opens, templated, e.g. "https://logs.example/?namespace=${namespace}&pod=${name}".'),
  }),
  run(event, params, ctx) {
    const url = renderEventTemplate(params.button_url, event, { missing: "" }).trim();
    if (url === "") {
      ctx.logger.debug({ template: params.button_url }, "button_enricher: the URL came out empty; no button");
      return;
    }
    const text = renderEventTemplate(params.button_text, event, { missing: "" }).trim() || url;
    ctx.addEnrichment([links([{ text, url }])]);
  },
});
