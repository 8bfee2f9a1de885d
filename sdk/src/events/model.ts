/**
 * The events a playbook handles. Robusta's execution-event class hierarchy becomes a set of
 * structural "capability" interfaces: an event that may carry a pod is a `PodEvent`, so a pod
 * change and a Prometheus alert naming a pod are both accepted by an action typed `PodEvent`.
 */
import type {
  DaemonSet,
  Deployment,
  Job,
  KubernetesEventObject,
  KubernetesObject,
  Node,
  Pod,
  ReplicaSet,
  StatefulSet,
} from "../kubernetes/objects.js";
import type { FieldDiff } from "../findings/blocks.js";

/** Where an event came from. */
export type EventSource = "kubernetes" | "prometheus" | "scheduler" | "helm" | "manual" | "callback";

/** What every event has. */
export interface BaseEvent {
  readonly source: EventSource;
  /** Unique per incoming event; every playbook run for that incoming event sees the same id. */
  readonly id: string;
}

/** An event about one Kubernetes object (Robusta's KubernetesResourceEvent). */
export interface ResourceEvent<T extends KubernetesObject = KubernetesObject> extends BaseEvent {
  readonly obj: T | undefined;
}

/** An event that may carry a pod: a pod change, an alert whose labels name a pod, a manual run. */
export interface PodEvent extends BaseEvent {
  readonly pod: Pod | undefined;
}
/** An event that may carry a node. */
export interface NodeEvent extends BaseEvent {
  readonly node: Node | undefined;
}
/** An event that may carry a deployment. */
export interface DeploymentEvent extends BaseEvent {
  readonly deployment: Deployment | undefined;
}
/** An event that may carry a replica set. */
export interface ReplicaSetEvent extends BaseEvent {
  readonly replicaSet: ReplicaSet | undefined;
}
/** An event that may carry a daemon set. */
export interface DaemonSetEvent extends BaseEvent {
  readonly daemonSet: DaemonSet | undefined;
}
/** An event that may carry a stateful set. */
export interface StatefulSetEvent extends BaseEvent {
  readonly statefulSet: StatefulSet | undefined;
}
/** An event that may carry a job. */
export interface JobEvent extends BaseEvent {
  readonly job: Job | undefined;
}
/** An event that may carry a Kubernetes Event object. */
export interface EventEvent extends BaseEvent {
  readonly kubernetesEvent: KubernetesEventObject | undefined;
}

/** The operation of a Kubernetes change. */
export type Operation = "create" | "update" | "delete";

/** A change to any Kubernetes object, as the forwarder reports it (Robusta's KubernetesAnyChangeEvent). */
export interface KubernetesChangeEvent<T extends KubernetesObject = KubernetesObject, K extends string = string>
  extends ResourceEvent<T> {
  readonly source: "kubernetes";
  readonly operation: Operation;
  readonly kind: K;
  readonly apiVersion: string;
  /** The object after the change (before it, for a delete). */
  readonly obj: T;
  /**
   * The object before the change; set on updates. From the runner's own watches, a Pod's is cut
   * down to what triggers and diffs need: metadata, status, and of its spec the node and the
   * containers' names, images and resources.
   */
  readonly oldObj?: T;
  /** Human-readable summary, e.g. "A `Pod` in namespace `demo` has been `Updated`: `web-0`". */
  readonly description: string;
  /**
   * Set when the trigger has `change_filters` (Robusta's `filtered_diffs`): the changed fields of
   * an update that passed them, paths like "spec.template.spec.containers[0].image"; empty for
   * creates and deletes. Absent when the trigger compares nothing.
   */
  readonly filteredDiffs?: readonly FieldDiff[];
}

/** A change to a Pod. */
export interface PodChangeEvent extends KubernetesChangeEvent<Pod, "Pod">, PodEvent {
  readonly source: "kubernetes";
  readonly pod: Pod;
}
/** A change to a Deployment. */
export interface DeploymentChangeEvent extends KubernetesChangeEvent<Deployment, "Deployment">, DeploymentEvent {
  readonly source: "kubernetes";
  readonly deployment: Deployment;
}
/** A change to a ReplicaSet. */
export interface ReplicaSetChangeEvent extends KubernetesChangeEvent<ReplicaSet, "ReplicaSet">, ReplicaSetEvent {
  readonly source: "kubernetes";
  readonly replicaSet: ReplicaSet;
}
/** A change to a DaemonSet. */
export interface DaemonSetChangeEvent extends KubernetesChangeEvent<DaemonSet, "DaemonSet">, DaemonSetEvent {
  readonly source: "kubernetes";
  readonly daemonSet: DaemonSet;
}
/** A change to a StatefulSet. */
export interface StatefulSetChangeEvent extends KubernetesChangeEvent<StatefulSet, "StatefulSet">, StatefulSetEvent {
  readonly source: "kubernetes";
  readonly statefulSet: StatefulSet;
}
/** A change to a Job. */
export interface JobChangeEvent extends KubernetesChangeEvent<Job, "Job">, JobEvent {
  readonly source: "kubernetes";
  readonly job: Job;
}
/** A change to a Node. */
export interface NodeChangeEvent extends KubernetesChangeEvent<Node, "Node">, NodeEvent {
  readonly source: "kubernetes";
  readonly node: Node;
}
/** A change to a Kubernetes Event object (a Warning event being recorded, for instance). */
export interface EventChangeEvent extends KubernetesChangeEvent<KubernetesEventObject, "Event">, EventEvent {
  readonly source: "kubernetes";
  readonly kubernetesEvent: KubernetesEventObject;
}

