/** Every trigger type, by YAML name, and the camelCase factories playbook code uses. */
import { podTriggers } from "./kubernetes.js";
import { onPodCrashLoopType, onPodOomKilledType } from "./pod-health.js";
import { onPrometheusAlertType } from "./prometheus.js";
import { triggerFactory, type TriggerType } from "./trigger.js";

/** Fires when a Pod is created. */
export const onPodCreate = triggerFactory(podTriggers.create);
/** Fires when a Pod is updated. */
export const onPodUpdate = triggerFactory(podTriggers.update);
/** Fires when a Pod is deleted. */
export const onPodDelete = triggerFactory(podTriggers.delete);
/** Fires when a Pod is created, updated or deleted. */
export const onPodAllChanges = triggerFactory(podTriggers.allChanges);
/** Fires when a container of a pod crash-loops (Robusta's on_pod_crash_loop). */
export const onPodCrashLoop = triggerFactory(onPodCrashLoopType);
/** Fires when a container of a pod is OOM-killed (Robusta's on_pod_oom_killed). */
export const onPodOomKilled = triggerFactory(onPodOomKilledType);
/** Fires for a Prometheus alert from Alertmanager (Robusta's on_prometheus_alert). */
export const onPrometheusAlert = triggerFactory(onPrometheusAlertType);

/** All trigger types, in the order the reference lists them. */
export const TRIGGER_TYPES: readonly TriggerType[] = [
  podTriggers.create,
  podTriggers.update,
  podTriggers.delete,
  podTriggers.allChanges,
  onPodCrashLoopType,
  onPodOomKilledType,
  onPrometheusAlertType,
] as readonly TriggerType[];

const byName = new Map(TRIGGER_TYPES.map((type) => [type.name, type]));

/** The trigger type with this YAML name. */
export function triggerType(name: string): TriggerType | undefined {
  return byName.get(name);
}
