/**
 * The playbooks on by default, as in Robusta's Helm values (`priorityBuiltinPlaybooks` and
 * `builtinPlaybooks`), with their names, so a config can disable one (`disabledPlaybooks`) or
 * replace it (a custom playbook with its name). The lists are Robusta's, in its order; those
 * naming an action this runner does not have yet are left out, so a built-in playbook never
 * fails to load, and listed with what they wait for.
 */
import { ActionRegistry, builtinActions } from "@robusta-ts/sdk";
import type { PlaybookConfig } from "./schema.js";

/** Silencers: they run before every other playbook and stop the alerts they match. */
const ROBUSTA_PRIORITY_PLAYBOOKS: readonly PlaybookConfig[] = [
  {
    name: "CommonPrometheusAlertsSilencer",
    triggers: [{ on_prometheus_alert: { status: "all" } }],
    actions: [{ name_silencer: { names: ["Watchdog", "KubeSchedulerDown", "KubeControllerManagerDown", "InfoInhibitor"] } }],
  },
  {
    name: "MiniClustersPrometheusAlertsSilencer",
    triggers: [{ on_prometheus_alert: { status: "all", k8s_providers: ["Minikube", "Kind", "RancherDesktop"] } }],
    actions: [{ name_silencer: { names: ["etcdInsufficientMembers", "etcdMembersDown", "NodeClockNotSynchronising", "PrometheusTSDBCompactionsFailing"] } }],
  },
  {
    name: "GKEProviderAlertsAlertsSilencer",
    triggers: [{ on_prometheus_alert: { status: "all", k8s_providers: ["GKE"] } }],
    actions: [{ name_silencer: { names: ["KubeletDown"] } }],
  },
  {
    name: "DONodeAgentCPUThrottlingHighAlertSilencer",
    triggers: [{ on_prometheus_alert: { alert_name: "CPUThrottlingHigh", k8s_providers: ["DigitalOcean"], pod_name_prefix: "do-node-agent" } }],
    actions: [{ silence_alert: { log_silence: true } }],
  },
  {
    name: "TargetDownSilencer",
    triggers: [{ on_prometheus_alert: { alert_name: "TargetDown" } }],
    actions: [{ target_down_dns_silencer: {} }],
  },
];

