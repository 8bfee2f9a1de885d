import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2.js";
import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import type { PrometheusAlertEvent, ResourceEvent } from "../../../events/model.js";
import { markdown, table } from "../../../findings/blocks.js";
import { errorMessage } from "../../../util/timeout.js";
import { defineAction } from "../../define.js";
import { eventEnricherParams, eventsTable } from "../events-table.js";

const KIND = "HorizontalPodAutoscaler";

/** The event's HPA: its object, or the one an alert (KubeHpaReplicasMismatch, KubeHpaMaxedOut) names in its labels. */
async function eventHpa(event: ResourceEvent, ctx: Context): Promise<HorizontalPodAutoscaler | undefined> {
  if (event.obj?.kind === KIND) return event.obj as HorizontalPodAutoscaler;
  const labels = (event as Partial<PrometheusAlertEvent>).labels;
  const name = labels?.horizontalpodautoscaler;
  if (!name) return undefined;
  return (await ctx.cluster.get(KIND, name, labels.namespace ?? "default")) as HorizontalPodAutoscaler | undefined;
}

/** Robusta's advice when no metrics-server is deployed: without a metrics API an HPA cannot scale. */
async function missingMetricsServer(ctx: Context): Promise<string | undefined> {
  try {
    const deployments = await ctx.cluster.list("Deployment", { labelSelector: "k8s-app=metrics-server" });
    if (deployments.some((d) => d.metadata?.labels?.["k8s-app"] === "metrics-server")) return undefined;
  } catch (error) {
    ctx.logger.warn({ reason: errorMessage(error) }, "hpa_mismatch_enricher: could not look for metrics-server");
    return undefined;
  }
  return "The HPA cannot function because a metrics API was not found.\n\nYou can fix this by deploying metrics-server:\n\n```kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml```";
}

/** hpa_mismatch_enricher: the HPA's replicas (current, desired, bounds), its events, and a missing metrics-server. */
export const hpaMismatchEnricher = defineAction({
  name: "hpa_mismatch_enricher",
  description:
    'For a HorizontalPodAutoscaler (the event\'s object, or the one an alert names in its horizontalpodautoscaler label): "*Replicas: Desired (<desired>) --> Running (<current>)*", an "HPA replicas" table (current, desired, min, max) with a note when it is held at its maximum, and an "HPA events" table of its recent Kubernetes Events. With check_for_metrics_server, first says how to deploy metrics-server when none is found (by the label k8s-app=metrics-server).',
  event: EventClasses.Resource,
  params: eventEnricherParams.extend({
    check_for_metrics_server: z.boolean().default(true).describe("Say how to deploy metrics-server when the cluster has none."),
  }),
  async run(event, params, ctx) {
    const hpa = await eventHpa(event, ctx);
    const name = hpa?.metadata?.name;
    if (!hpa || !name) {
      ctx.logger.warn({}, "hpa_mismatch_enricher: the event carries no HorizontalPodAutoscaler");
      return;
    }
    const namespace = hpa.metadata?.namespace ?? "default";
    if (params.check_for_metrics_server) {
      const advice = await missingMetricsServer(ctx);
      if (advice) ctx.addEnrichment([markdown(advice)]);
    }
    const current = hpa.status?.currentReplicas ?? 0;
    const desired = hpa.status?.desiredReplicas ?? 0;
    const max = hpa.spec?.maxReplicas ?? 0;
    ctx.addEnrichment([
      markdown(`*Replicas: Desired (${desired}) --> Running (${current})*`),
      table(
        [
          ["Current", current],
          ["Desired", desired],
          ["Min", hpa.spec?.minReplicas ?? 1],
          ["Max", max],
        ],
        { name: "HPA replicas" },
      ),
      ...(max > 0 && desired >= max ? [markdown(`The HPA is at its maximum of ${max} replicas: it cannot scale out further.`)] : []),
    ]);
    const events = await ctx.cluster.events({ kind: KIND, name, namespace });
    const block = eventsTable(events, { maxEvents: params.max_events, includedTypes: params.included_types, name: "HPA events" });
    if (block) ctx.addEnrichment([block], { title: "HPA Events", enrichmentType: "k8s_events" });
  },
});
