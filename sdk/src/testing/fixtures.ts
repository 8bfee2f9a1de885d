/**
 * Builders for the objects and payloads playbooks react to: pods in trouble, their Events,
 * change events, and Alertmanager webhooks. Each returns plain JSON as the API server or
 * Alertmanager would send it; override anything with the `with` argument.
 */
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { HelmRelease, HelmReleaseEvent, KubernetesChangeEvent, Operation, PrometheusAlert } from "../events/model.js";
import type { ContainerStatus, Deployment, EventsV1Event, Job, KubernetesObject, Node, Pod } from "../kubernetes/objects.js";

export interface PodOptions {
  name?: string;
  namespace?: string;
  /** Container names; default ["app"]. */
  containers?: string[];
  labels?: Record<string, string>;
  /** Makes the pod owned by this ReplicaSet. */
  ownerReplicaSet?: string;
  nodeName?: string;
  image?: string;
}

const T0 = "2026-01-01T00:00:00Z";

/** A running, healthy pod. */
export function pod(options: PodOptions = {}): Pod {
  const name = options.name ?? "web-0";
  const containers = options.containers ?? ["app"];
  const image = options.image ?? "registry.example/app:1.0";
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: options.namespace ?? "default",
      uid: randomUUID(),
      resourceVersion: "1",
      creationTimestamp: T0,
      labels: options.labels ?? { app: name.replace(/-[^-]+$/, "") || name },
      ...(options.ownerReplicaSet && {
        ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: options.ownerReplicaSet, uid: randomUUID(), controller: true }],
      }),
    },
    spec: {
      containers: containers.map((container) => ({ name: container, image })),
      ...(options.nodeName && { nodeName: options.nodeName }),
    },
    status: {
      phase: "Running",
      startTime: T0,
      containerStatuses: containers.map(
        (container): ContainerStatus => ({
          name: container,
          image,
          imageID: "",
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: T0 } },
        }),
      ),
    },
  };
}

function withContainerStatus(base: Pod, container: string, change: (status: ContainerStatus) => ContainerStatus): Pod {
  const copy = structuredClone(base);
  const statuses = copy.status?.containerStatuses ?? [];
  const index = statuses.findIndex((status) => status.name === container);
  if (index < 0) throw new Error(`pod ${base.metadata?.name} has no container ${container}`);
  statuses[index] = change(statuses[index]!);
  copy.metadata = { ...copy.metadata, resourceVersion: String(Number(copy.metadata?.resourceVersion ?? "1") + 1) };
  return copy;
}

/** The pod with `container` waiting in CrashLoopBackOff after `restartCount` crashes. */
export function crashLoopingPod(base: Pod = pod(), options: { container?: string; restartCount?: number; exitCode?: number } = {}): Pod {
  const container = options.container ?? base.spec?.containers?.[0]?.name ?? "app";
  const restartCount = options.restartCount ?? 3;
  return withContainerStatus(base, container, (status) => ({
    ...status,
    ready: false,
    started: false,
    restartCount,
    state: { waiting: { reason: "CrashLoopBackOff", message: `back-off 40s restarting failed container=${container} pod=${base.metadata?.name}` } },
    lastState: { terminated: { exitCode: options.exitCode ?? 1, reason: "Error", startedAt: T0, finishedAt: "2026-01-01T00:00:05Z" } },
  }));
}

/** The pod with `container` just terminated by the OOM killer. */
export function oomKilledPod(base: Pod = pod(), options: { container?: string; restartCount?: number } = {}): Pod {
  const container = options.container ?? base.spec?.containers?.[0]?.name ?? "app";
  return withContainerStatus(base, container, (status) => ({
    ...status,
    ready: false,
    started: false,
    restartCount: options.restartCount ?? status.restartCount,
    state: { terminated: { exitCode: 137, reason: "OOMKilled", startedAt: T0, finishedAt: "2026-01-01T00:00:59Z" } },
  }));
}

/** The pod with `container` unable to pull its image: waiting in ImagePullBackOff (or ErrImagePull). */
export function imagePullBackoffPod(base: Pod = pod(), options: { container?: string; reason?: "ImagePullBackOff" | "ErrImagePull" } = {}): Pod {
  const container = options.container ?? base.spec?.containers?.[0]?.name ?? "app";
  const image = base.spec?.containers?.find((c) => c.name === container)?.image ?? "";
  const copy = withContainerStatus(base, container, (status) => ({
    ...status,
    ready: false,
    started: false,
    state: { waiting: { reason: options.reason ?? "ImagePullBackOff", message: `Back-off pulling image "${image}"` } },
  }));
  return { ...copy, status: { ...copy.status, phase: "Pending" } };
}

