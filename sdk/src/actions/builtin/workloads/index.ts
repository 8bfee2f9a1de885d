/** Enrichers of pods, nodes and workloads (Robusta §5.4). */
import type { AnyAction } from "../../define.js";
import { daemonsetMisscheduledAnalysisEnricher } from "./daemonset-misscheduled-analysis-enricher.js";
import { daemonsetStatusEnricher } from "./daemonset-status-enricher.js";
import { deploymentEventsEnricher } from "./deployment-events-enricher.js";
import { deploymentStatusEnricher } from "./deployment-status-enricher.js";
import { getResourceYaml } from "./get-resource-yaml.js";
import { hpaMismatchEnricher } from "./hpa-mismatch-enricher.js";
import { jobEventsEnricher } from "./job-events-enricher.js";
import { jobInfoEnricher } from "./job-info-enricher.js";
import { jobPodEnricher } from "./job-pod-enricher.js";
import { nodeAllocatableResourcesEnricher } from "./node-allocatable-resources-enricher.js";
import { nodePodsCapacityEnricher } from "./node-pods-capacity-enricher.js";
import { nodeRunningPodsEnricher } from "./node-running-pods-enricher.js";
import { nodeStatusEnricher } from "./node-status-enricher.js";
import { podIssueInvestigator } from "./pod-issue-investigator.js";
import { relatedPods } from "./related-pods.js";
import { resourceEventsEnricher } from "./resource-events-enricher.js";
import { statefulsetReplicasEnricher } from "./statefulset-replicas-enricher.js";
import { statusEnricher } from "./status-enricher.js";

export { daemonsetMisscheduledAnalysisEnricher } from "./daemonset-misscheduled-analysis-enricher.js";
export { daemonsetStatusEnricher } from "./daemonset-status-enricher.js";
export { deploymentEventsEnricher } from "./deployment-events-enricher.js";
export { deploymentStatusEnricher } from "./deployment-status-enricher.js";
export { getResourceYaml } from "./get-resource-yaml.js";
export { hpaMismatchEnricher } from "./hpa-mismatch-enricher.js";
export { jobEventsEnricher } from "./job-events-enricher.js";
export { jobInfoEnricher } from "./job-info-enricher.js";
export { jobPodEnricher } from "./job-pod-enricher.js";
export { nodeAllocatableResourcesEnricher } from "./node-allocatable-resources-enricher.js";
export { nodePodsCapacityEnricher } from "./node-pods-capacity-enricher.js";
export { nodeRunningPodsEnricher } from "./node-running-pods-enricher.js";
export { nodeStatusEnricher } from "./node-status-enricher.js";
export { podIssueInvestigator } from "./pod-issue-investigator.js";
export { relatedPods } from "./related-pods.js";
export { resourceEventsEnricher } from "./resource-events-enricher.js";
export { statefulsetReplicasEnricher } from "./statefulset-replicas-enricher.js";
export { statusEnricher } from "./status-enricher.js";

/** The pod, node and workload enrichers, available by their Robusta names. */
export const workloadActions: AnyAction[] = [
  podIssueInvestigator,
  nodeStatusEnricher,
  nodeRunningPodsEnricher,
  nodeAllocatableResourcesEnricher,
  nodePodsCapacityEnricher,
  deploymentStatusEnricher,
  deploymentEventsEnricher,
  resourceEventsEnricher,
  relatedPods,
  statusEnricher,
  getResourceYaml,
  jobInfoEnricher,
  jobEventsEnricher,
  jobPodEnricher,
  statefulsetReplicasEnricher,
  daemonsetStatusEnricher,
  daemonsetMisscheduledAnalysisEnricher,
  hpaMismatchEnricher,
];
