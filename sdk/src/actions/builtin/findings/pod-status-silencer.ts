import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { defineAction } from "../../define.js";

/** pod_status_silencer: goes on only for pods in the phases wanted. */
export const podStatusSilencer = defineAction({
  name: "pod_status_silencer",
  description:
    "Stops the actions and playbooks after this one by the pod's phase (Pending, Running, Succeeded, Failed, Unknown): when `include` is given and the phase is not in it, or when the phase is in `exclude`. Does nothing when the event carries no pod.",
  event: EventClasses.Pod,
  params: z.object({
    include: z.array(z.string()).optional().describe('Go on only for pods in these phases, e.g. ["Pending"].'),
    exclude: z.array(z.string()).optional().describe('Stop for pods in these phases, e.g. ["Unknown"].'),
  }),
  run(event, params, ctx) {
    if (!event.pod) {
      ctx.logger.info({}, "pod_status_silencer: the event carries no pod");
      return;
    }
    const phase = event.pod.status?.phase ?? "";
    const silenced = (params.include?.length && !params.include.includes(phase)) || params.exclude?.includes(phase);
    if (!silenced) return;
    ctx.logger.debug({ pod: event.pod.metadata?.name, phase }, "pod_status_silencer: silenced");
    ctx.stopProcessing();
  },
});
