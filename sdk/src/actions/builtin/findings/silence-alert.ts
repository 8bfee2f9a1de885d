import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { defineAction } from "../../define.js";

/** silence_alert: drops every alert it runs for; the playbook's trigger chooses which. */
export const silenceAlert = defineAction({
  name: "silence_alert",
  description:
    "Silences the alert unconditionally: stops the actions and playbooks after this one, so no finding is sent. The playbook's trigger (alert name, labels) chooses which alerts.",
  event: EventClasses.PrometheusAlert,
  params: z.object({
    log_silence: z.boolean().default(false).describe("Log each silenced alert in the runner's log."),
  }),
  run(event, params, ctx) {
    if (params.log_silence) {
      ctx.logger.info({ alert: event.alertName, fingerprint: event.fingerprint, labels: event.labels }, "silence_alert: silenced the alert");
    }
    ctx.stopProcessing();
  },
});
