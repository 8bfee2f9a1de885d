import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { defineAction } from "../../define.js";

/** severity_silencer: drops alerts of one severity. */
export const severitySilencer = defineAction({
  name: "severity_silencer",
  description:
    "Silences alerts whose `severity` label is the given one: stops the actions and playbooks after this one, so no finding is sent.",
  event: EventClasses.PrometheusAlert,
  params: z.object({
    severity: z.string().default("none").describe('The severity label value to silence, e.g. "warning" or "info".'),
  }),
  run(event, params, ctx) {
    if (event.labels.severity !== params.severity) return;
    ctx.logger.debug({ alert: event.alertName, severity: params.severity }, "severity_silencer: silenced the alert");
    ctx.stopProcessing();
  },
});
