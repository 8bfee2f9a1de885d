import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { markdown, table } from "../../../findings/blocks.js";
import { defineAction } from "../../define.js";
import { eventObject } from "./event-object.js";

/** deployment_status_enricher: the deployment's status conditions and replica counts. */
export const deploymentStatusEnricher = defineAction({
  name: "deployment_status_enricher",
  description:
    'Adds the deployment\'s status conditions as "*Deployment status details:*" followed by each condition\'s reason and message (Available, Progressing, ReplicaFailure: why a rollout is stuck), and a "Deployment replicas" table: desired, updated, ready, available and unavailable.',
  event: EventClasses.Deployment,
  params: z.object({}),
  run(event, _params, ctx) {
    const found = eventObject(event.deployment, ctx, "deployment_status_enricher", "deployment");
    if (!found) return;
    const { spec, status } = found.obj;
    const conditions = (status?.conditions ?? []).map((c) => `*${c.reason ?? c.type} -* ${c.message ?? c.status}`);
    ctx.addEnrichment([
      markdown(["*Deployment status details:*", ...conditions].join("\n")),
      table(
        [
          ["Desired", spec?.replicas ?? 1],
          ["Updated", status?.updatedReplicas ?? 0],
          ["Ready", status?.readyReplicas ?? 0],
          ["Available", status?.availableReplicas ?? 0],
          ["Unavailable", status?.unavailableReplicas ?? 0],
        ],
        { name: "Deployment replicas" },
      ),
    ]);
  },
});
