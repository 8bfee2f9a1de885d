/**
 * Workload objects for the workload enricher tests: deployments, stateful sets, daemon sets, jobs
 * and HPAs as the API server returns them, pods that belong to them, and the events that carry them.
 */
import { randomUUID } from "node:crypto";
import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2.js";
import type { CoreEvent, DaemonSet, Deployment, Job, KubernetesObject, Node, Pod, StatefulSet } from "../../src/index.js";
import { alertEvent } from "../../src/events/alertmanager.js";
import { InMemoryCluster, fixtures } from "../../src/testing/index.js";

export const NS = "prod";
const T0 = "2026-01-01T00:00:00Z";

const meta = (name: string, labels: Record<string, string> = {}) => ({ name, namespace: NS, uid: randomUUID(), creationTimestamp: T0, labels });

const template = (labels: Record<string, string>, spec: Partial<NonNullable<Pod["spec"]>> = {}) => ({
  metadata: { labels },
  spec: { containers: [{ name: "app", image: "registry.example/app:1.0" }], ...spec },
});

/** A deployment of `replicas` pods labelled app=<name>. */
export function deployment(name = "web", options: { replicas?: number; status?: Deployment["status"] } = {}): Deployment {
  const labels = { app: name };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(name, labels),
    spec: { replicas: options.replicas ?? 3, selector: { matchLabels: labels }, template: template(labels) },
    status: options.status ?? { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 },
  };
}

/** A stateful set labelled app=<name>. */
export function statefulSet(name = "db", status: StatefulSet["status"] = { replicas: 3, readyReplicas: 3 }, replicas = 3): StatefulSet {
  const labels = { app: name };
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: meta(name, labels),
    spec: { replicas, serviceName: name, selector: { matchLabels: labels }, template: template(labels) },
    status,
  };
}

/** A daemon set labelled app=<name>; `spec` goes into its pod template. */
export function daemonSet(name = "agent", podSpec: Partial<NonNullable<Pod["spec"]>> = {}, status: Partial<NonNullable<DaemonSet["status"]>> = {}): DaemonSet {
  const labels = { app: name };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: meta(name, labels),
    spec: { selector: { matchLabels: labels }, template: template(labels, podSpec) },
    status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberAvailable: 2, numberMisscheduled: 0, numberReady: 2, ...status },
  };
}

/** A job whose pods carry its controller-uid label, as the API server sets it up. */
export function job(name = "backup", options: { status?: Job["status"]; completions?: number } = {}): Job {
  const uid = randomUUID();
  const selector = { "batch.kubernetes.io/controller-uid": uid };
  const container = { name: "backup", image: "registry.example/backup:2", resources: { requests: { cpu: "500m", memory: "256Mi" }, limits: { memory: "512Mi" } } };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { ...meta(name, { ...selector, "batch.kubernetes.io/job-name": name }), uid },
    spec: {
      ...(options.completions !== undefined && { completions: options.completions }),
      backoffLimit: 4,
      selector: { matchLabels: selector },
      template: { metadata: { labels: { ...selector, "job-name": name } }, spec: { containers: [container], restartPolicy: "Never" } },
    },
    status: options.status ?? { active: 1, startTime: T0 },
  };
}

/** A pod of `owner`: its template's labels, owned by it, on `nodeName`. */
export function podOf(owner: Deployment | StatefulSet | DaemonSet | Job, name: string, options: { nodeName?: string; startTime?: string } = {}): Pod {
  const base = fixtures.pod({ name, namespace: NS, labels: { ...owner.spec?.template.metadata?.labels }, ...(options.nodeName && { nodeName: options.nodeName }) });
  return {
    ...base,
    metadata: {
      ...base.metadata,
      ownerReferences: [{ apiVersion: owner.apiVersion ?? "", kind: owner.kind ?? "", name: owner.metadata?.name ?? "", uid: owner.metadata?.uid ?? "", controller: true }],
    },
    ...(options.startTime && { status: { ...base.status, startTime: options.startTime } }),
  };
}

/** A pod the scheduler cannot place, with its PodScheduled condition. */
export function pendingPod(base: Pod, message: string, requests: Record<string, string> = { cpu: "2", memory: "4Gi" }): Pod {
  return {
    ...base,
    spec: { ...base.spec, containers: (base.spec?.containers ?? []).map((c) => ({ ...c, resources: { requests } })) },
    status: {
      phase: "Pending",
      conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message }],
    },
  };
}

/** A node with labels and taints. */
export function nodeWith(name: string, options: { labels?: Record<string, string>; taints?: NonNullable<Node["spec"]>["taints"] } = {}): Node {
  const base = fixtures.node({ name });
  return { ...base, metadata: { ...base.metadata, labels: options.labels ?? {} }, spec: { ...(options.taints && { taints: options.taints }) } };
}

/** A HorizontalPodAutoscaler of the deployment "web". */
export function hpa(name = "web", status: { currentReplicas: number; desiredReplicas: number }, bounds = { min: 2, max: 10 }): HorizontalPodAutoscaler {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: meta(name),
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name }, minReplicas: bounds.min, maxReplicas: bounds.max },
    status,
  };
}

/** A Normal event (core/v1) about an object, at `time`. */
export function normalEvent(about: KubernetesObject, reason: string, message: string, time = T0): CoreEvent {
  const name = about.metadata?.name ?? "";
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${name}.${randomUUID().slice(0, 8)}`, namespace: about.metadata?.namespace ?? "default" },
    type: "Normal",
    reason,
    message,
    lastTimestamp: time,
    involvedObject: { apiVersion: about.apiVersion ?? "v1", kind: about.kind ?? "", name, namespace: about.metadata?.namespace ?? "default" },
  };
}

/** An event about a resource, as a manual run hands it over. */
export const resourceEvent = (obj?: KubernetesObject) => ({ source: "manual" as const, id: randomUUID(), obj });

/** An alert that names no object of the cluster: every object of the event is absent. */
export const alertNamingNothing = () => alertEvent(fixtures.alert({ name: "KubeSomethingWrong", labels: { namespace: NS } }));

/** A cluster holding objects of any kinds. */
export const clusterWith = (...objects: KubernetesObject[]) => new InMemoryCluster().apply(...objects);
