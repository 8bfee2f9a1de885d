import { z } from "zod";
import type { Context } from "../../../context.js";
import { RateLimiter } from "../../../engine/rate-limiter.js";
import { EventClasses } from "../../../events/classes.js";
import type { PodEvent } from "../../../events/model.js";
import { markdown } from "../../../findings/blocks.js";
import { defineAction, type PermissionRule } from "../../define.js";
import { eventPod } from "../event-pod.js";
import { clusterWrite } from "./cluster-write.js";

const DELETE_PODS: readonly PermissionRule[] = [{ apiGroups: [""], resources: ["pods"], verbs: ["delete"] }];

/** Deletes the event's pod and says so; throws when the event carries none (Robusta's RESOURCE_NOT_FOUND). */
async function deleteEventPod(event: PodEvent, ctx: Context, action: string): Promise<void> {
  const found = eventPod(event, ctx, action);
  if (!found) throw new Error(`${action}: the event carries no pod to delete`);
  const { name, namespace } = found;
  await clusterWrite(`delete pod ${namespace}/${name}`, () => ctx.cluster.delete("Pod", name, namespace));
  ctx.logger.info({ pod: `${namespace}/${name}` }, `${action}: deleted the pod`);
  ctx.addEnrichment([markdown(`Pod *${namespace}/${name}* deleted`)]);
}

/** delete_pod: deletes the event's pod, so its controller replaces it. */
export const deletePod = defineAction({
  name: "delete_pod",
  description:
    'Deletes the event\'s pod (its controller, if any, creates a new one) and adds "Pod <namespace>/<name> deleted" to the finding. Fails when the event carries no pod.',
  event: EventClasses.Pod,
  params: z.object({}),
  permissions: DELETE_PODS,
  run: (event, _params, ctx) => deleteEventPod(event, ctx, "delete_pod"),
});

/** Robusta keeps delete_alert_pod's marks in one process-wide limiter; so does this. */
const alertPodLimiter = new RateLimiter();

/** delete_alert_pod: deletes the pod an alert names, at most once per period per label value. */
export const deleteAlertPod = defineAction({
  name: "delete_alert_pod",
  description:
    "Deletes the pod a Prometheus alert names, as delete_pod does. With rate_limit and rate_limit_field, deletes at most once per rate_limit seconds for each value of that alert label (an alert without the label is not limited).",
  event: EventClasses.PrometheusAlert,
  params: z.object({
    rate_limit: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Delete at most once in this many seconds per value of rate_limit_field. Default: no limit."),
    rate_limit_field: z.string().optional().describe("The alert label whose value the rate limit is kept per, e.g. deployment."),
  }),
  permissions: DELETE_PODS,
  async run(event, params, ctx) {
    if (params.rate_limit !== undefined) {
      if (!params.rate_limit_field) throw new Error("delete_alert_pod: rate_limit_field must be set when rate_limit is");
      const value = event.labels[params.rate_limit_field];
      if (value === undefined) {
        ctx.logger.warn({ label: params.rate_limit_field }, "delete_alert_pod: the alert lacks the rate limit label; not rate limited");
      } else if (!alertPodLimiter.markAndTest(`delete_alert_pod:${params.rate_limit_field}:${value}`, params.rate_limit, ctx.clock.now())) {
        ctx.logger.info({ [params.rate_limit_field]: value }, "delete_alert_pod: rate limited, the pod is not deleted");
        return;
      }
    }
    await deleteEventPod(event, ctx, "delete_alert_pod");
  },
});
