/**
 * The playbooks on by default, as in Robusta's Helm values (`priorityBuiltinPlaybooks` and
 * `builtinPlaybooks`), with their names, so a config can disable one (`disabledPlaybooks`) or
 * replace it (a custom playbook with its name). Robusta's alert enrichments whose actions this
 * runner does not have yet are not listed: a built-in playbook must never fail to load.
 */
import type { PlaybookConfig } from "./schema.js";

/** Silencers: they run before every other playbook and stop the alerts they match. */
export const PRIORITY_BUILTIN_PLAYBOOKS: readonly PlaybookConfig[] = [
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
];

/** Reports of unhealthy pods without Prometheus, then alert enrichments, then the catch-all. */
export const BUILTIN_PLAYBOOKS: readonly PlaybookConfig[] = [
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
    name: "DefaultPrometheusAlertEnricher",
    triggers: [{ on_prometheus_alert: { status: "all" } }],
    actions: [{ default_enricher: {} }],
  },
];

/**
 * Robusta's default playbooks not on here yet, each waiting for the action it needs; listed in
 * docs/configuration.md so nobody moving over expects them.
 */
export const ROBUSTA_BUILTINS_NOT_YET_AVAILABLE: readonly { readonly name: string; readonly needs: readonly string[] }[] = [
  { name: "DONodeAgentCPUThrottlingHighAlertSilencer", needs: ["silence_alert"] },
  { name: "TargetDownSilencer", needs: ["target_down_dns_silencer"] },
  { name: "KrrJobFailed", needs: ["fail_krr_scan"] },
  { name: "PrometheusRuleFailures", needs: ["prometheus_rules_enricher"] },
  { name: "KubeCPUOvercommit", needs: ["cpu_overcommited_enricher", "external_video_enricher"] },
  { name: "KubeMemoryOvercommit", needs: ["memory_overcommited_enricher", "external_video_enricher"] },
  { name: "KubePodNotReady", needs: ["pod_issue_investigator"] },
  { name: "KubeContainerWaiting", needs: ["pod_issue_investigator"] },
  { name: "KubeHpaReplicasMismatch", needs: ["hpa_mismatch_enricher"] },
  { name: "KubeJobAlerts", needs: ["job_info_enricher", "job_events_enricher", "job_pod_enricher"] },
  { name: "KubeAggregatedAPIDown", needs: ["api_service_status_enricher"] },
  { name: "KubeletTooManyPods", needs: ["node_pods_capacity_enricher", "alert_explanation_enricher"] },
  { name: "KubeNodeNotReady", needs: ["node_allocatable_resources_enricher", "node_running_pods_enricher", "status_enricher"] },
  { name: "KubeNodeUnreachable", needs: ["resource_events_enricher", "node_status_enricher"] },
  { name: "KubeStatefulSetReplicasMismatch", needs: ["resource_events_enricher", "statefulset_replicas_enricher", "pod_issue_investigator"] },
  { name: "KubeStatefulSetUpdateNotRolledOut", needs: ["related_pods", "statefulset_replicas_enricher"] },
  { name: "KubeDaemonSetRolloutStuck", needs: ["resource_events_enricher", "related_pods", "daemonset_status_enricher"] },
  { name: "K8sMisscheduled", needs: ["daemonset_status_enricher", "daemonset_misscheduled_analysis_enricher"] },
  { name: "HostHighCpuLoad", needs: ["node_cpu_enricher", "alert_graph_enricher"] },
  { name: "HostOomKillDetected", needs: ["oom_killer_enricher", "alert_graph_enricher"] },
  { name: "NodeFSSpaceAlerts", needs: ["node_disk_analyzer", "alert_graph_enricher"] },
  { name: "CPUThrottlingHigh", needs: ["cpu_throttling_analysis_enricher", "alert_graph_enricher"] },
  { name: "DeploymentReplicasMismatch", needs: ["pod_issue_investigator", "deployment_events_enricher"] },
  { name: "KubeVersionMismatch", needs: ["version_mismatch_enricher"] },
  { name: "MiniClusterNodeFSSpaceAlerts", needs: ["alert_explanation_enricher"] },
];
