/**
 * The kinds the runner can watch (Robusta's forwarder list, §2.1), where each is served, and
 * custom resources by group/version/resource. Where an API moved between versions, the
 * candidates are tried in order and discovery picks the first the server serves.
 */

/** One group/version a kind may be served under. */
export interface ResourceLocation {
  readonly group: string;
  readonly version: string;
}

export interface ResourceType {
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** Preferred first. */
  readonly locations: readonly ResourceLocation[];
}

const at = (group: string, ...versions: string[]) => versions.map((version) => ({ group, version }));

export const BUILTIN_RESOURCES: readonly ResourceType[] = [
  { kind: "Pod", plural: "pods", namespaced: true, locations: at("", "v1") },
  { kind: "ReplicaSet", plural: "replicasets", namespaced: true, locations: at("apps", "v1") },
  { kind: "Deployment", plural: "deployments", namespaced: true, locations: at("apps", "v1") },
  { kind: "DaemonSet", plural: "daemonsets", namespaced: true, locations: at("apps", "v1") },
  { kind: "StatefulSet", plural: "statefulsets", namespaced: true, locations: at("apps", "v1") },
  { kind: "Service", plural: "services", namespaced: true, locations: at("", "v1") },
  { kind: "Job", plural: "jobs", namespaced: true, locations: at("batch", "v1") },
  { kind: "CronJob", plural: "cronjobs", namespaced: true, locations: at("batch", "v1", "v1beta1") },
  { kind: "Node", plural: "nodes", namespaced: false, locations: at("", "v1") },
  { kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", namespaced: true, locations: at("autoscaling", "v2", "v1") },
  { kind: "Namespace", plural: "namespaces", namespaced: false, locations: at("", "v1") },
  { kind: "ConfigMap", plural: "configmaps", namespaced: true, locations: at("", "v1") },
  { kind: "Secret", plural: "secrets", namespaced: true, locations: at("", "v1") },
  { kind: "Ingress", plural: "ingresses", namespaced: true, locations: at("networking.k8s.io", "v1") },
  { kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true, locations: at("", "v1") },
  { kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false, locations: at("", "v1") },
  { kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true, locations: at("", "v1") },
  { kind: "ClusterRole", plural: "clusterroles", namespaced: false, locations: at("rbac.authorization.k8s.io", "v1") },
  { kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false, locations: at("rbac.authorization.k8s.io", "v1") },
  { kind: "NetworkPolicy", plural: "networkpolicies", namespaced: true, locations: at("networking.k8s.io", "v1") },
  { kind: "APIService", plural: "apiservices", namespaced: false, locations: at("apiregistration.k8s.io", "v1", "v1beta1") },
  // events.k8s.io/v1 is what Robusta's forwarder watches; core/v1 serves the same objects on older servers.
  { kind: "Event", plural: "events", namespaced: true, locations: [...at("events.k8s.io", "v1"), ...at("", "v1")] },
];

/** A custom resource named as Robusta's forwarder names it: group, version and plural resource. */
export interface CustomResourceSpec {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/** A resource type at the location the server serves it. */
export interface ServedResource {
  readonly type: ResourceType;
  readonly group: string;
  readonly version: string;
  /** "v1" or "apps/v1". */
  readonly apiVersion: string;
}

export const apiVersionOf = (group: string, version: string) => (group ? `${group}/${version}` : version);

/** The collection path, cluster-wide or in one namespace: /api/v1/pods, /apis/apps/v1/namespaces/x/deployments. */
export function collectionPath(resource: ServedResource, namespace?: string): string {
  const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  const scoped = namespace !== undefined && resource.type.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${scoped}/${resource.type.plural}`;
}

/** The path of one object. */
export function objectPath(resource: ServedResource, name: string, namespace?: string): string {
  return `${collectionPath(resource, namespace ?? (resource.type.namespaced ? "default" : undefined))}/${encodeURIComponent(name)}`;
}

export function builtinResource(kind: string): ResourceType | undefined {
  return BUILTIN_RESOURCES.find((type) => type.kind === kind);
}
