/**
 * Every trigger type, by YAML name, and the camelCase factories playbook code uses: each factory
 * is also a method decorator (`@onPodCrashLoop({ restartCount: 3 })`).
 */
import { KIND_TRIGGER_SETS, podTriggers, replicaSetTriggers, daemonSetTriggers, deploymentTriggers, statefulSetTriggers, serviceTriggers, eventTriggers, hpaTriggers, nodeTriggers, clusterRoleTriggers, clusterRoleBindingTriggers, jobTriggers, namespaceTriggers, serviceAccountTriggers, persistentVolumeTriggers, persistentVolumeClaimTriggers, networkPolicyTriggers, configMapTriggers, ingressTriggers, secretTriggers, anyResourceTriggers } from "./kubernetes.js";
import {
  onCustomResourceAllChangesType,
  onCustomResourceCreateType,
  onCustomResourceDeleteType,
  onCustomResourceUpdateType,
} from "./custom-resource.js";
import { onHelmReleaseDeployType, onHelmReleaseFailType, onHelmReleaseUnhealthyType } from "./helm.js";
import { onJobFailureType } from "./job-failure.js";
import {
  onContainerOomKilledType,
  onImagePullBackoffType,
  onPodCrashLoopType,
  onPodEvictedType,
  onPodOomKilledType,
} from "./pod-health.js";
import { onPrometheusAlertType } from "./prometheus.js";
import { onScheduleType } from "./schedule.js";
import { onKubernetesResourceOperationType } from "./resource-operation.js";
import { triggerFactory, type TriggerType } from "./trigger.js";
import {
  onKubernetesWarningEventCreateType,
  onKubernetesWarningEventDeleteType,
  onKubernetesWarningEventType,
  onKubernetesWarningEventUpdateType,
} from "./warning-events.js";

