/** Builders for the remediation tests: workloads, jobs, pods on a node, and a cluster whose evictions can be refused. */
import { randomUUID } from "node:crypto";
import type { DaemonSet, Deployment, Job, Node, Pod, StatefulSet } from "../../src/index.js";
import { InMemoryCluster, fixtures } from "../../src/testing/index.js";

const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "registry.example/app:1.0" }] } };

/** A Deployment, optionally paused. */
export function deployment(name = "web", namespace = "default", options: { paused?: boolean } = {}): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: "web" } }, template, ...(options.paused && { paused: true }) },
  };
}

export function statefulSet(name = "db", namespace = "default"): StatefulSet {
  return { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name, namespace }, spec: { serviceName: name, selector: { matchLabels: { app: "web" } }, template } };
}

export function daemonSet(name = "agent", namespace = "default"): DaemonSet {
  return { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name, namespace }, spec: { selector: { matchLabels: { app: "web" } }, template } };
}

export function job(name = "backup", namespace = "default"): Job {
  return { apiVersion: "batch/v1", kind: "Job", metadata: { name, namespace }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "backup", image: "backup:1" }] } } } };
}

/** A node, cordoned or not. */
export function node(name = "node-1", unschedulable?: boolean): Node {
  const base = fixtures.node({ name });
  return unschedulable === undefined ? base : { ...base, spec: { unschedulable } };
}

/** A pod on `nodeName`, owned by a controller of `owner` kind (a ReplicaSet by default; none with null). */
export function podOn(nodeName: string, name: string, options: { namespace?: string; owner?: string | null; mirror?: boolean } = {}): Pod {
  const base = fixtures.pod({ name, namespace: options.namespace ?? "default", nodeName });
  const owner = options.owner === undefined ? "ReplicaSet" : options.owner;
  return {
    ...base,
    metadata: {
      ...base.metadata,
      ...(owner && { ownerReferences: [{ apiVersion: "apps/v1", kind: owner, name: `${name}-owner`, uid: randomUUID(), controller: true }] }),
      ...(options.mirror && { annotations: { "kubernetes.io/config.mirror": "abc123" } }),
    },
  };
}

/** An API error with its HTTP status, as the runtime's client raises them. */
export class StatusError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** An InMemoryCluster whose eviction API refuses some pods, as a PodDisruptionBudget does (429). */
export class GuardedCluster extends InMemoryCluster {
  constructor(private readonly guarded: ReadonlySet<string>) {
    super();
  }

  override async evict(name: string, namespace: string): Promise<void> {
    if (this.guarded.has(`${namespace}/${name}`)) {
      throw new StatusError(429, "Cannot evict pod as it would violate the pod's disruption budget.");
    }
    return super.evict(name, namespace);
  }
}

/** How the jobs a JobCluster is asked to create end. */
export type JobEnding = "Complete" | "Failed" | "never";

/**
 * An InMemoryCluster that runs the Jobs created through it at once: each gets a pod (labelled
 * job-name, as the Job controller labels them) whose log is `log`, and ends as `ending` says.
 */
export class JobCluster extends InMemoryCluster {
  constructor(
    private readonly ending: JobEnding,
    private readonly log = "",
  ) {
    super();
  }

  override async create<T extends { kind?: string; metadata?: { name?: string; namespace?: string } }>(obj: T): Promise<T> {
    const created = await super.create(obj);
    const name = obj.metadata?.name ?? "";
    const namespace = obj.metadata?.namespace ?? "default";
    if (obj.kind !== "Job" || this.ending === "never") return created;
    const condition =
      this.ending === "Complete"
        ? { type: "Complete", status: "True" }
        : { type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" };
    this.apply({ ...(structuredClone(created) as Job), status: { conditions: [condition] } });
    const pod = fixtures.pod({ name: `${name}-x1y2z`, namespace, labels: { "job-name": name }, containers: [name.replace(/-[0-9a-f]{6}$/, "")] });
    this.apply(pod);
    this.setLogs(namespace, pod.metadata!.name!, pod.spec!.containers[0]!.name, { current: this.log });
    return created;
  }
}
