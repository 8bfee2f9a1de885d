/** Objects and events for the finding, change-tracking and silencer actions' tests. */
import { randomUUID } from "node:crypto";
import type { DaemonSet, KubernetesObject, Node, Pod, PrometheusAlertEvent } from "../../src/index.js";
import { alertEvent } from "../../src/events/alertmanager.js";
import { fixtures } from "../../src/testing/index.js";

/** An alert event with the objects the engine would have resolved from its labels. */
export function alertAbout(
  options: Parameters<typeof fixtures.alert>[0],
  objects: Partial<Pick<PrometheusAlertEvent, "pod" | "node" | "daemonSet" | "deployment">> = {},
): PrometheusAlertEvent {
  const event = alertEvent(fixtures.alert(options));
  const obj = objects.deployment ?? objects.daemonSet ?? objects.node ?? objects.pod;
  return { ...event, ...objects, obj };
}

/** A node whose Ready condition last changed at `readySince`; without one, only its creation time tells. */
export function nodeReadySince(readySince: string | undefined, options: { name?: string; created?: string; taints?: string[] } = {}): Node {
  const base = fixtures.node({ name: options.name ?? "node-1" });
  return {
    ...base,
    metadata: { ...base.metadata, creationTimestamp: options.created ?? "2025-06-01T00:00:00Z" },
    ...(options.taints && { spec: { taints: options.taints.map((key) => ({ key, effect: "NoSchedule" })) } }),
    status: {
      ...base.status,
      conditions: (base.status?.conditions ?? []).map((c) =>
        c.type === "Ready" && readySince ? { ...c, lastTransitionTime: readySince } : c,
      ),
    },
  };
}

/** A daemon set, optionally tolerating some taints. */
export function daemonSet(options: { name?: string; namespace?: string; tolerations?: string[] } = {}): DaemonSet {
  const name = options.name ?? "log-agent";
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: options.namespace ?? "logging", uid: randomUUID(), labels: { app: name } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: "agent", image: "registry.example/agent:1.0" }],
          ...(options.tolerations && { tolerations: options.tolerations.map((key) => ({ key, operator: "Exists" })) }),
        },
      },
    },
    status: { currentNumberScheduled: 2, desiredNumberScheduled: 2, numberMisscheduled: 1, numberReady: 2 },
  };
}

/** A pod of `ds` on `nodeName`. */
export function daemonSetPod(ds: DaemonSet, nodeName: string): Pod {
  const pod = fixtures.pod({ name: `${ds.metadata?.name}-${nodeName}`, namespace: ds.metadata?.namespace, nodeName, labels: { app: ds.metadata?.name ?? "" } });
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: ds.metadata?.name ?? "", uid: ds.metadata?.uid ?? "", controller: true }],
    },
  };
}

/** A Service. */
export function service(name: string, namespace = "kube-system"): KubernetesObject {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace } };
}

/** A Namespace with labels. */
export function namespace(name: string, labels: Record<string, string>): KubernetesObject {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } };
}

/** A Deployment with `image`, at `resourceVersion`. */
export function deployment(options: { name?: string; namespace?: string; image?: string; resourceVersion?: string; replicas?: number } = {}) {
  const name = options.name ?? "web";
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name,
      namespace: options.namespace ?? "prod",
      uid: "3f1c",
      resourceVersion: options.resourceVersion ?? "1",
      generation: Number(options.resourceVersion ?? "1"),
      labels: { app: name },
    },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: options.image ?? "registry.example/web:1.0" }] } },
    },
    status: { replicas: 2, readyReplicas: 2 },
  };
}
