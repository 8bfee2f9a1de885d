import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { markdown } from "../../../findings/blocks.js";
import { defineAction } from "../../define.js";
import { clusterWrite } from "./cluster-write.js";

/** delete_job: deletes the event's job and its pods. */
export const deleteJob = defineAction({
  name: "delete_job",
  description:
    'Deletes the event\'s job with foreground propagation, so its pods are deleted before it, and adds "Job <namespace>/<name> deleted" to the finding. An event without a job is skipped with a warning, as in Robusta.',
  event: EventClasses.Job,
  params: z.object({}),
  permissions: [{ apiGroups: ["batch"], resources: ["jobs"], verbs: ["delete"] }],
  async run(event, _params, ctx) {
    const name = event.job?.metadata?.name;
    if (!name) {
      ctx.logger.warn({}, "delete_job: the event carries no job; nothing deleted");
      return;
    }
    const namespace = event.job?.metadata?.namespace ?? "default";
    await clusterWrite(`delete job ${namespace}/${name}`, () =>
      ctx.cluster.delete("Job", name, namespace, { propagationPolicy: "Foreground" }),
    );
    ctx.logger.info({ job: `${namespace}/${name}` }, "delete_job: deleted the job");
    ctx.addEnrichment([markdown(`Job *${namespace}/${name}* deleted`)]);
  },
});
