/**
 * The kinds the fake API server knows, and the discovery documents built from the served ones
 * (the legacy, non-aggregated discovery format: APIVersions, APIGroupList, APIGroup,
 * APIResourceList).
 */

export interface ResourceKind {
  /** "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The resource name in URLs: "pods". */
  readonly plural: string;
  readonly namespaced: boolean;
  /** Field selector labels beyond metadata.name and metadata.namespace (the real server rejects others). */
  readonly fields?: readonly string[];
}

/** A kind by apiVersion and kind, as objects name theirs. */
export interface KindRef {
  readonly apiVersion: string;
  readonly kind: string;
}

const core = (kind: string, plural: string, namespaced: boolean, fields?: string[]): ResourceKind => ({ group: "", version: "v1", kind, plural, namespaced, fields });
const apps = (kind: string, plural: string): ResourceKind => ({ group: "apps", version: "v1", kind, plural, namespaced: true });

const involvedObject = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"];

export const BUILTIN_KINDS: readonly ResourceKind[] = [
  core("Namespace", "namespaces", false, ["status.phase"]),
  core("Node", "nodes", false, ["spec.unschedulable"]),
  core("Pod", "pods", true, ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP"]),
  core("Event", "events", true, [...involvedObject.map((f) => `involvedObject.${f}`), "reason", "reportingComponent", "source", "type"]),
  core("ConfigMap", "configmaps", true),
  core("Service", "services", true),
  { group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", namespaced: true, fields: [...involvedObject.map((f) => `regarding.${f}`), "reason", "reportingController", "type"] },
  apps("Deployment", "deployments"),
  apps("ReplicaSet", "replicasets"),
  apps("DaemonSet", "daemonsets"),
  apps("StatefulSet", "statefulsets"),
  { group: "batch", version: "v1", kind: "Job", plural: "jobs", namespaced: true, fields: ["status.successful"] },
];

export const apiVersionOf = (k: { group: string; version: string }): string => (k.group ? `${k.group}/${k.version}` : k.version);

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export class KindTable {
  private readonly known: ResourceKind[];
  private readonly served: ResourceKind[];

  constructor(custom: readonly ResourceKind[], unserved: readonly KindRef[]) {
    this.known = [...BUILTIN_KINDS, ...custom];
    const off = new Set(unserved.map((r) => `${r.apiVersion} ${r.kind}`));
    this.served = this.known.filter((k) => !off.has(`${apiVersionOf(k)} ${k.kind}`));
  }

  /** Any known kind, served or not (tests may store objects of unserved kinds; they stay invisible). */
  byKind(apiVersion: string, kind: string): ResourceKind | undefined {
    return this.known.find((k) => apiVersionOf(k) === apiVersion && k.kind === kind);
  }

  /** A served resource, by URL segments. */
  byPlural(group: string, version: string, plural: string): ResourceKind | undefined {
    return this.served.find((k) => k.group === group && k.version === version && k.plural === plural);
  }

  servesGroupVersion(group: string, version: string): boolean {
    return this.served.some((k) => k.group === group && k.version === version);
  }

  /** GET /api */
  apiVersions(serverAddress: string): object {
    return {
      kind: "APIVersions",
      versions: this.servesGroupVersion("", "v1") ? ["v1"] : [],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
    };
  }

  /** GET /apis: every named group with the versions served. */
  groupList(): object {
    const names = [...new Set(this.served.filter((k) => k.group).map((k) => k.group))];
    return { kind: "APIGroupList", apiVersion: "v1", groups: names.map((name) => this.group(name)) };
  }

  /** GET /apis/{group}; undefined when nothing of the group is served. */
  group(name: string): object | undefined {
    const versions = [...new Set(this.served.filter((k) => k.group === name).map((k) => k.version))];
    if (!name || versions.length === 0) return undefined;
    const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { kind: "APIGroup", apiVersion: "v1", name, versions: entries, preferredVersion: entries[0] };
  }

  /** GET /api/v1 or /apis/{group}/{version}; undefined when that group/version is not served. */
  resourceList(group: string, version: string): object | undefined {
    const kinds = this.served.filter((k) => k.group === group && k.version === version);
    if (kinds.length === 0) return undefined;
    return {
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: apiVersionOf({ group, version }),
      // Only what this fake serves: get, list and watch.
      resources: kinds.map((k) => ({ name: k.plural, singularName: k.kind.toLowerCase(), namespaced: k.namespaced, kind: k.kind, verbs: ["get", "list", "watch"] })),
    };
  }
}
