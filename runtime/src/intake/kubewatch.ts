/**
 * The kubewatch CloudEvent Robusta's forwarder posts to /api/handle (§2.4), so an existing
 * robusta-forwarder can feed this runner. Robusta reads only `data`; so do we.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { KubernetesChangeEvent, KubernetesObject } from "@robusta-ts/sdk";

const kubernetesObject = z
  .object({
    metadata: z.object({ name: z.string().min(1, "must not be empty"), namespace: z.string().optional() }).passthrough(),
  })
  .passthrough();

const changeData = z.object({
  operation: z.enum(["create", "update", "delete"]),
  kind: z.string().min(1, "must not be empty"),
  apiVersion: z.string().default(""),
  clusterUid: z.string().optional(),
  description: z.string().optional(),
  obj: kubernetesObject,
  oldObj: kubernetesObject.nullish(),
});

/** One kubewatch CloudEvent. */
export const kubewatchCloudEventSchema = z.object({
  specversion: z.string().optional(),
  type: z.string().optional(),
  id: z.string().optional(),
  data: changeData,
});

const batchSchema = z.array(kubewatchCloudEventSchema).min(1, "must hold at least one CloudEvent");

/**
 * A single CloudEvent, as kubewatch sends it, or an array of them (batched forwarders). The
 * schema is picked by shape so errors name the field, not "no union member matched".
 */
export const handleBodySchema = (body: unknown) => (Array.isArray(body) ? batchSchema : kubewatchCloudEventSchema);

const VERB = { create: "Created", update: "Updated", delete: "Deleted" } as const;

/** The change event of one CloudEvent. */
export function changeFromCloudEvent(event: z.output<typeof kubewatchCloudEventSchema>): KubernetesChangeEvent {
  const { data } = event;
  const obj = data.obj as KubernetesObject;
  const namespace = obj.metadata?.namespace;
  return {
    source: "kubernetes",
    id: randomUUID(),
    operation: data.operation,
    kind: data.kind,
    apiVersion: data.apiVersion,
    // kubewatch's typed informers usually omit kind/apiVersion on the object: restore them.
    obj: { ...obj, kind: obj.kind ?? data.kind, apiVersion: obj.apiVersion ?? data.apiVersion },
    ...(data.oldObj && { oldObj: { ...(data.oldObj as KubernetesObject), kind: data.kind, apiVersion: data.apiVersion } }),
    description:
      data.description?.replace("\n", " ") ??
      `A \`${data.kind}\` ${namespace ? `in namespace \`${namespace}\` ` : ""}has been \`${VERB[data.operation]}\`: \`${obj.metadata?.name}\``,
  };
}
