/** The Job alert_handling_job creates: its name, the alert as environment variables, the manifest. */
import { randomBytes } from "node:crypto";
import type { EnvVar } from "kubernetes-types/core/v1.js";
import type { PrometheusAlertEvent } from "../../../events/model.js";
import { defaultFindingFor } from "../../../findings/defaults.js";
import type { Job } from "../../../kubernetes/objects.js";

/** A DNS-1123 label (lower-case alphanumerics and "-", at most 63) made from `text`; "" when nothing is left. */
export function dnsLabel(text: string, maxLength = 63): string {
  const label = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+/, "");
  return label.slice(0, maxLength).replace(/-+$/, "");
}

const SUFFIX_LENGTH = 6;

/** A unique, valid name from `base` (Robusta's to_kubernetes_name): the label of it plus a random suffix. */
export function uniqueJobName(base: string): string {
  const suffix = randomBytes(SUFFIX_LENGTH / 2).toString("hex");
  const stem = dnsLabel(base, 63 - SUFFIX_LENGTH - 1) || "robusta-action-job";
  return `${stem}-${suffix}`;
}

/**
 * What the job's container learns of the alert, as in Robusta: ALERT_NAME, ALERT_STATUS,
 * ALERT_OBJ_KIND/NAME (its subject; empty when unknown), ALERT_OBJ_NAMESPACE/NODE (when known),
 * then `extra`, then ALERT_LABEL_<NAME> for every label. Later entries win on a clash.
 */
export function alertEnv(event: PrometheusAlertEvent, extra: readonly EnvVar[] = []): EnvVar[] {
  const subject = defaultFindingFor(event).subject ?? {};
  return [
    { name: "ALERT_NAME", value: event.alertName },
    { name: "ALERT_STATUS", value: event.status },
    { name: "ALERT_OBJ_KIND", value: subject.subjectType ?? "" },
    { name: "ALERT_OBJ_NAME", value: subject.name ?? "" },
    ...(subject.namespace ? [{ name: "ALERT_OBJ_NAMESPACE", value: subject.namespace }] : []),
    ...(subject.node ? [{ name: "ALERT_OBJ_NODE", value: subject.node }] : []),
    ...extra,
    ...Object.entries(event.labels).map(([label, value]) => ({ name: `ALERT_LABEL_${label.toUpperCase()}`, value })),
  ];
}

/** What the Job is made of. */
export interface AlertJobSpec {
  readonly name: string;
  readonly namespace: string;
  readonly container: string;
  readonly image: string;
  readonly command: readonly string[];
  readonly env: readonly EnvVar[];
  readonly restartPolicy: "OnFailure" | "Never";
  readonly serviceAccount?: string | undefined;
  readonly backoffLimit?: number | undefined;
  readonly activeDeadlineSeconds?: number | undefined;
  readonly ttlSecondsAfterFinished?: number | undefined;
}

/** A batch/v1 Job with one container; unset options are left to Kubernetes' defaults. */
export function alertJobManifest(spec: AlertJobSpec): Job {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: spec.name, namespace: spec.namespace },
    spec: {
      template: {
        spec: {
          containers: [{ name: spec.container, image: spec.image, command: [...spec.command], env: [...spec.env] }],
          restartPolicy: spec.restartPolicy,
          ...(spec.serviceAccount !== undefined && { serviceAccountName: spec.serviceAccount }),
        },
      },
      ...(spec.backoffLimit !== undefined && { backoffLimit: spec.backoffLimit }),
      ...(spec.activeDeadlineSeconds !== undefined && { activeDeadlineSeconds: spec.activeDeadlineSeconds }),
      ...(spec.ttlSecondsAfterFinished !== undefined && { ttlSecondsAfterFinished: spec.ttlSecondsAfterFinished }),
    },
  };
}
