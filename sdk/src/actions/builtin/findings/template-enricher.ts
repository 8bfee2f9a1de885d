import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { markdown } from "../../../findings/blocks.js";
import { defineAction } from "../../define.js";
import { renderEventTemplate } from "./template.js";

/** template_enricher: a paragraph of templated markdown. */
export const templateEnricher = defineAction({
  name: "template_enricher",
  description:
    "Adds a paragraph of markdown from a template: `${name}`, `${kind}`, `${namespace}`, `${node}`, `${labels.<key>}` and `${annotations.<key>}` of the event's subject and, on alerts, any of the alert's labels and annotations by name (`$alertname`). Unknown placeholders are left as written.",
  event: EventClasses.Resource,
  params: z.object({
    template: z
      .string()
      .default("")
      .describe('The markdown (Slack-flavoured), e.g. "<https://grafana.example/d/pods?var-pod=${name}|Pod dashboard>".'),
  }),
  run(event, params, ctx) {
    const text = renderEventTemplate(params.template, event);
    if (text.trim() === "") return;
    ctx.addEnrichment([markdown(text)]);
  },
});