/** The pod evicted by the kubelet for node pressure. */
export function evictedPod(base: Pod = pod(), options: { message?: string } = {}): Pod {
  const copy = structuredClone(base);
  copy.metadata = { ...copy.metadata, resourceVersion: String(Number(copy.metadata?.resourceVersion ?? "1") + 1) };
  return {
    ...copy,
    status: {
      ...copy.status,
      phase: "Failed",
      reason: "Evicted",
      message: options.message ?? "The node was low on resource: memory. Threshold quantity: 100Mi, available: 52Mi.",
    },
  };
}

/** A Ready node. */
export function node(options: { name?: string; allocatable?: Record<string, string>; capacity?: Record<string, string> } = {}): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: options.name ?? "node-1", uid: randomUUID(), resourceVersion: "1", creationTimestamp: T0, labels: {} },
    status: {
      capacity: options.capacity ?? { cpu: "4", memory: "16Gi", pods: "110" },
      allocatable: options.allocatable ?? { cpu: "3920m", memory: "15Gi", pods: "110" },
      conditions: [
        { type: "MemoryPressure", status: "False" },
        { type: "DiskPressure", status: "False" },
        { type: "Ready", status: "True" },
      ],
    },
  };
}

/** A Deployment with `replicas` pods, all available (override `status` for one that is not). */
export function deployment(options: { name?: string; namespace?: string; replicas?: number; image?: string; labels?: Record<string, string> } = {}): Deployment {
  const name = options.name ?? "web";
  const replicas = options.replicas ?? 2;
  const labels = options.labels ?? { app: name };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: options.namespace ?? "default", uid: randomUUID(), resourceVersion: "1", generation: 1, creationTimestamp: T0, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: "app", image: options.image ?? "registry.example/app:1.0" }] } },
    },
    status: { observedGeneration: 1, replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas },
  };
}

/** A Job: running, or failed (its pods used up `backoffLimit` retries) or complete. */
export function job(options: { name?: string; namespace?: string; state?: "running" | "failed" | "complete"; backoffLimit?: number } = {}): Job {
  const state = options.state ?? "running";
  const backoffLimit = options.backoffLimit ?? 6;
  const conditions =
    state === "failed"
      ? [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastTransitionTime: T0 }]
      : state === "complete"
        ? [{ type: "Complete", status: "True", lastTransitionTime: T0 }]
        : [];
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: options.name ?? "nightly-report", namespace: options.namespace ?? "default", uid: randomUUID(), resourceVersion: "1", creationTimestamp: T0 },
    spec: { backoffLimit, template: { spec: { restartPolicy: "Never", containers: [{ name: "job", image: "registry.example/job:1.0" }] } } },
    status: {
      startTime: T0,
      ...(state === "running" && { active: 1 }),
      ...(state === "failed" && { failed: backoffLimit + 1 }),
      ...(state === "complete" && { succeeded: 1, completionTime: T0 }),
      ...(conditions.length > 0 && { conditions }),
    },
  };
}

/** A change event, as the forwarder reports it. */
export function change<T extends KubernetesObject>(operation: Operation, obj: T, oldObj?: T): KubernetesChangeEvent<T> {
  const kind = obj.kind ?? "";
  const namespace = obj.metadata?.namespace;
  const verb = { create: "Created", update: "Updated", delete: "Deleted" }[operation];
  return {
    source: "kubernetes",
    id: randomUUID(),
    operation,
    kind,
    apiVersion: obj.apiVersion ?? "v1",
    obj,
    ...(oldObj !== undefined && { oldObj }),
    description: `A \`${kind}\` ${namespace ? `in namespace \`${namespace}\` ` : ""}has been \`${verb}\`: \`${obj.metadata?.name ?? ""}\``,
  };
}

/** A Warning Event (events.k8s.io/v1) about an object. */
export function warningEvent(about: KubernetesObject, reason: string, note: string, options: { time?: string; count?: number } = {}): EventsV1Event {
  const name = about.metadata?.name ?? "";
  const time = options.time ?? T0;
  return {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: { name: `${name}.${randomUUID().slice(0, 8)}`, namespace: about.metadata?.namespace ?? "default", creationTimestamp: time },
    type: "Warning",
    reason,
    note,
    action: reason,
    eventTime: time.replace("Z", ".000000Z"),
    reportingController: "kubelet",
    reportingInstance: "node-1",
    regarding: { apiVersion: about.apiVersion ?? "v1", kind: about.kind ?? "", name, namespace: about.metadata?.namespace ?? "default" },
    ...(options.count !== undefined && { deprecatedCount: options.count }),
  };
}

