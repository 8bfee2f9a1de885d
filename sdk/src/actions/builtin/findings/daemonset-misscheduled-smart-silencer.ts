import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import type { DaemonSet, Node } from "../../../kubernetes/objects.js";
import { errorMessage } from "../../../util/timeout.js";
import { defineAction } from "../../define.js";

/** The taint the cluster autoscaler puts on a node it is removing. */
const AUTOSCALER_TAINT = "ToBeDeletedByClusterAutoscaler";

/**
 * Robusta's check for the known false alarm (a node being removed by the cluster autoscaler
 * makes the daemon set's pod on it count as misscheduled): the daemon set does not tolerate the
 * autoscaler's taint, and at least one of its pods runs on a node that has it.
 */
async function isAutoscalerFalseAlarm(ds: DaemonSet, ctx: Context): Promise<boolean> {
  if (ds.spec?.template.spec?.tolerations?.some((toleration) => toleration.key === AUTOSCALER_TAINT)) return false;
  const uid = ds.metadata?.uid;
  const nodes = new Map((await ctx.cluster.list("Node")).map((node): [string, Node] => [node.metadata?.name ?? "", node]));
  const pods = await ctx.cluster.list("Pod", { namespace: ds.metadata?.namespace });
  return pods
    .filter((pod) => uid !== undefined && pod.metadata?.ownerReferences?.some((owner) => owner.uid === uid))
    .some((pod) => nodes.get(pod.spec?.nodeName ?? "")?.spec?.taints?.some((taint) => taint.key === AUTOSCALER_TAINT));
}

/** daemonset_misscheduled_smart_silencer: drops misscheduled-daemon-set alerts caused by autoscaler node removal. */
export const daemonsetMisscheduledSmartSilencer = defineAction({
  name: "daemonset_misscheduled_smart_silencer",
  description:
    "Silences a daemon set misscheduled alert when it is the known false alarm of the cluster autoscaler removing a node: the daemon set does not tolerate the ToBeDeletedByClusterAutoscaler taint and one of its pods runs on a node that has it. Other misscheduling goes through.",
  event: EventClasses.DaemonSet,
  params: z.object({}),
  async run(event, _params, ctx) {
    const ds = event.daemonSet;
    if (!ds) {
      ctx.logger.debug({}, "daemonset_misscheduled_smart_silencer: the event carries no daemon set");
      return;
    }
    try {
      if (!(await isAutoscalerFalseAlarm(ds, ctx))) return;
    } catch (error) {
      ctx.logger.warn({ daemonSet: ds.metadata?.name, reason: errorMessage(error) }, "daemonset_misscheduled_smart_silencer: could not read nodes or pods; not silenced");
      return;
    }
    ctx.logger.info({ daemonSet: ds.metadata?.name }, "daemonset_misscheduled_smart_silencer: a node is being removed by the cluster autoscaler; silenced");
    ctx.stopProcessing();
  },
});