/** Fires when a Pod is created. */
export const onPodCreate = triggerFactory(podTriggers.create);
/** Fires when a Pod is updated. */
export const onPodUpdate = triggerFactory(podTriggers.update);
/** Fires when a Pod is deleted. */
export const onPodDelete = triggerFactory(podTriggers.delete);
/** Fires when a Pod is created, updated or deleted. */
export const onPodAllChanges = triggerFactory(podTriggers.allChanges);
/** Fires when a ReplicaSet is created. */
export const onReplicasetCreate = triggerFactory(replicaSetTriggers.create);
/** Fires when a ReplicaSet is updated. */
export const onReplicasetUpdate = triggerFactory(replicaSetTriggers.update);
/** Fires when a ReplicaSet is deleted. */
export const onReplicasetDelete = triggerFactory(replicaSetTriggers.delete);
/** Fires when a ReplicaSet is created, updated or deleted. */
export const onReplicasetAllChanges = triggerFactory(replicaSetTriggers.allChanges);
/** Fires when a DaemonSet is created. */
export const onDaemonsetCreate = triggerFactory(daemonSetTriggers.create);
/** Fires when a DaemonSet is updated. */
export const onDaemonsetUpdate = triggerFactory(daemonSetTriggers.update);
/** Fires when a DaemonSet is deleted. */
export const onDaemonsetDelete = triggerFactory(daemonSetTriggers.delete);
/** Fires when a DaemonSet is created, updated or deleted. */
export const onDaemonsetAllChanges = triggerFactory(daemonSetTriggers.allChanges);
/** Fires when a Deployment is created. */
export const onDeploymentCreate = triggerFactory(deploymentTriggers.create);
/** Fires when a Deployment is updated. */
export const onDeploymentUpdate = triggerFactory(deploymentTriggers.update);
/** Fires when a Deployment is deleted. */
export const onDeploymentDelete = triggerFactory(deploymentTriggers.delete);
/** Fires when a Deployment is created, updated or deleted. */
export const onDeploymentAllChanges = triggerFactory(deploymentTriggers.allChanges);
/** Fires when a StatefulSet is created. */
export const onStatefulsetCreate = triggerFactory(statefulSetTriggers.create);
/** Fires when a StatefulSet is updated. */
export const onStatefulsetUpdate = triggerFactory(statefulSetTriggers.update);
/** Fires when a StatefulSet is deleted. */
export const onStatefulsetDelete = triggerFactory(statefulSetTriggers.delete);
/** Fires when a StatefulSet is created, updated or deleted. */
export const onStatefulsetAllChanges = triggerFactory(statefulSetTriggers.allChanges);
/** Fires when a Service is created. */
export const onServiceCreate = triggerFactory(serviceTriggers.create);
/** Fires when a Service is updated. */
export const onServiceUpdate = triggerFactory(serviceTriggers.update);
/** Fires when a Service is deleted. */
export const onServiceDelete = triggerFactory(serviceTriggers.delete);
/** Fires when a Service is created, updated or deleted. */
export const onServiceAllChanges = triggerFactory(serviceTriggers.allChanges);
/** Fires when a Event is created. */
export const onEventCreate = triggerFactory(eventTriggers.create);
/** Fires when a Event is updated. */
export const onEventUpdate = triggerFactory(eventTriggers.update);
/** Fires when a Event is deleted. */
export const onEventDelete = triggerFactory(eventTriggers.delete);
/** Fires when a Event is created, updated or deleted. */
export const onEventAllChanges = triggerFactory(eventTriggers.allChanges);
/** Fires when a HorizontalPodAutoscaler is created. */
export const onHorizontalpodautoscalerCreate = triggerFactory(hpaTriggers.create);
/** Fires when a HorizontalPodAutoscaler is updated. */
export const onHorizontalpodautoscalerUpdate = triggerFactory(hpaTriggers.update);
/** Fires when a HorizontalPodAutoscaler is deleted. */
export const onHorizontalpodautoscalerDelete = triggerFactory(hpaTriggers.delete);
/** Fires when a HorizontalPodAutoscaler is created, updated or deleted. */
export const onHorizontalpodautoscalerAllChanges = triggerFactory(hpaTriggers.allChanges);
/** Fires when a Node is created. */
export const onNodeCreate = triggerFactory(nodeTriggers.create);
/** Fires when a Node is updated. */
export const onNodeUpdate = triggerFactory(nodeTriggers.update);
/** Fires when a Node is deleted. */
export const onNodeDelete = triggerFactory(nodeTriggers.delete);
/** Fires when a Node is created, updated or deleted. */
export const onNodeAllChanges = triggerFactory(nodeTriggers.allChanges);
/** Fires when a ClusterRole is created. */
export const onClusterroleCreate = triggerFactory(clusterRoleTriggers.create);
/** Fires when a ClusterRole is updated. */
export const onClusterroleUpdate = triggerFactory(clusterRoleTriggers.update);
/** Fires when a ClusterRole is deleted. */
export const onClusterroleDelete = triggerFactory(clusterRoleTriggers.delete);
/** Fires when a ClusterRole is created, updated or deleted. */
export const onClusterroleAllChanges = triggerFactory(clusterRoleTriggers.allChanges);
/** Fires when a ClusterRoleBinding is created. */
export const onClusterrolebindingCreate = triggerFactory(clusterRoleBindingTriggers.create);
/** Fires when a ClusterRoleBinding is updated. */
export const onClusterrolebindingUpdate = triggerFactory(clusterRoleBindingTriggers.update);
/** Fires when a ClusterRoleBinding is deleted. */
export const onClusterrolebindingDelete = triggerFactory(clusterRoleBindingTriggers.delete);
/** Fires when a ClusterRoleBinding is created, updated or deleted. */
export const onClusterrolebindingAllChanges = triggerFactory(clusterRoleBindingTriggers.allChanges);
/** Fires when a Job is created. */
export const onJobCreate = triggerFactory(jobTriggers.create);
/** Fires when a Job is updated. */
export const onJobUpdate = triggerFactory(jobTriggers.update);
/** Fires when a Job is deleted. */
export const onJobDelete = triggerFactory(jobTriggers.delete);
/** Fires when a Job is created, updated or deleted. */
export const onJobAllChanges = triggerFactory(jobTriggers.allChanges);
/** Fires when a Namespace is created. */
export const onNamespaceCreate = triggerFactory(namespaceTriggers.create);
/** Fires when a Namespace is updated. */
export const onNamespaceUpdate = triggerFactory(namespaceTriggers.update);
/** Fires when a Namespace is deleted. */
export const onNamespaceDelete = triggerFactory(namespaceTriggers.delete);
/** Fires when a Namespace is created, updated or deleted. */
export const onNamespaceAllChanges = triggerFactory(namespaceTriggers.allChanges);
/** Fires when a ServiceAccount is created. */
export const onServiceaccountCreate = triggerFactory(serviceAccountTriggers.create);
/** Fires when a ServiceAccount is updated. */
export const onServiceaccountUpdate = triggerFactory(serviceAccountTriggers.update);
/** Fires when a ServiceAccount is deleted. */
export const onServiceaccountDelete = triggerFactory(serviceAccountTriggers.delete);
/** Fires when a ServiceAccount is created, updated or deleted. */
export const onServiceaccountAllChanges = triggerFactory(serviceAccountTriggers.allChanges);
/** Fires when a PersistentVolume is created. */
export const onPersistentvolumeCreate = triggerFactory(persistentVolumeTriggers.create);
/** Fires when a PersistentVolume is updated. */
export const onPersistentvolumeUpdate = triggerFactory(persistentVolumeTriggers.update);
/** Fires when a PersistentVolume is deleted. */
export const onPersistentvolumeDelete = triggerFactory(persistentVolumeTriggers.delete);
/** Fires when a PersistentVolume is created, updated or deleted. */
export const onPersistentvolumeAllChanges = triggerFactory(persistentVolumeTriggers.allChanges);
/** Fires when a PersistentVolumeClaim is created. */
export const onPersistentvolumeclaimCreate = triggerFactory(persistentVolumeClaimTriggers.create);
/** Fires when a PersistentVolumeClaim is updated. */
export const onPersistentvolumeclaimUpdate = triggerFactory(persistentVolumeClaimTriggers.update);
/** Fires when a PersistentVolumeClaim is deleted. */
export const onPersistentvolumeclaimDelete = triggerFactory(persistentVolumeClaimTriggers.delete);
/** Fires when a PersistentVolumeClaim is created, updated or deleted. */
export const onPersistentvolumeclaimAllChanges = triggerFactory(persistentVolumeClaimTriggers.allChanges);
/** Fires when a NetworkPolicy is created. */
export const onNetworkpolicyCreate = triggerFactory(networkPolicyTriggers.create);
/** Fires when a NetworkPolicy is updated. */
export const onNetworkpolicyUpdate = triggerFactory(networkPolicyTriggers.update);
/** Fires when a NetworkPolicy is deleted. */
export const onNetworkpolicyDelete = triggerFactory(networkPolicyTriggers.delete);
/** Fires when a NetworkPolicy is created, updated or deleted. */
export const onNetworkpolicyAllChanges = triggerFactory(networkPolicyTriggers.allChanges);
/** Fires when a ConfigMap is created. */
export const onConfigmapCreate = triggerFactory(configMapTriggers.create);
/** Fires when a ConfigMap is updated. */
export const onConfigmapUpdate = triggerFactory(configMapTriggers.update);
/** Fires when a ConfigMap is deleted. */
export const onConfigmapDelete = triggerFactory(configMapTriggers.delete);
/** Fires when a ConfigMap is created, updated or deleted. */
export const onConfigmapAllChanges = triggerFactory(configMapTriggers.allChanges);
/** Fires when a Ingress is created. */
export const onIngressCreate = triggerFactory(ingressTriggers.create);
/** Fires when a Ingress is updated. */
export const onIngressUpdate = triggerFactory(ingressTriggers.update);
/** Fires when a Ingress is deleted. */
export const onIngressDelete = triggerFactory(ingressTriggers.delete);
/** Fires when a Ingress is created, updated or deleted. */
export const onIngressAllChanges = triggerFactory(ingressTriggers.allChanges);
/** Fires when a Secret is created. */
export const onSecretCreate = triggerFactory(secretTriggers.create);
/** Fires when a Secret is updated. */
export const onSecretUpdate = triggerFactory(secretTriggers.update);
/** Fires when a Secret is deleted. */
export const onSecretDelete = triggerFactory(secretTriggers.delete);
/** Fires when a Secret is created, updated or deleted. */
export const onSecretAllChanges = triggerFactory(secretTriggers.allChanges);
/** Fires when any Kubernetes object the runner watches is created. */
export const onKubernetesAnyResourceCreate = triggerFactory(anyResourceTriggers.create);
/** Fires when any Kubernetes object the runner watches is updated. */
export const onKubernetesAnyResourceUpdate = triggerFactory(anyResourceTriggers.update);
/** Fires when any Kubernetes object the runner watches is deleted. */
export const onKubernetesAnyResourceDelete = triggerFactory(anyResourceTriggers.delete);
/** Fires when any Kubernetes object the runner watches is created, updated or deleted. */
export const onKubernetesAnyResourceAllChanges = triggerFactory(anyResourceTriggers.allChanges);
/** Fires when an object of a custom resource (`resource`, `kind`) is created; see customResourceTriggers for typed events. */
export const onCustomResourceCreate = triggerFactory(onCustomResourceCreateType);
/** Fires when an object of a custom resource is updated. */
export const onCustomResourceUpdate = triggerFactory(onCustomResourceUpdateType);
/** Fires when an object of a custom resource is deleted. */
export const onCustomResourceDelete = triggerFactory(onCustomResourceDeleteType);
/** Fires when an object of a custom resource is created, updated or deleted. */
export const onCustomResourceAllChanges = triggerFactory(onCustomResourceAllChangesType);
/** Fires when a container of a pod crash-loops (Robusta's on_pod_crash_loop). */
export const onPodCrashLoop = triggerFactory(onPodCrashLoopType);
/** Fires when a container of a pod cannot pull its image. */
export const onImagePullBackoff = triggerFactory(onImagePullBackoffType);
/** Fires when a container of a pod is OOM-killed (Robusta's on_pod_oom_killed). */
export const onPodOomKilled = triggerFactory(onPodOomKilledType);
/** Fires when a container is OOM-killed, with exclusions by container name. */
export const onContainerOomKilled = triggerFactory(onContainerOomKilledType);
/** Fires when a pod is evicted. */
export const onPodEvicted = triggerFactory(onPodEvictedType);
/** Fires when a Job has just failed. */
export const onJobFailure = triggerFactory(onJobFailureType);
/** Fires when a Warning Event is recorded, updated or deleted. */
export const onKubernetesWarningEvent = triggerFactory(onKubernetesWarningEventType);
/** Fires when a Warning Event is recorded. */
export const onKubernetesWarningEventCreate = triggerFactory(onKubernetesWarningEventCreateType);
/** Fires when a Warning Event is updated (repeated). */
export const onKubernetesWarningEventUpdate = triggerFactory(onKubernetesWarningEventUpdateType);
/** Fires when a Warning Event is deleted. */
export const onKubernetesWarningEventDelete = triggerFactory(onKubernetesWarningEventDeleteType);
/** Fires when an object of the chosen kinds changes; updates only when they pass change_filters (by default: spec changes). */
export const onKubernetesResourceOperation = triggerFactory(onKubernetesResourceOperationType);
/** Fires when a Helm release has been pending or uninstalling for `duration` seconds; `rateLimit` is required. */
export const onHelmReleaseUnhealthy = triggerFactory(onHelmReleaseUnhealthyType);
/** Fires when a Helm release revision deployed since the runner started has failed. */
export const onHelmReleaseFail = triggerFactory(onHelmReleaseFailType);
/** Fires when a Helm release revision is deployed (after the runner started). */
export const onHelmReleaseDeploy = triggerFactory(onHelmReleaseDeployType);
/** Fires when a Prometheus alert arrives from Alertmanager (Robusta's on_prometheus_alert). */
export const onPrometheusAlert = triggerFactory(onPrometheusAlertType);
/** Runs the playbook on a schedule, e.g. `onSchedule({ fixedDelayRepeat: { seconds_delay: 300 } })`. */
export const onSchedule = triggerFactory(onScheduleType);

/** All trigger types, in the order the reference lists them. */
export const TRIGGER_TYPES: readonly TriggerType[] = [
  ...KIND_TRIGGER_SETS.flatMap((set) => [set.create, set.update, set.delete, set.allChanges]),
  onCustomResourceCreateType,
  onCustomResourceUpdateType,
  onCustomResourceDeleteType,
  onCustomResourceAllChangesType,
  onPodCrashLoopType,
  onImagePullBackoffType,
  onPodOomKilledType,
  onContainerOomKilledType,
  onPodEvictedType,
  onJobFailureType,
  onKubernetesWarningEventType,
  onKubernetesWarningEventCreateType,
  onKubernetesWarningEventUpdateType,
  onKubernetesWarningEventDeleteType,
  onKubernetesResourceOperationType,
  onHelmReleaseUnhealthyType,
  onHelmReleaseFailType,
  onHelmReleaseDeployType,
  onPrometheusAlertType,
  onScheduleType,
] as readonly TriggerType[];

const byName = new Map(TRIGGER_TYPES.map((type) => [type.name, type]));

/** The trigger type with this YAML name. */
export function triggerType(name: string): TriggerType | undefined {
  return byName.get(name);
}
