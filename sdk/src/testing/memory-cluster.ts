/**
 * A cluster in memory: objects, logs and events you put in, read back through the same `Cluster`
 * interface playbooks use in production, and it can be told to fail. What it returns is frozen,
 * as objects from a watch cache are shared and must not be modified: copy before changing one.
 */
import type { Cluster, DeleteOptions, ListQuery, LogRequest, PatchType } from "../cluster.js";
import type { KubernetesEventObject, KubernetesObject, ObjectRef, Pod } from "../kubernetes/objects.js";

const key = (kind: string, name: string, namespace?: string) => `${kind}/${namespace ?? ""}/${name}`;

/** A deep copy that cannot be modified: stored once, handed out as is. */
function frozenCopy<T>(value: T): T {
  const freeze = (node: unknown): void => {
    if (typeof node !== "object" || node === null || Object.isFrozen(node)) return;
    Object.freeze(node);
    for (const child of Object.values(node)) freeze(child);
  };
  const copy = structuredClone(value);
  freeze(copy);
  return copy;
}

/** A change made through the cluster interface, as recorded for assertions. */
export interface ClusterWrite {
  readonly verb: "patch" | "delete" | "evict" | "create";
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly patch?: object;
  readonly patchType?: PatchType;
  readonly options?: DeleteOptions;
}

/** RFC 7386 JSON merge patch; also stands in for strategic merge, which differs only for some lists. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = typeof target === "object" && target !== null && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** Logs of one container: the current instance and the previous (crashed) one. */
export interface ContainerLogs {
  current?: string;
  previous?: string;
}

function labelSelectorMatches(selector: string | undefined, labels: Readonly<Record<string, string>> = {}): boolean {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const [k = "", v = ""] = term.split(/!?=/).map((s) => s.trim());
    return term.includes("!=") ? labels[k] !== v : labels[k] === v;
  });
}

export class InMemoryCluster implements Cluster {
  private readonly objects = new Map<string, KubernetesObject>();
  private readonly containerLogs = new Map<string, ContainerLogs>();
  private readonly kubeEvents: KubernetesEventObject[] = [];
  private readonly failures = new Map<string, Error>();
  /** Every write made through the cluster interface, in order. */
  readonly writes: ClusterWrite[] = [];

  /** Adds or replaces objects; `kind` must be set on each. */
  apply<T extends KubernetesObject>(...objects: T[]): this {
    for (const obj of objects) {
      if (!obj.kind || !obj.metadata?.name) throw new Error("InMemoryCluster.apply needs objects with kind and metadata.name");
      this.objects.set(key(obj.kind, obj.metadata.name, obj.metadata.namespace), frozenCopy(obj));
    }
    return this;
  }

  /** Removes an object. */
  remove(kind: string, name: string, namespace?: string): this {
    this.objects.delete(key(kind, name, namespace));
    return this;
  }

  /** Sets a container's logs. */
  setLogs(namespace: string, pod: string, container: string, logs: ContainerLogs): this {
    this.containerLogs.set(`${namespace}/${pod}/${container}`, logs);
    return this;
  }

  /** Records Kubernetes Events. */
  addEvents(...events: KubernetesEventObject[]): this {
    this.kubeEvents.push(...events.map(frozenCopy));
    return this;
  }

  /** Makes every call of `method` reject with `error` until cleared with `undefined`. */
  failOn(method: "get" | "list" | "logs" | "events" | "patch" | "delete" | "evict" | "create", error: Error | undefined): this {
    if (error) this.failures.set(method, error);
    else this.failures.delete(method);
    return this;
  }

  async get(kind: string, name: string, namespace?: string): Promise<any> {
    this.maybeFail("get");
    return this.objects.get(key(kind, name, namespace));
  }

  async list(kind: string, query: ListQuery = {}): Promise<any[]> {
    this.maybeFail("list");
    return [...this.objects.values()]
      .filter((obj) => obj.kind === kind)
      .filter((obj) => query.namespace === undefined || obj.metadata?.namespace === query.namespace)
      .filter((obj) => labelSelectorMatches(query.labelSelector, obj.metadata?.labels));
  }

  async logs(request: LogRequest): Promise<string> {
    this.maybeFail("logs");
    const pod = (await this.get("Pod", request.name, request.namespace)) as Pod | undefined;
    if (!pod) throw new Error(`pods "${request.name}" not found`);
    const container = request.container ?? pod.spec?.containers?.[0]?.name ?? "";
    if (!pod.spec?.containers?.some((c) => c.name === container) && !pod.spec?.initContainers?.some((c) => c.name === container)) {
      throw new Error(`container ${container} is not valid for pod ${request.name}`);
    }
    const logs = this.containerLogs.get(`${request.namespace}/${request.name}/${container}`) ?? {};
    const text = request.previous ? logs.previous : logs.current;
    if (text === undefined) {
      if (request.previous) throw new Error(`previous terminated container "${container}" in pod "${request.name}" not found`);
      return "";
    }
    if (request.tailLines === undefined) return text;
    const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
    return lines.slice(-request.tailLines).join("\n") + (text.endsWith("\n") ? "\n" : "");
  }

  async events(ref: ObjectRef): Promise<KubernetesEventObject[]> {
    this.maybeFail("events");
    return this.kubeEvents
      .filter((event) => {
        const about = "regarding" in event && event.regarding ? event.regarding : "involvedObject" in event ? event.involvedObject : undefined;
        return about?.kind === ref.kind && about.name === ref.name && (ref.namespace === undefined || about.namespace === ref.namespace);
      });
  }

  async patch(kind: string, name: string, namespace: string | undefined, patch: object, type: PatchType = "merge"): Promise<any> {
    this.maybeFail("patch");
    const current = this.objects.get(key(kind, name, namespace));
    if (!current) throw new Error(`${kind} ${namespace ? `${namespace}/` : ""}${name} not found`);
    this.writes.push({ verb: "patch", kind, name, ...(namespace !== undefined && { namespace }), patch: structuredClone(patch), patchType: type });
    const patched = mergePatch(current, patch) as KubernetesObject;
    this.apply(patched);
    return this.objects.get(key(kind, name, namespace));
  }

  async delete(kind: string, name: string, namespace?: string, options?: DeleteOptions): Promise<void> {
    this.maybeFail("delete");
    if (!this.objects.delete(key(kind, name, namespace))) throw new Error(`${kind} ${namespace ? `${namespace}/` : ""}${name} not found`);
    this.writes.push({ verb: "delete", kind, name, ...(namespace !== undefined && { namespace }), ...(options && { options }) });
  }

  async evict(name: string, namespace: string): Promise<void> {
    this.maybeFail("evict");
    if (!this.objects.delete(key("Pod", name, namespace))) throw new Error(`Pod ${namespace}/${name} not found`);
    this.writes.push({ verb: "evict", kind: "Pod", name, namespace });
  }

  async create<T extends KubernetesObject>(obj: T): Promise<T> {
    this.maybeFail("create");
    const { kind, metadata } = obj;
    if (!kind || !metadata?.name) throw new Error("create needs an object with kind and metadata.name");
    if (this.objects.has(key(kind, metadata.name, metadata.namespace))) throw new Error(`${kind} ${metadata.name} already exists`);
    this.writes.push({ verb: "create", kind, name: metadata.name, ...(metadata.namespace !== undefined && { namespace: metadata.namespace }) });
    this.apply(obj);
    return this.objects.get(key(kind, metadata.name, metadata.namespace)) as T;
  }

  private maybeFail(method: string): void {
    const error = this.failures.get(method);
    if (error) throw error;
  }
}
