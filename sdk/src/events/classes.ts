/**
 * Runtime tokens for the event types, so compatibility can be checked where TypeScript cannot see:
 * an action named in YAML must accept the event of every trigger of its playbook (Robusta checks
 * `issubclass(trigger event, action event)`; this is the same relation, as data).
 */
import type {
  BaseEvent,
  DaemonSetChangeEvent,
  DaemonSetEvent,
  DeploymentChangeEvent,
  DeploymentEvent,
  EventChangeEvent,
  EventEvent,
  HelmReleaseEvent,
  JobChangeEvent,
  JobEvent,
  KubernetesChangeEvent,
  ManualEvent,
  NodeChangeEvent,
  NodeEvent,
  PodChangeEvent,
  PodEvent,
  PrometheusAlertEvent,
  ReplicaSetChangeEvent,
  ReplicaSetEvent,
  ResourceEvent,
  ScheduledEvent,
  StatefulSetChangeEvent,
  StatefulSetEvent,
} from "./model.js";

/** Each event type and the types it directly satisfies. */
const parents = {
  BaseEvent: [],
  ResourceEvent: ["BaseEvent"],
  PodEvent: ["BaseEvent"],
  NodeEvent: ["BaseEvent"],
  DeploymentEvent: ["BaseEvent"],
  ReplicaSetEvent: ["BaseEvent"],
  DaemonSetEvent: ["BaseEvent"],
  StatefulSetEvent: ["BaseEvent"],
  JobEvent: ["BaseEvent"],
  EventEvent: ["BaseEvent"],
  KubernetesChangeEvent: ["ResourceEvent"],
  PodChangeEvent: ["KubernetesChangeEvent", "PodEvent"],
  NodeChangeEvent: ["KubernetesChangeEvent", "NodeEvent"],
  DeploymentChangeEvent: ["KubernetesChangeEvent", "DeploymentEvent"],
  ReplicaSetChangeEvent: ["KubernetesChangeEvent", "ReplicaSetEvent"],
  DaemonSetChangeEvent: ["KubernetesChangeEvent", "DaemonSetEvent"],
  StatefulSetChangeEvent: ["KubernetesChangeEvent", "StatefulSetEvent"],
  JobChangeEvent: ["KubernetesChangeEvent", "JobEvent"],
  EventChangeEvent: ["KubernetesChangeEvent", "EventEvent"],
  PrometheusAlertEvent: [
    "ResourceEvent",
    "PodEvent",
    "NodeEvent",
    "DeploymentEvent",
    "DaemonSetEvent",
    "StatefulSetEvent",
    "JobEvent",
  ],
  ScheduledEvent: ["BaseEvent"],
  /** Robusta's name for the event of the on_helm_release_* triggers (`HelmReleaseEvent` in TypeScript). */
  HelmReleasesEvent: ["BaseEvent"],
  ManualEvent: ["BaseEvent"],
} as const satisfies Record<string, readonly string[]>;

/** The name of an event type. */
export type EventClassName = keyof typeof parents;

/** A runtime token for an event type `E`. */
export interface EventClass<E extends BaseEvent = BaseEvent> {
  readonly name: EventClassName;
  /** Type-only: carries `E` for inference. Never set. */
  readonly __event?: E;
}

function eventClass<E extends BaseEvent>(name: EventClassName): EventClass<E> {
  return Object.freeze({ name });
}

/** Tokens for every event type, named as the TypeScript types are. */
export const EventClasses = {
  Base: eventClass<BaseEvent>("BaseEvent"),
  Resource: eventClass<ResourceEvent>("ResourceEvent"),
  Pod: eventClass<PodEvent>("PodEvent"),
  Node: eventClass<NodeEvent>("NodeEvent"),
  Deployment: eventClass<DeploymentEvent>("DeploymentEvent"),
  ReplicaSet: eventClass<ReplicaSetEvent>("ReplicaSetEvent"),
  DaemonSet: eventClass<DaemonSetEvent>("DaemonSetEvent"),
  StatefulSet: eventClass<StatefulSetEvent>("StatefulSetEvent"),
  Job: eventClass<JobEvent>("JobEvent"),
  Event: eventClass<EventEvent>("EventEvent"),
  KubernetesChange: eventClass<KubernetesChangeEvent>("KubernetesChangeEvent"),
  PodChange: eventClass<PodChangeEvent>("PodChangeEvent"),
  NodeChange: eventClass<NodeChangeEvent>("NodeChangeEvent"),
  DeploymentChange: eventClass<DeploymentChangeEvent>("DeploymentChangeEvent"),
  ReplicaSetChange: eventClass<ReplicaSetChangeEvent>("ReplicaSetChangeEvent"),
  DaemonSetChange: eventClass<DaemonSetChangeEvent>("DaemonSetChangeEvent"),
  StatefulSetChange: eventClass<StatefulSetChangeEvent>("StatefulSetChangeEvent"),
  JobChange: eventClass<JobChangeEvent>("JobChangeEvent"),
  EventChange: eventClass<EventChangeEvent>("EventChangeEvent"),
  PrometheusAlert: eventClass<PrometheusAlertEvent>("PrometheusAlertEvent"),
  Scheduled: eventClass<ScheduledEvent>("ScheduledEvent"),
  HelmReleases: eventClass<HelmReleaseEvent>("HelmReleasesEvent"),
  Manual: eventClass<ManualEvent>("ManualEvent"),
} as const;

/** Whether an event of type `produced` can be handed to something that requires `required`. */
export function satisfies(produced: EventClassName, required: EventClassName): boolean {
  if (produced === required) return true;
  return parents[produced].some((parent) => satisfies(parent, required));
}
