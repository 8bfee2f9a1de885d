import { z } from "zod";
import { EventClasses } from "../../events/classes.js";
import { defineAction } from "../define.js";

/** name_silencer: drops alerts by name, before anything reports them. */
export const nameSilencer = defineAction({
  name: "name_silencer",
  description:
    "Silences alerts by name: when the alert's name is listed, stops the actions and playbooks after this one, so no finding is sent. Put it in a playbook before the others (Robusta's priority playbooks drop Watchdog and InfoInhibitor this way).",
  event: EventClasses.PrometheusAlert,
  params: z.object({
    names: z.array(z.string()).describe('The alert names to silence, e.g. ["Watchdog", "InfoInhibitor"].'),
  }),
  run(event, params, ctx) {
    if (!params.names.includes(event.alertName)) return;
    ctx.logger.debug({ alert: event.alertName, fingerprint: event.fingerprint }, "name_silencer: silenced the alert");
    ctx.stopProcessing();
  },
});
