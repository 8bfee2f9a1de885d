/**
 * What every object goes through as it enters from the API server: managedFields dropped (2-40 KB
 * a pod that no trigger reads), kind and apiVersion restored (list items lack them), and Secret
 * values redacted before anything can leave the watch.
 */
import type { KubernetesObject } from "@robusta-ts/sdk";
import type { ServedResource } from "./resources.js";

export const REDACTED = "[redacted]";

/** Prepares an object in place (it was just parsed, so nobody else holds it) and returns it. */
export function ingest<T extends KubernetesObject>(obj: T, resource: ServedResource): T {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  obj.kind ??= resource.type.kind;
  obj.apiVersion ??= resource.apiVersion;
  if (resource.type.kind === "Secret") redactSecret(obj as T & { data?: Record<string, string>; stringData?: Record<string, string> });
  return obj;
}

function redactSecret(secret: { data?: Record<string, string>; stringData?: Record<string, string> }): void {
  for (const field of ["data", "stringData"] as const) {
    const values = secret[field];
    if (values) for (const key of Object.keys(values)) values[key] = REDACTED;
  }
  // The last-applied annotation carries the whole manifest, secrets included.
  const annotations = (secret as KubernetesObject).metadata?.annotations;
  if (annotations?.["kubectl.kubernetes.io/last-applied-configuration"]) {
    annotations["kubectl.kubernetes.io/last-applied-configuration"] = REDACTED;
  }
}
