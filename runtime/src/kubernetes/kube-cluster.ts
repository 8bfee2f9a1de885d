/**
 * The `Cluster` playbooks use, over the Kubernetes API. Objects come back as the plain JSON the
 * server sends, ingested like watched ones (no managedFields, Secret values redacted).
 */
import type {
  Cluster,
  DeleteOptions,
  KindMap,
  KubernetesEventObject,
  KubernetesObject,
  ListQuery,
  LogRequest,
  ObjectRef,
  PatchType,
} from "@robusta-ts/sdk";
import { KubeApiError, type KubeApiClient } from "./api-client.js";
import { Discovery } from "./discovery.js";
import { ingest } from "./ingest.js";
import { builtinResource, collectionPath, objectPath, type ServedResource } from "./resources.js";

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
};

export class KubeCluster implements Cluster {
  private readonly discovery: Discovery;
  private readonly served = new Map<string, Promise<ServedResource>>();

  constructor(private readonly client: KubeApiClient) {
    this.discovery = new Discovery(client);
  }

  /** Where a kind is served; rejects, naming it, when it is unknown or not served. */
  private resource(kind: string): Promise<ServedResource> {
    let found = this.served.get(kind);
    if (!found) {
      const type = builtinResource(kind);
      found = type
        ? this.discovery.resolve(type).then((served) => served ?? Promise.reject(new Error(`the API server does not serve ${kind}`)))
        : Promise.reject(new Error(`unknown kind ${kind}`));
      found.catch(() => this.served.delete(kind));
      this.served.set(kind, found);
    }
    return found;
  }

  get<K extends keyof KindMap>(kind: K, name: string, namespace?: string): Promise<KindMap[K] | undefined>;
  get(kind: string, name: string, namespace?: string): Promise<KubernetesObject | undefined>;
  async get(kind: string, name: string, namespace?: string): Promise<KubernetesObject | undefined> {
    const resource = await this.resource(kind);
    try {
      return ingest(await this.client.json<KubernetesObject>("GET", objectPath(resource, name, namespace)), resource);
    } catch (error) {
      if (error instanceof KubeApiError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  list<K extends keyof KindMap>(kind: K, query?: ListQuery): Promise<KindMap[K][]>;
  list(kind: string, query?: ListQuery): Promise<KubernetesObject[]>;
  async list(kind: string, query: ListQuery = {}): Promise<KubernetesObject[]> {
    const resource = await this.resource(kind);
    const selectors = { labelSelector: query.labelSelector, fieldSelector: query.fieldSelector };
    return (await this.client.list<KubernetesObject>(collectionPath(resource, query.namespace), selectors, (item) => ingest(item, resource))).items;
  }

  logs(request: LogRequest): Promise<string> {
    return this.client.text(`/api/v1/namespaces/${encodeURIComponent(request.namespace)}/pods/${encodeURIComponent(request.name)}/log`, {
      query: {
        container: request.container,
        previous: request.previous || undefined,
        tailLines: request.tailLines,
        sinceSeconds: request.sinceSeconds,
      },
    });
  }

  async events(ref: ObjectRef): Promise<KubernetesEventObject[]> {
    const resource = await this.resource("Event");
    // events.k8s.io names the subject `regarding`; core/v1 names it `involvedObject`.
    const field = resource.group === "events.k8s.io" ? "regarding" : "involvedObject";
    const selector = [`${field}.kind=${ref.kind}`, `${field}.name=${ref.name}`, ...(ref.namespace ? [`${field}.namespace=${ref.namespace}`] : [])];
    const list = await this.client.list<KubernetesEventObject>(collectionPath(resource, ref.namespace), { fieldSelector: selector.join(",") }, (item) =>
      ingest(item, resource),
    );
    return list.items;
  }

  async patch(kind: string, name: string, namespace: string | undefined, patch: object, type: PatchType = "merge"): Promise<KubernetesObject> {
    const resource = await this.resource(kind);
    const path = objectPath(resource, name, namespace);
    return ingest(await this.client.json<KubernetesObject>("PATCH", path, { body: patch, contentType: PATCH_CONTENT_TYPE[type] }), resource);
  }

  async delete(kind: string, name: string, namespace?: string, options: DeleteOptions = {}): Promise<void> {
    const resource = await this.resource(kind);
    const body = { apiVersion: "v1", kind: "DeleteOptions", ...options };
    await this.client.json("DELETE", objectPath(resource, name, namespace), { body });
  }

  async evict(name: string, namespace: string): Promise<void> {
    // policy/v1 Eviction from Kubernetes 1.22; older servers take policy/v1beta1.
    const apiVersion = (await this.discovery.resources("policy", "v1"))?.some((r) => r.name === "poddisruptionbudgets") ? "policy/v1" : "policy/v1beta1";
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/eviction`;
    await this.client.json("POST", path, { body: { apiVersion, kind: "Eviction", metadata: { name, namespace } } });
  }

  async create<T extends KubernetesObject>(obj: T): Promise<T> {
    if (!obj.kind) throw new Error("create needs an object with its kind set");
    const resource = await this.resource(obj.kind);
    return ingest(await this.client.json<T>("POST", collectionPath(resource, obj.metadata?.namespace ?? "default"), { body: obj }), resource);
  }
}
