/** Why a node should not run a daemon set's pod: its node selector, required node affinity, or a taint not tolerated. */
import type { Node, PodSpec, Taint, Toleration } from "kubernetes-types/core/v1.js";
import { requirementMatches } from "./label-selector.js";

/** The taint the cluster autoscaler puts on a node it is about to remove. */
export const AUTOSCALER_TAINT = "ToBeDeletedByClusterAutoscaler";

/** Whether a toleration tolerates a taint, as the scheduler decides. */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.operator === "Exists") return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? "") === (taint.value ?? "");
}

/** The node's NoSchedule and NoExecute taints that none of `tolerations` tolerates. */
export function untoleratedTaints(node: Node, tolerations: readonly Toleration[]): Taint[] {
  return (node.spec?.taints ?? []).filter(
    (taint) => taint.effect !== "PreferNoSchedule" && !tolerations.some((toleration) => tolerates(toleration, taint)),
  );
}

const taintText = (taint: Taint) => `${taint.key}${taint.value ? `=${taint.value}` : ""}:${taint.effect}`;

/**
 * Why `node` does not fit `template` (a daemon set's pod template) and `tolerations` (its pod's,
 * which include those the daemon set controller adds): one line per cause, none when it fits.
 */
export function misfitCauses(node: Node, template: PodSpec | undefined, tolerations: readonly Toleration[]): string[] {
  const labels = node.metadata?.labels ?? {};
  const missing = Object.entries(template?.nodeSelector ?? {})
    .filter(([key, value]) => labels[key] !== value)
    .map(([key, value]) => `the node lacks the label ${key}=${value} of the nodeSelector`);
  const terms = template?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const fields = { "metadata.name": node.metadata?.name ?? "" };
  const fitsAffinity =
    terms.length === 0 ||
    terms.some(
      (term) =>
        (term.matchExpressions ?? []).every((requirement) => requirementMatches(requirement, labels)) &&
        (term.matchFields ?? []).every((requirement) => requirementMatches(requirement, fields)),
    );
  return [
    ...missing,
    ...(fitsAffinity ? [] : ["the node matches none of the required node affinity terms"]),
    ...untoleratedTaints(node, tolerations).map((taint) => `the node has the taint ${taintText(taint)}, which the pod does not tolerate`),
  ];
}
