import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import type { PrometheusAlertEvent } from "../../../events/model.js";
import { markdown, type MarkdownBlock } from "../../../findings/blocks.js";
import type { Container, Pod } from "../../../kubernetes/objects.js";
import { defineAction } from "../../define.js";
import { eventPod } from "../event-pod.js";

const ACTION = "cpu_throttling_analysis_enricher";

/** GKE's own metrics-server carries it; its limits are GKE's to set. */
const GKE_MANAGED_TOLERATION = "components.gke.io/gke-managed-components";

const WIKI = "https://github.com/robusta-dev/alert-explanations/wiki";

const explanation = (text: string): MarkdownBlock => markdown(`📘 *Alert Explanation:* ${text}`);
const recommendation = (text: string): MarkdownBlock => markdown(`🛠 *Robusta's Recommendation:* ${text}`);

/** Robusta's three analyses, by what the pod is and whether it has a CPU limit. */
const ANALYSES = {
  metricsServer: [
    explanation(
      `This alert is likely due to a known issue with metrics-server. <https://github.com/kubernetes/autoscaler/issues/4141|The default metrics-server deployment has cpu limits which are too low.>`,
    ),
    recommendation(
      `Increase the CPU limit for the metrics-server deployment. Note that metrics-server does *not* respect normal cpu limits. For instructions on fixing this issue, see the <${WIKI}/CPUThrottlingHigh-on-metrics-server-(Prometheus-alert)|Robusta wiki>.`,
    ),
  ],
  limited: [
    explanation(
      `This pod is throttled. It wanted to use the CPU and was blocked due to its CPU limit. This can occur even when CPU usage is far below the limit. (<${WIKI}/CPUThrottlingHigh-(Prometheus-Alert)|Learn more.>)`,
    ),
    recommendation(
      `Remove this pod's CPU limit entirely. <${WIKI}/CPUThrottlingHigh-(Prometheus-Alert)#:~:text=relatively%20accurate%20one-,Explanation,-As%20long%20as|Despite common misconceptions, using CPU limits is *not* a best practice.>`,
    ),
  ],
  unlimited: [
    explanation(
      "This pod is throttled because it is using more CPU than its request and the node doesn't have spare CPU to give. Increase the pod's CPU request. This will impact Kubernetes' scheduling decisions and guarantee the pod is placed on a node with sufficient CPU to match the new request.",
    ),
  ],
} as const;

const hasCpuLimit = (container: Container): boolean => container.resources?.limits?.cpu !== undefined;

/**
 * The containers the alert is about: the one its `container` label names when the pod has it
 * (Robusta looks at the whole pod, and says so in a TODO), else all of them.
 */
function throttledContainers(pod: Pod, event: Partial<PrometheusAlertEvent>): Container[] {
  const containers = pod.spec?.containers ?? [];
  const named = containers.filter((container) => container.name === event.labels?.container);
  return named.length > 0 ? named : containers;
}

/** cpu_throttling_analysis_enricher: why the pod is CPU-throttled and what to do about it. */
export const cpuThrottlingAnalysisEnricher = defineAction({
  name: ACTION,
  description:
    "Explains why a pod is CPU-throttled (CPUThrottlingHigh) and what to do, as Robusta does, from the pod's spec: a metrics-server with a CPU limit has limits known to be too low (increase them); a container with a CPU limit is throttled by it even below it (remove the limit); without a limit the pod uses more than its request on a node with no CPU to spare (increase the request). When the alert names a container, that container's limit decides. GKE's own metrics-server, whose limits GKE manages, is silenced: later actions and playbooks do not run for the alert. When the event carries no pod, a note says so.",
  event: EventClasses.Pod,
  params: z.object({}),
  run(event, _params, ctx) {
    const found = eventPod(event, ctx, ACTION);
    if (!found) {
      ctx.addEnrichment([markdown("No CPU throttling analysis: the throttled pod was not found.")]);
      return;
    }
    const { pod, name } = found;
    const metricsServer = name.startsWith("metrics-server-");
    if (metricsServer && (pod.spec?.tolerations ?? []).some((toleration) => toleration.key === GKE_MANAGED_TOLERATION)) {
      ctx.logger.info({ pod: `${found.namespace}/${name}` }, `${ACTION}: ignoring CPU throttling of GKE's metrics-server: there is nothing to do about it`);
      ctx.stopProcessing();
      return;
    }
    const limited = throttledContainers(pod, event as Partial<PrometheusAlertEvent>).some(hasCpuLimit);
    const analysis = metricsServer && limited ? ANALYSES.metricsServer : limited ? ANALYSES.limited : ANALYSES.unlimited;
    ctx.addEnrichment([...analysis], { annotations: { unfurl: "false" } });
  },
});