/** One alert, firing unless `status` says otherwise. */
export function alert(options: {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  status?: "firing" | "resolved";
  startsAt?: string;
  endsAt?: string;
  fingerprint?: string;
}): PrometheusAlert {
  const status = options.status ?? "firing";
  return {
    status,
    labels: { alertname: options.name, severity: "warning", ...options.labels },
    annotations: { summary: `${options.name} is ${status}`, ...options.annotations },
    startsAt: options.startsAt ?? T0,
    endsAt: options.endsAt ?? (status === "resolved" ? "2026-01-01T00:10:00Z" : "0001-01-01T00:00:00Z"),
    generatorURL: "http://prometheus.example/graph?g0.expr=up",
    fingerprint: options.fingerprint ?? randomUUID().replaceAll("-", "").slice(0, 16),
  };
}

/** An Alertmanager webhook (version 4) carrying `alerts`, as Alertmanager posts it. */
export function alertmanagerPayload(alerts: PrometheusAlert[], receiver = "robusta") {
  const common = (pick: (a: PrometheusAlert) => Record<string, string>) =>
    Object.fromEntries(
      Object.entries(pick(alerts[0] ?? ({} as PrometheusAlert)) ?? {}).filter(([k, v]) => alerts.every((a) => pick(a)[k] === v)),
    );
  const alertname = alerts[0]?.labels.alertname ?? "";
  return {
    receiver,
    status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
    alerts: alerts.map((a) => ({ ...a })),
    groupLabels: { alertname },
    commonLabels: common((a) => a.labels),
    commonAnnotations: common((a) => a.annotations),
    externalURL: "http://alertmanager.example",
    version: "4",
    groupKey: `{}:{alertname="${alertname}"}`,
    truncatedAlerts: 0,
  };
}

/** A Helm release revision: by default revision 1 of chart "web" 1.0.0, deployed at T0. */
export function helmRelease(options: Partial<HelmRelease> = {}): HelmRelease {
  // As the monitor gives them: ISO 8601 in UTC, with milliseconds.
  const lastDeployed = new Date(options.lastDeployed ?? T0).toISOString();
  return {
    name: "web",
    namespace: "default",
    revision: 1,
    status: "deployed",
    chart: { name: "web", version: "1.0.0", appVersion: "1.0" },
    description: options.status === "failed" ? "Upgrade failed: timed out waiting for the condition" : "Install complete",
    ...options,
    firstDeployed: new Date(options.firstDeployed ?? lastDeployed).toISOString(),
    lastDeployed,
  };
}

/** What the runner's Helm release monitor reports about `release`; `statusSince` defaults to its lastDeployed. */
export function helmReleaseEvent(release: HelmRelease = helmRelease(), statusSince = release.lastDeployed): HelmReleaseEvent {
  return { source: "helm", id: randomUUID(), helmRelease: release, statusSince };
}

let secretVersions = 0;

/**
 * The Secret Helm 3 keeps a release revision in (`sh.helm.release.v1.<name>.v<revision>`, type
 * helm.sh/release.v1): the release as Helm's JSON, gzipped and base64-encoded, in `data.release`
 * (base64 again, as every Secret value is).
 */
export function helmReleaseSecret(release: HelmRelease = helmRelease()) {
  const record = {
    name: release.name,
    namespace: release.namespace,
    version: release.revision,
    info: {
      first_deployed: release.firstDeployed,
      last_deployed: release.lastDeployed,
      deleted: release.deleted ?? "",
      status: release.status,
      ...(release.description !== undefined && { description: release.description }),
      ...(release.notes !== undefined && { notes: release.notes }),
    },
    ...(release.chart && {
      chart: {
        metadata: {
          apiVersion: "v2",
          name: release.chart.name,
          version: release.chart.version,
          ...(release.chart.appVersion !== undefined && { appVersion: release.chart.appVersion }),
          ...(release.chart.description !== undefined && { description: release.chart.description }),
        },
        templates: [],
        values: {},
      },
    }),
    config: {},
    manifest: "---\n# Source: web/templates/deployment.yaml\n",
  };
  const helmEncoded = gzipSync(JSON.stringify(record)).toString("base64");
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "helm.sh/release.v1",
    metadata: {
      name: `sh.helm.release.v1.${release.name}.v${release.revision}`,
      namespace: release.namespace,
      // Every write of an object gets a new resourceVersion, as from the API server.
      resourceVersion: String(++secretVersions),
      labels: { name: release.name, owner: "helm", status: release.status, version: String(release.revision) },
    },
    data: { release: Buffer.from(helmEncoded).toString("base64") },
  };
}