/** Reports of unhealthy pods without Prometheus, then alert enrichments, then the catch-all. */
const ROBUSTA_BUILTIN_PLAYBOOKS: readonly PlaybookConfig[] = [
  {
    name: "CrashLoopBackOff",
    triggers: [{ on_pod_crash_loop: { restart_reason: "CrashLoopBackOff" } }],
    actions: [{ report_crash_loop: {} }],
  },
  {
    name: "ImagePullBackOff",
    triggers: [{ on_image_pull_backoff: {} }],
    actions: [{ image_pull_backoff_reporter: {} }],
  },
  {
    name: "PodEvicted",
    triggers: [{ on_pod_evicted: {} }],
    actions: [{ pod_evicted_enricher: {} }, { pod_events_enricher: {} }, { enrich_pod_with_node_events: {} }],
  },
  {
    name: "KrrJobFailed",
    triggers: [{ on_job_failure: { scope: { include: [{ labels: ["app=krr.robusta.dev"] }] } } }],
    actions: [{ fail_krr_scan: {} }],
  },
  {
    name: "PodOOMKill",
    triggers: [{ on_pod_oom_killed: { rate_limit: 3600 } }],
    actions: [{ pod_oom_killer_enricher: { attach_logs: true, container_memory_graph: true, node_memory_graph: true, dmesg_log: false } }],
    stop: true,
  },
  {
    name: "KubePodCrashLooping",
    triggers: [{ on_prometheus_alert: { alert_name: "KubePodCrashLooping" } }],
    actions: [{ logs_enricher: {} }, { pod_events_enricher: {} }],
  },
  {
    name: "PrometheusRuleFailures",
    triggers: [{ on_prometheus_alert: { alert_name: "PrometheusRuleFailures" } }],
    actions: [{ prometheus_rules_enricher: {} }, { logs_enricher: { filter_regex: ".*Evaluating rule failed.*" } }],
  },
  {
    name: "KubeCPUOvercommit",
    triggers: [{ on_prometheus_alert: { alert_name: "KubeCPUOvercommit" } }],
    actions: [{ cpu_overcommited_enricher: {} }, { external_video_enricher: { url: "https://bit.ly/overcommit-cpu", name: "CPU Overcommited" } }],
  },
  {
    name: "KubeMemoryOvercommit",
    triggers: [{ on_prometheus_alert: { alert_name: "KubeMemoryOvercommit" } }],
    actions: [{ memory_overcommited_enricher: {} }, { external_video_enricher: { url: "https://bit.ly/memory-overcommit", name: "Memory Overcommited" } }],
  },
  {
    name: "KubePodNotReady",
    triggers: [{ on_prometheus_alert: { alert_name: "KubePodNotReady" } }],
    actions: [{ logs_enricher: {} }, { pod_events_enricher: {} }, { pod_issue_investigator: {} }],
  },
  {
    name: "KubeContainerWaiting",
    triggers: [{ on_prometheus_alert: { alert_name: "KubeContainerWaiting" } }],
    actions: [{ pod_issue_investigator: {} }, { pod_events_enricher: {} }],
  },
  {
    name: "KubeHpaReplicasMismatch",
    triggers: [{ on_prometheus_alert: { alert_name: "KubeHpaReplicasMismatch" } }],
    actions: [{ hpa_mismatch_enricher: {} }],
  },
  {
    name: "KubeJobAlerts",
    triggers: [{ on_prometheus_alert: { alert_name: "KubeJobFailed" } }, { on_prometheus_alert: { alert_name: "KubeJobCompletion" } }, { on_prometheus_alert: { alert_name: "KubeJobNotCompleted" } }],
    actions: [{ job_info_enricher: {} }, { job_events_enricher: {} }, { job_pod_enricher: {} }],
  },
  {
    name: "KubeAggregatedAPIDown",
    triggers: [{ on_prometheus_alert: { alert_name: "KubeAggregatedAPIDown" } }],
    actions: [{ api_service_status_enricher: {} }],
  },
  {
    name: "KubeletTooManyPods",
    triggers: [{ on_prometheus_alert: { alert_name: "KubeletTooManyPods" } }],
    actions: [{ node_pods_capacity_enricher: {} }, { alert_explanation_enricher: { alert_explanation: "The node is approaching the maximum number of scheduled pods.", recommended_resolution: "Verify that you defined proper resource requests for your workloads. If pods cannot be scheduled, add more nodes to your cluster." } }],
  },
  {
    name: "KubeNodeNotReady",
    triggers: [{ on_prometheus_alert: { alert_name: "KubeNodeNotReady" } }],
    actions: [{ node_allocatable_resources_enricher: {} }, { node_running_pods_enricher: {} }, { status_enricher: { show_details: true } }],
  },
  {
    name: "KubeNodeUnreachable",
    triggers: [{ on_prometheus_alert: { alert_name: "KubeNodeUnreachable" } }],
    actions: [{ resource_events_enricher: {} }, { node_status_enricher: {} }],
  },
  {
    name: "KubeStatefulSetReplicasMismatch",
    triggers: [{ on_prometheus_alert: { alert_name: "KubeStatefulSetReplicasMismatch" } }],
    actions: [{ resource_events_enricher: { dependent_pod_mode: true } }, { statefulset_replicas_enricher: {} }, { pod_issue_investigator: {} }],
  },
  {
    name: "KubeStatefulSetUpdateNotRolledOut",
    triggers: [{ on_prometheus_alert: { alert_name: "KubeStatefulSetUpdateNotRolledOut" } }],
    actions: [{ related_pods: {} }, { statefulset_replicas_enricher: {} }],
  },
  {
    name: "KubeDaemonSetRolloutStuck",
    triggers: [{ on_prometheus_alert: { alert_name: "KubeDaemonSetRolloutStuck" } }],
    actions: [{ resource_events_enricher: {} }, { related_pods: {} }, { daemonset_status_enricher: {} }],
  },
  {
    name: "K8sMisscheduled",
    triggers: [{ on_prometheus_alert: { alert_name: "KubernetesDaemonsetMisscheduled" } }, { on_prometheus_alert: { alert_name: "KubeDaemonSetMisScheduled" } }],
    actions: [{ daemonset_status_enricher: {} }, { daemonset_misscheduled_analysis_enricher: {} }],
  },
  {
    name: "HostHighCpuLoad",
    triggers: [{ on_prometheus_alert: { alert_name: "HostHighCpuLoad" } }],
    actions: [{ node_cpu_enricher: {} }, { alert_graph_enricher: { resource_type: "CPU", item_type: "Node" } }],
  },
  {
    name: "HostOomKillDetected",
    triggers: [{ on_prometheus_alert: { alert_name: "HostOomKillDetected" } }],
    actions: [{ oom_killer_enricher: {} }, { alert_graph_enricher: { resource_type: "Memory", item_type: "Node" } }],
  },
  {
    name: "NodeFSSpaceAlerts",
    triggers: [{ on_prometheus_alert: { alert_name: "NodeFilesystemSpaceFillingUp" } }, { on_prometheus_alert: { alert_name: "NodeFilesystemAlmostOutOfSpace" } }],
    actions: [{ node_disk_analyzer: {} }, { alert_graph_enricher: { resource_type: "Disk", item_type: "Node" } }],
  },
  {
    name: "CPUThrottlingHigh",
    triggers: [{ on_prometheus_alert: { alert_name: "CPUThrottlingHigh", status: "all" } }],
    actions: [{ cpu_throttling_analysis_enricher: {} }, { alert_graph_enricher: { resource_type: "CPU", item_type: "Pod" } }],
  },
  {
    name: "DeploymentReplicasMismatch",
    triggers: [{ on_prometheus_alert: { alert_name: "KubernetesDeploymentReplicasMismatch" } }, { on_prometheus_alert: { alert_name: "KubeDeploymentReplicasMismatch" } }],
    actions: [{ pod_issue_investigator: {} }, { deployment_events_enricher: { included_types: ["Warning"] } }, { deployment_events_enricher: { included_types: ["Warning", "Normal"], dependent_pod_mode: true } }],
  },
  {
    name: "KubeVersionMismatch",
    triggers: [{ on_prometheus_alert: { alert_name: "KubeVersionMismatch" } }],
    actions: [{ version_mismatch_enricher: {} }],
  },
  {
    name: "DefaultPrometheusAlertEnricher",
    triggers: [{ on_prometheus_alert: { status: "all" } }],
    actions: [{ default_enricher: {} }],
  },
  {
    name: "MiniClusterNodeFSSpaceAlerts",
    triggers: [{ on_prometheus_alert: { alert_name: "NodeFilesystemSpaceFillingUp", k8s_providers: ["Minikube", "Kind", "RancherDesktop"] } }, { on_prometheus_alert: { alert_name: "NodeFilesystemAlmostOutOfSpace", k8s_providers: ["Minikube", "Kind", "RancherDesktop"] } }],
    actions: [{ alert_explanation_enricher: { alert_explanation: "This alert is fired when the file system is running out of space.", recommended_resolution: "This is a common issue on local clusters and we recommend increasing the node disk size for your cluster to run optimally." } }],
  },
];

