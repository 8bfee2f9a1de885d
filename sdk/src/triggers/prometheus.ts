/** on_prometheus_alert: an Alertmanager alert arrived on /api/alerts. */
import { z } from "zod";
import { EventClasses } from "../events/classes.js";
import type { PrometheusAlertEvent } from "../events/model.js";
import { alertScope, scopeMatches } from "./scope.js";
import type { TriggerType } from "./trigger.js";

/** The cluster providers the runner can detect (Robusta's, and OpenShift), as `k8s_providers` names them. */
export const CLUSTER_PROVIDERS = ["GKE", "EKS", "AKS", "Minikube", "Kind", "RancherDesktop", "DigitalOcean", "OpenShift", "Kops", "Kapsule"] as const;

/** A cluster provider the runner can detect. */
export type ClusterProvider = (typeof CLUSTER_PROVIDERS)[number];

const providerName = z.string().refine((name) => CLUSTER_PROVIDERS.some((known) => known.toLowerCase() === name.toLowerCase()), {
  error: (issue) => `unknown provider "${String(issue.input)}": one of ${CLUSTER_PROVIDERS.join(", ")} (any case)`,
});

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
    k8s_providers: z
      .array(providerName)
      .optional()
      .describe(`Fire only on clusters of these providers (${CLUSTER_PROVIDERS.join(", ")}; any case), as detected from the nodes; never where the provider is unknown.`),
    scope: alertScope
      .optional()
      .describe("Fire only for alerts these rules include and do not exclude, by the alert's labels and annotations (regexes)."),
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
  fires(incoming, p, env) {
    if (incoming.source !== "prometheus") return undefined;
    if (p.alert_name !== undefined && incoming.alertName !== p.alert_name) return undefined;
    if (p.status !== "all" && incoming.status !== p.status) return undefined;
    const labels = incoming.labels;
    if (!startsWith(labels.pod, p.pod_name_prefix)) return undefined;
    if (!startsWith(labels.namespace, p.namespace_prefix)) return undefined;
    if (!startsWith(labels.instance, p.instance_name_prefix)) return undefined;
    if (p.k8s_providers?.length) {
      const provider = env.clusterProvider?.toLowerCase();
      if (provider === undefined || !p.k8s_providers.some((name) => name.toLowerCase() === provider)) return undefined;
    }
    if (!scopeMatches(p.scope, { labels, annotations: incoming.annotations })) return undefined;
    return incoming;
  },
};
