import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { markdown, table, type Block } from "../../../findings/blocks.js";
import { defineAction } from "../../define.js";
import { AUTOSCALER_TAINT, misfitCauses, untoleratedTaints } from "./daemonset-scheduling.js";
import { eventObject } from "./event-object.js";
import { podsBySelector } from "./workload-pods.js";

const LEARN_MORE = "<https://blog.florentdelannoy.com/blog/2020/kube-daemonset-misscheduled/|Learn more>";

/** Robusta's explanation of the autoscaler false alarm, with the fix it offers behind a button written out. */
const AUTOSCALER_FALSE_ALARM = [
  markdown(
    "*Alert Cause*\n This specific firing of the alert is a *known false alarm* which occurs when the cluster autoscaler removes nodes running daemonsets which didn't explicitly request to remain running during node-shutdown.",
  ),
  markdown(
    `(${LEARN_MORE}).\n\n*Remediation*\nAdd the following to your daemonset pod-template:\n\`\`\`\ntolerations:\n- effect: NoSchedule\n  key: ${AUTOSCALER_TAINT}\n  operator: Exists\n\`\`\`\nThis will tell Kubernetes that it is OK if daemonsets keep running while a node shuts down.`,
  ),
];

/** daemonset_misscheduled_analysis_enricher: why the daemon set's pods run where they should not. */
export const daemonsetMisscheduledAnalysisEnricher = defineAction({
  name: "daemonset_misscheduled_analysis_enricher",
  description:
    'Explains why pods of the daemon set are misscheduled: for each pod whose node no longer fits the daemon set, a row of a "Misscheduled daemon pods" table (node, pod, likely cause: a nodeSelector label the node lacks, required node affinity it does not match, or a taint the pod does not tolerate). When the cause is the cluster autoscaler\'s ToBeDeletedByClusterAutoscaler taint, Robusta\'s explanation of this known false alarm and the toleration that fixes it. Adds nothing when no pod is misscheduled.',
  event: EventClasses.DaemonSet,
  params: z.object({}),
  async run(event, _params, ctx) {
    const found = eventObject(event.daemonSet, ctx, "daemonset_misscheduled_analysis_enricher", "daemon set");
    if (!found) return;
    const ds = found.obj;
    const template = ds.spec?.template.spec;
    const uid = ds.metadata?.uid;
    // The selector may overlap another workload's: keep the daemon set's own pods.
    const pods = (await podsBySelector(ctx, found.namespace, ds.spec?.selector)).filter(
      (pod) => !uid || pod.metadata?.ownerReferences?.some((owner) => owner.uid === uid),
    );
    const nodes = new Map((await ctx.cluster.list("Node")).map((node) => [node.metadata?.name ?? "", node]));
    const rows: string[][] = [];
    let autoscaler = false;
    for (const pod of pods) {
      const node = nodes.get(pod.spec?.nodeName ?? "");
      if (!node) continue;
      // The pod's tolerations include those the daemon set controller adds to every daemon pod.
      const tolerations = pod.spec?.tolerations ?? template?.tolerations ?? [];
      for (const cause of misfitCauses(node, template, tolerations)) rows.push([node.metadata?.name ?? "", pod.metadata?.name ?? "", cause]);
      autoscaler ||= untoleratedTaints(node, tolerations).some((taint) => taint.key === AUTOSCALER_TAINT);
    }
    const misscheduled = ds.status?.numberMisscheduled ?? 0;
    const blocks: Block[] = [
      ...(autoscaler ? AUTOSCALER_FALSE_ALARM : []),
      ...(rows.length > 0 ? [table(rows, { headers: ["node", "pod", "likely cause"], name: "Misscheduled daemon pods" })] : []),
      ...(rows.length === 0 && misscheduled > 0
        ? [markdown(`${misscheduled} pod(s) of the daemon set are misscheduled, but no node selector, node affinity or taint of their nodes explains it (${LEARN_MORE}).`)]
        : []),
    ];
    if (blocks.length === 0) {
      ctx.logger.info({ daemonSet: `${found.namespace}/${found.name}` }, "daemonset_misscheduled_analysis_enricher: no pod of the daemon set is misscheduled");
      return;
    }
    ctx.addEnrichment(blocks);
  },
});
