import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { defineAction } from "../../define.js";
import { eventEnricherParams, eventsTable } from "../events-table.js";
import { addLogEnrichment, podLogBlock } from "../pod-logs.js";
import { eventObject } from "./event-object.js";
import { jobPods, latestPod } from "./workload-pods.js";

/** job_pod_enricher: the events and log of the job's latest pod. */
export const jobPodEnricher = defineAction({
  name: "job_pod_enricher",
  description:
    'For the job\'s most recently started pod: a "Job pod events" table of its recent Kubernetes Events (type, reason, time, message) and its log as a file "<pod>.log" (of its first container). Does nothing when the job has no pods.',
  event: EventClasses.Job,
  params: eventEnricherParams.extend({
    events: z.boolean().default(true).describe("Add the events of the job's latest pod."),
    logs: z.boolean().default(true).describe("Add the log of the job's latest pod."),
  }),
  async run(event, params, ctx) {
    const found = eventObject(event.job, ctx, "job_pod_enricher", "job");
    if (!found) return;
    const pod = latestPod(await jobPods(ctx, found.obj));
    const podName = pod?.metadata?.name;
    if (!pod || !podName) {
      ctx.logger.info({ job: `${found.namespace}/${found.name}` }, "job_pod_enricher: the job has no pods");
      return;
    }
    if (params.events) {
      const events = await ctx.cluster.events({ kind: "Pod", name: podName, namespace: found.namespace });
      const block = eventsTable(events, { maxEvents: params.max_events, includedTypes: params.included_types, name: "Job pod events" });
      if (block) ctx.addEnrichment([block], { title: "Job pod events", enrichmentType: "k8s_events" });
    }
    if (params.logs) {
      addLogEnrichment(ctx, await podLogBlock(ctx, pod, { container: pod.spec?.containers?.[0]?.name }));
    }
  },
});