/** One alert of an Alertmanager webhook, as Alertmanager sends it. */
export interface PrometheusAlert {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  /** Absent while firing (Alertmanager sends the zero time "0001-01-01T00:00:00Z"). */
  endsAt?: string;
  generatorURL?: string;
  fingerprint: string;
}

/**
 * One Prometheus alert, with the Kubernetes objects its labels name, read from the cluster
 * (Robusta's PrometheusKubernetesAlert): `pod`, `node` (from `node`, or `instance` IP:PORT),
 * `deployment`, `daemonSet`, `statefulSet`, `job` (from `job_name`). `obj` is the most specific
 * of them, the alert's subject.
 */
export interface PrometheusAlertEvent
  extends PodEvent,
    NodeEvent,
    DeploymentEvent,
    DaemonSetEvent,
    StatefulSetEvent,
    JobEvent,
    ResourceEvent {
  readonly source: "prometheus";
  readonly alert: PrometheusAlert;
  readonly alertName: string;
  readonly status: "firing" | "resolved";
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly fingerprint: string;
  readonly startsAt: string;
  readonly endsAt?: string;
}

/** A run of a scheduled playbook. */
export interface ScheduledEvent extends BaseEvent {
  readonly source: "scheduler";
  /** The playbook whose schedule this run belongs to; only that playbook's on_schedule fires. */
  readonly playbook: string;
  /** How many times this schedule has fired before, this one excluded. */
  readonly runCount: number;
}

/** The statuses of a Helm 3 release revision, as Helm stores them. */
export type HelmReleaseStatus =
  | "unknown"
  | "deployed"
  | "uninstalled"
  | "superseded"
  | "failed"
  | "uninstalling"
  | "pending-install"
  | "pending-upgrade"
  | "pending-rollback";

/**
 * The newest revision of a Helm release, from the release record Helm keeps in the cluster
 * (Robusta's HelmRelease; Helm's own JSON names in brackets). Times are ISO 8601, UTC.
 */
export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  /** The revision number (Helm's `version`), 1 for the first install. */
  readonly revision: number;
  /** (`info.status`) */
  readonly status: HelmReleaseStatus;
  /** The chart the revision was made from (`chart.metadata`); absent when Helm did not record it. */
  readonly chart?: {
    readonly name: string;
    readonly version: string;
    readonly appVersion?: string;
    readonly description?: string;
  };
  /** (`info.first_deployed`) */
  readonly firstDeployed: string;
  /** When this revision's install, upgrade or rollback started (`info.last_deployed`). */
  readonly lastDeployed: string;
  /** When it was uninstalled (`info.deleted`); absent while it is not. */
  readonly deleted?: string;
  /** Helm's one-line account of the revision, e.g. "Upgrade complete" or the error (`info.description`). */
  readonly description?: string;
  /** The chart's rendered NOTES.txt (`info.notes`). */
  readonly notes?: string;
}

/**
 * A Helm release seen by the runner's Helm release monitor (Robusta's HelmReleasesEvent): one per
 * release per poll while it is pending or uninstalling, and one when it turns failed, unknown or
 * deployed. The on_helm_release_* triggers decide from it.
 */
export interface HelmReleaseEvent extends BaseEvent {
  readonly source: "helm";
  /** Robusta's `helm_release`. */
  readonly helmRelease: HelmRelease;
  /**
   * Since when the runner has seen the release in its current status (ISO 8601): what
   * on_helm_release_unhealthy's `duration` is measured from. A release already in it when
   * monitoring started counts from the first look.
   */
  readonly statusSince: string;
}

/** A run requested by a person: `POST /api/trigger`, the CLI, or a chat button. */
export interface ManualEvent extends BaseEvent {
  readonly source: "manual" | "callback";
  readonly params: Readonly<Record<string, unknown>>;
}

/** Every concrete event the runtime produces. */
export type AnyEvent =
  | KubernetesChangeEvent
  | PodChangeEvent
  | DeploymentChangeEvent
  | ReplicaSetChangeEvent
  | DaemonSetChangeEvent
  | StatefulSetChangeEvent
  | JobChangeEvent
  | NodeChangeEvent
  | EventChangeEvent
  | PrometheusAlertEvent
  | ScheduledEvent
  | HelmReleaseEvent
  | ManualEvent;
