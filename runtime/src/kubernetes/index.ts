/** The runner's access to Kubernetes: watches, the Cluster for actions, and the forwarder mode. */
import { KubeConfig } from "@kubernetes/client-node";
import type { KubernetesChangeEvent, Logger } from "@robusta-ts/sdk";
import type { Metrics } from "../metrics.js";
import type { RuntimeOptions } from "../options.js";
import type { KubeApiClient } from "./api-client.js";
import { WatchManager } from "./watch-manager.js";

export { KubeApiClient, KubeApiError } from "./api-client.js";
export { KubeCluster } from "./kube-cluster.js";
export { WatchManager, type WatchSettings } from "./watch-manager.js";
export { CloudEventForwarder, toCloudEvent } from "./cloudevent-forwarder.js";
export { advancedFilter, namespaceAllowed } from "./filters.js";
export { BUILTIN_RESOURCES } from "./resources.js";

/** The kubeconfig kubectl would use: $KUBECONFIG, ~/.kube/config, or the pod's service account. */
export function loadKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromDefault();
  } catch (error) {
    throw new Error(`cannot load the kubeconfig ${process.env.KUBECONFIG ?? "~/.kube/config"}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!kubeConfig.getCurrentCluster()) {
    throw new Error("no Kubernetes cluster configured: set KUBECONFIG, or run inside a cluster");
  }
  return kubeConfig;
}

/**
 * The kinds Robusta's chart has its forwarder watch: what `robusta forwarder` watches by default,
 * and what any-resource triggers (on_kubernetes_any_resource_*) make the runner watch.
 */
export const DEFAULT_KINDS = [
  "Deployment",
  "ReplicaSet",
  "DaemonSet",
  "StatefulSet",
  "Service",
  "Pod",
  "Job",
  "Node",
  "HorizontalPodAutoscaler",
  "ClusterRole",
  "ClusterRoleBinding",
  "ServiceAccount",
  "PersistentVolume",
  "Namespace",
  "ConfigMap",
  "Ingress",
  "Event",
];

/** The watches, configured from runner options. */
export function createWatches(
  client: KubeApiClient,
  options: RuntimeOptions,
  logger: Logger,
  metrics: Metrics,
  onChange: (change: KubernetesChangeEvent) => void,
): WatchManager {
  return new WatchManager({
    kubeConfig: client.kubeConfig,
    client,
    logger,
    metrics,
    onChange,
    settings: {
      namespaces: { include: options.namespaces, exclude: options.excludeNamespaces },
      advancedFilters: options.advancedFilters,
      customResources: options.customResources.map((spec) => {
        const [group = "", version = "", resource = ""] = spec.split("/");
        return { group, version, resource };
      }),
      idleTimeoutMs: options.watchIdleTimeoutMs,
      staleAfterMs: options.watchStaleAfterMs,
    },
  });
}
