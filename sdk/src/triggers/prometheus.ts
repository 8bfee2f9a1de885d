/** on_prometheus_alert: an Alertmanager alert arrived on /api/alerts. */
import { z } from "zod";
import { EventClasses } from "../events/classes.js";
import type { PrometheusAlertEvent } from "../events/model.js";
import type { TriggerType } from "./trigger.js";

const params = z
  .object({
    alert_name: z.string().optional().describe("Fire only for this alert name (exact)."),
    status: z
      .enum(["firing", "resolved", "all"])
      .default("firing")
      .describe("Fire for firing alerts, resolved alerts, or both."),
    pod_name_prefix: z.string().optional().describe("Fire only when the alert's pod label starts with this."),
    namespace_prefix: z.string().optional().describe("Fire only when the alert's namespace label starts with this."),
    instance_name_prefix: z.string().optional().describe("Fire only when the alert's instance label starts with this."),
  })
  .strict();

const startsWith = (value: string | undefined, prefix: string | undefined) =>
  prefix === undefined || (value ?? "").startsWith(prefix);

export const onPrometheusAlertType: TriggerType<"on_prometheus_alert", typeof params, PrometheusAlertEvent> = {
  name: "on_prometheus_alert",
  description:
    "Fires for an alert Alertmanager posts to /api/alerts. The event carries the pod, node and workloads its labels name.",
  source: "prometheus",
  kinds: [],
  eventClass: EventClasses.PrometheusAlert,
  params,
  fires(incoming, p) {
    if (incoming.source !== "prometheus") return undefined;
    if (p.alert_name !== undefined && incoming.alertName !== p.alert_name) return undefined;
    if (p.status !== "all" && incoming.status !== p.status) return undefined;
    const labels = incoming.labels;
    if (!startsWith(labels.pod, p.pod_name_prefix)) return undefined;
    if (!startsWith(labels.namespace, p.namespace_prefix)) return undefined;
    if (!startsWith(labels.instance, p.instance_name_prefix)) return undefined;
    return incoming;
  },
};