const actionsOf = (playbook: PlaybookConfig): string[] => playbook.actions.flatMap((entry) => Object.keys(entry));

/** Each playbook of `list` the registry has every action of, and each of the others with the actions it lacks. */
function split(list: readonly PlaybookConfig[], registry: ActionRegistry) {
  const available: PlaybookConfig[] = [];
  const waiting: { name: string; needs: string[] }[] = [];
  for (const playbook of list) {
    const needs = actionsOf(playbook).filter((action) => !registry.get(action));
    if (needs.length === 0) available.push(playbook);
    else waiting.push({ name: playbook.name!, needs: [...new Set(needs)] });
  }
  return { available, waiting };
}

const registry = new ActionRegistry(builtinActions);
const priority = split(ROBUSTA_PRIORITY_PLAYBOOKS, registry);
const builtin = split(ROBUSTA_BUILTIN_PLAYBOOKS, registry);

/** Robusta's `priorityBuiltinPlaybooks` this runner can run. */
export const PRIORITY_BUILTIN_PLAYBOOKS: readonly PlaybookConfig[] = priority.available;

/** Robusta's `builtinPlaybooks` this runner can run. */
export const BUILTIN_PLAYBOOKS: readonly PlaybookConfig[] = builtin.available;

/**
 * Robusta's default playbooks left out, each with the actions it waits for; listed in
 * docs/configuration.md so nobody moving over expects them.
 */
export const ROBUSTA_BUILTINS_NOT_YET_AVAILABLE: readonly { readonly name: string; readonly needs: readonly string[] }[] = [...priority.waiting, ...builtin.waiting];
