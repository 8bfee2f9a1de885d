/**
 * How playbooks and actions reach the cluster. The runtime implements it over the Kubernetes API;
 * the test harness and the demo implement it in memory. Playbooks never import a client directly.
 */
import type { KindMap, KubernetesEventObject, KubernetesObject, ObjectRef } from "./kubernetes/objects.js";

/** Which objects to list. */
export interface ListQuery {
  namespace?: string;
  /** A Kubernetes label selector, e.g. "app=web,tier!=cache". */
  labelSelector?: string;
  /** A Kubernetes field selector, e.g. "spec.nodeName=node-1". */
  fieldSelector?: string;
}

/** Which log to read. */
export interface LogRequest {
  name: string;
  namespace: string;
  /** Defaults to the pod's only container. */
  container?: string;
  /** The log of the previous, terminated instance of the container. */
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
}

/** How a patch is applied: a JSON merge patch, or Kubernetes' strategic merge patch. */
export type PatchType = "merge" | "strategic";

/** Options of a delete. */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
}

/**
 * Access to the cluster. Objects it returns may be shared with other playbooks (a watch cache
 * holds one copy): treat them as read-only, and copy one before changing it.
 */
export interface Cluster {
  /** One object, or undefined when it does not exist. */
  get<K extends keyof KindMap>(kind: K, name: string, namespace?: string): Promise<KindMap[K] | undefined>;
  get(kind: string, name: string, namespace?: string): Promise<KubernetesObject | undefined>;
  /** Objects of a kind. */
  list<K extends keyof KindMap>(kind: K, query?: ListQuery): Promise<KindMap[K][]>;
  list(kind: string, query?: ListQuery): Promise<KubernetesObject[]>;
  /** A container's log. Rejects when the pod or container does not exist. */
  logs(request: LogRequest): Promise<string>;
  /** The Kubernetes Events whose subject is `ref`, oldest first. */
  events(ref: ObjectRef): Promise<KubernetesEventObject[]>;
  /** Changes an object; resolves with it as changed. */
  patch(kind: string, name: string, namespace: string | undefined, patch: object, type?: PatchType): Promise<KubernetesObject>;
  /** Deletes an object. Rejects when it does not exist. */
  delete(kind: string, name: string, namespace?: string, options?: DeleteOptions): Promise<void>;
  /** Evicts a pod through the eviction API, which respects PodDisruptionBudgets. */
  evict(name: string, namespace: string): Promise<void>;
  /** Creates an object (its kind and apiVersion must be set); resolves with it as created. */
  create<T extends KubernetesObject>(obj: T): Promise<T>;
}
