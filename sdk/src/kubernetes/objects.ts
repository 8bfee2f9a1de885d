/**
 * Kubernetes object types, as the API server sends them over JSON (timestamps are strings).
 * They come from `kubernetes-types`, generated from the Kubernetes OpenAPI spec.
 */
import type { Pod, Node, Event as CoreEvent, ObjectReference } from "kubernetes-types/core/v1.js";
import type { Deployment, ReplicaSet, DaemonSet, StatefulSet } from "kubernetes-types/apps/v1.js";
import type { Job } from "kubernetes-types/batch/v1.js";
import type { Event as EventsV1Event } from "kubernetes-types/events/v1.js";
import type { ObjectMeta, OwnerReference } from "kubernetes-types/meta/v1.js";

export type {
  Pod,
  Node,
  Deployment,
  ReplicaSet,
  DaemonSet,
  StatefulSet,
  Job,
  CoreEvent,
  EventsV1Event,
  ObjectMeta,
  OwnerReference,
  ObjectReference,
};
export type { ContainerStatus, Container } from "kubernetes-types/core/v1.js";

/** Any Kubernetes object: what every typed object has in common. */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** A Kubernetes Event object, either events.k8s.io/v1 (what the forwarder watches) or core/v1. */
export type KubernetesEventObject = EventsV1Event | CoreEvent;

/** Maps a kind to its object type, so typed cluster reads know what they return. */
export interface KindMap {
  Pod: Pod;
  Node: Node;
  Deployment: Deployment;
  ReplicaSet: ReplicaSet;
  DaemonSet: DaemonSet;
  StatefulSet: StatefulSet;
  Job: Job;
  Event: KubernetesEventObject;
}

/** Names a Kubernetes object. `namespace` is absent for cluster-scoped kinds such as Node. */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
}

/** The reference to an object, from the object itself and the kind it is known under. */
export function refOf(obj: KubernetesObject, kind = obj.kind ?? ""): ObjectRef {
  const ref: ObjectRef = { kind, name: obj.metadata?.name ?? "" };
  if (obj.metadata?.namespace) ref.namespace = obj.metadata.namespace;
  if (obj.apiVersion) ref.apiVersion = obj.apiVersion;
  return ref;
}

/** The owner Robusta keys noise control on: the first owner reference, else the object itself. */
export function ownerNameOf(obj: KubernetesObject): string {
  return obj.metadata?.ownerReferences?.[0]?.name ?? obj.metadata?.name ?? "";
}
