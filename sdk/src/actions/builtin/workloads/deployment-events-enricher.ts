import { EventClasses } from "../../../events/classes.js";
import { defineAction } from "../../define.js";
import { eventsTable } from "../events-table.js";
import { eventObject } from "./event-object.js";
import { extendedEventEnricherParams } from "./extended-event-params.js";
import { podsBySelector } from "./workload-pods.js";

const ENRICHMENT = { title: "Deployment Events", enrichmentType: "k8s_events" } as const;

/** deployment_events_enricher: the deployment's recent events, or those of its pods that are not running. */
export const deploymentEventsEnricher = defineAction({
  name: "deployment_events_enricher",
  description:
    'Adds a "Deployment Events" table of the deployment\'s most recent Kubernetes Events (type, reason, time, message), newest last. With dependent_pod_mode, instead a "Pod events for <pod>" table for each of up to max_pods of its pods that are not Running.',
  event: EventClasses.Deployment,
  params: extendedEventEnricherParams,
  async run(event, params, ctx) {
    const found = eventObject(event.deployment, ctx, "deployment_events_enricher", "deployment");
    if (!found) return;
    const { obj: deployment, name, namespace } = found;
    const options = { maxEvents: params.max_events, includedTypes: params.included_types };
    if (!params.dependent_pod_mode) {
      const block = eventsTable(await ctx.cluster.events({ kind: "Deployment", name, namespace }), { ...options, name: "Deployment Events" });
      if (block) ctx.addEnrichment([block], ENRICHMENT);
      return;
    }
    const pods = (await podsBySelector(ctx, namespace, deployment.spec?.selector)).filter((pod) => pod.status?.phase !== "Running");
    for (const pod of pods.slice(0, params.max_pods)) {
      const podName = pod.metadata?.name ?? "";
      const block = eventsTable(await ctx.cluster.events({ kind: "Pod", name: podName, namespace }), { ...options, name: `Pod events for ${podName}` });
      if (block) ctx.addEnrichment([block], ENRICHMENT);
    }
  },
});
