/**
 * The Alertmanager webhook (payload version 4), validated, and split into one event per alert
 * (Robusta §3.1). What Alertmanager really sends is in the project's fixtures.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { PrometheusAlert, PrometheusAlertEvent } from "./model.js";

const labelMap = z.record(z.string(), z.string());
const timestamp = z.iso.datetime({ offset: true, message: "must be an RFC 3339 timestamp" });

/** One alert of the webhook. */
export const alertSchema = z.object({
  status: z.enum(["firing", "resolved"]),
  labels: labelMap.refine((labels) => typeof labels.alertname === "string" && labels.alertname !== "", {
    message: "must have an alertname label",
  }),
  annotations: labelMap.default({}),
  startsAt: timestamp,
  endsAt: timestamp.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().default(""),
});

/** The webhook body. Alertmanager always sends every field; only `alerts` is required here. */
export const alertmanagerWebhookSchema = z.object({
  version: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: z.enum(["firing", "resolved"]).optional(),
  receiver: z.string().optional(),
  groupLabels: labelMap.optional(),
  commonLabels: labelMap.optional(),
  commonAnnotations: labelMap.optional(),
  externalURL: z.string().optional(),
  alerts: z.array(alertSchema),
});

export type AlertmanagerWebhook = z.output<typeof alertmanagerWebhookSchema>;

/** Alertmanager's "not set" time. */
const ZERO_TIME = /^0001-01-01T00:00:00/;

/** The event for one alert. Objects its labels name are resolved later, by the engine. */
export function alertEvent(alert: z.output<typeof alertSchema> | PrometheusAlert): PrometheusAlertEvent {
  const endsAt = alert.endsAt && !ZERO_TIME.test(alert.endsAt) ? alert.endsAt : undefined;
  const normalized: PrometheusAlert = {
    status: alert.status,
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt,
    ...(endsAt !== undefined && { endsAt }),
    ...(alert.generatorURL !== undefined && { generatorURL: alert.generatorURL }),
    fingerprint: alert.fingerprint,
  };
  return {
    source: "prometheus",
    id: randomUUID(),
    alert: normalized,
    alertName: alert.labels.alertname ?? "",
    status: alert.status,
    labels: alert.labels,
    annotations: alert.annotations,
    fingerprint: alert.fingerprint,
    startsAt: alert.startsAt,
    ...(endsAt !== undefined && { endsAt }),
    obj: undefined,
    pod: undefined,
    node: undefined,
    deployment: undefined,
    daemonSet: undefined,
    statefulSet: undefined,
    job: undefined,
  };
}

/** One event per alert of a validated webhook body. */
export function alertEvents(payload: AlertmanagerWebhook): PrometheusAlertEvent[] {
  return payload.alerts.map(alertEvent);
}
