/**
 * What the watch keeps of an object between its changes. Pods are most of a cluster's objects and
 * their spec is most of a pod (env, volumes, probes, affinity), yet no trigger reads it and it
 * rarely changes; so a cached pod keeps its metadata, its status, and of its spec only what
 * reports name (node, containers' names, images and resources), plus a digest of the whole spec,
 * which tells whether the spec changed. Other kinds are kept whole: they are few, and diffs of
 * their spec matter (a Deployment's image change).
 */
import { createHash } from "node:crypto";
import { cutPodSpec, type KubernetesObject, type Pod } from "@robusta-ts/sdk";

const digests = new WeakMap<object, string>();

const hash = (spec: unknown) => createHash("sha1").update(JSON.stringify(spec ?? null)).digest("base64");

/** A digest of the object's whole spec, also for an object whose cached spec was cut. */
export function specDigest(obj: KubernetesObject | undefined): string {
  if (!obj) return "";
  return digests.get(obj) ?? hash((obj as { spec?: unknown }).spec);
}

/** Whether the watch keeps less than the whole of this kind. */
export const isProjected = (kind: string) => kind === "Pod";

/**
 * Cuts a cached pod down, in place, remembering the digest of its whole spec. The cut is the
 * SDK's `cutPodSpec`, which its diffs also apply to the new pod when comparing with a cut one.
 */
export function project(obj: KubernetesObject): void {
  const pod = obj as Pod;
  if (!pod.spec) return;
  digests.set(obj, hash(pod.spec));
  pod.spec = cutPodSpec(pod.spec);
}
