/**
 * Reads the release records Helm 3 keeps in the cluster: one Secret per release revision, of
 * type helm.sh/release.v1, whose `data.release` is base64 (the Secret's) of base64 (Helm's) of
 * the release as gzipped JSON. Only what the Helm release triggers use is kept: the manifest,
 * values and chart files are dropped as the JSON is validated.
 */
import { gunzipSync } from "node:zlib";
import type { HelmRelease, KubernetesObject } from "@robusta-ts/sdk";
import { z } from "zod";

/** The Secret type Helm 3 stores releases under. */
export const HELM_RELEASE_SECRET_TYPE = "helm.sh/release.v1";

/** A Secret as the monitor reads it: its values as the API server sends them (base64), not redacted. */
export interface HelmReleaseSecret extends KubernetesObject {
  type?: string;
  data?: Record<string, string>;
}

/** Largest release JSON read, unzipped: a bound on memory, far above any real release (a Secret holds 1 MiB). */
const MAX_RELEASE_BYTES = 64 * 1024 * 1024;

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

/** Helm writes Go times (RFC 3339, nanoseconds, any offset); a zero time as "". Normalised to ISO 8601 UTC. */
const goTime = z.string().refine((s) => s === "" || !Number.isNaN(Date.parse(s)), "not a time");
const iso = (s: string) => new Date(s).toISOString();

const releaseRecord = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
  version: z.number().int().positive(),
  info: z.object({
    first_deployed: goTime.optional(),
    last_deployed: goTime.refine((s) => s !== "", "missing"),
    deleted: goTime.optional(),
    description: z.string().optional(),
    status: z.enum(["unknown", "deployed", "uninstalled", "superseded", "failed", "uninstalling", "pending-install", "pending-upgrade", "pending-rollback"]),
    notes: z.string().optional(),
  }),
  chart: z
    .object({
      metadata: z.object({
        name: z.string(),
        version: z.string(),
        appVersion: z.string().optional(),
        description: z.string().optional(),
      }),
    })
    .nullish(),
});

/** A release record that cannot be read; the message says why, naming the field when it is one. */
export class HelmReleaseDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HelmReleaseDecodeError";
  }
}

/** The release in a Secret's `data.release` value (as the API server sends it: base64). Throws HelmReleaseDecodeError. */
export function decodeHelmRelease(data: string): HelmRelease {
  const payload = Buffer.from(Buffer.from(data, "base64").toString("latin1"), "base64");
  let json: string;
  if (GZIP_MAGIC.every((byte, i) => payload[i] === byte)) {
    try {
      json = gunzipSync(payload, { maxOutputLength: MAX_RELEASE_BYTES }).toString("utf8");
    } catch (error) {
      throw new HelmReleaseDecodeError(`cannot unzip: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    // Helm reads an unzipped record too (releases written by Helm 3 before 3.0.0-beta.4).
    json = payload.toString("utf8");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new HelmReleaseDecodeError("not JSON once decoded");
  }
  const parsed = releaseRecord.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HelmReleaseDecodeError(`${issue.path.join(".") || "(release)"}: ${issue.message}`);
  }
  const { name, namespace, version, info, chart } = parsed.data;
  const lastDeployed = iso(info.last_deployed);
  const meta = chart?.metadata;
  return {
    name,
    namespace,
    revision: version,
    status: info.status,
    ...(meta && {
      chart: {
        name: meta.name,
        version: meta.version,
        ...(meta.appVersion && { appVersion: meta.appVersion }),
        ...(meta.description && { description: meta.description }),
      },
    }),
    firstDeployed: info.first_deployed ? iso(info.first_deployed) : lastDeployed,
    lastDeployed,
    ...(info.deleted && { deleted: iso(info.deleted) }),
    ...(info.description && { description: info.description }),
    ...(info.notes && { notes: info.notes }),
  };
}
