import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { markdown } from "../../../findings/blocks.js";
import type { Deployment, KubernetesObject } from "../../../kubernetes/objects.js";
import { defineAction, type PermissionRule } from "../../define.js";
import { clusterWrite } from "./cluster-write.js";

/** The kinds `kubectl rollout restart` restarts. */
export const RESTARTABLE_KINDS = ["Deployment", "StatefulSet", "DaemonSet"] as const;
export type RestartableKind = (typeof RESTARTABLE_KINDS)[number];

/** The pod template annotation `kubectl rollout restart` sets; changing it rolls out new pods. */
export const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

const PATCH_WORKLOADS: readonly PermissionRule[] = [
  { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets"], verbs: ["patch"] },
];

const isRestartable = (kind: string | undefined): kind is RestartableKind => RESTARTABLE_KINDS.includes(kind as RestartableKind);

/** kubectl's format: RFC 3339 to the second. */
export const restartTimestamp = (now: Date): string => now.toISOString().replace(/\.\d{3}Z$/, "Z");

/** Restarts a workload as `kubectl rollout restart` does, and says so in the finding. */
async function restartWorkload(ctx: Context, obj: KubernetesObject, kind: RestartableKind, action: string): Promise<void> {
  const name = obj.metadata?.name ?? "";
  const namespace = obj.metadata?.namespace ?? "default";
  const target = `${kind}/${namespace}/${name}`;
  if (kind === "Deployment" && (obj as Deployment).spec?.paused) {
    // As kubectl refuses: a paused deployment would not roll out the change.
    ctx.logger.warn({ target }, `${action}: the deployment is paused; not restarted`);
    ctx.addEnrichment([markdown(`can't restart paused ${target} (run rollout resume first).`)]);
    return;
  }
  const patch = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: restartTimestamp(ctx.clock.now()) } } } } };
  await clusterWrite(`rollout restart ${target}`, () => ctx.cluster.patch(kind, name, namespace, patch, "strategic"));
  ctx.logger.info({ target }, `${action}: restarted`);
  ctx.addEnrichment([markdown(`${target} restarted`)]);
}

/** rollout_restart: restarts the event's Deployment, StatefulSet or DaemonSet. */
export const rolloutRestart = defineAction({
  name: "rollout_restart",
  description:
    'Restarts the event\'s Deployment, StatefulSet or DaemonSet as `kubectl rollout restart` does: sets the pod template annotation kubectl.kubernetes.io/restartedAt to now, so the workload replaces its pods by its update strategy. Adds "<kind>/<namespace>/<name> restarted". A paused Deployment is left alone, with a note; other kinds fail the action.',
  event: EventClasses.Resource,
  params: z.object({}),
  permissions: PATCH_WORKLOADS,
  async run(event, _params, ctx) {
    const obj = event.obj;
    if (!obj?.metadata?.name) throw new Error("rollout_restart: the event carries no resource to restart");
    const kind = obj.kind ?? ("kind" in event && typeof event.kind === "string" ? event.kind : undefined);
    if (!isRestartable(kind)) {
      throw new Error(`rollout_restart: cannot restart a ${kind ?? "resource of unknown kind"}, only a ${RESTARTABLE_KINDS.join(", ")}`);
    }
    await restartWorkload(ctx, obj, kind, "rollout_restart");
  },
});

/** restart_named_rollout: restarts a Deployment, StatefulSet or DaemonSet named in the parameters. */
export const restartNamedRollout = defineAction({
  name: "restart_named_rollout",
  description:
    "Restarts the named Deployment, StatefulSet or DaemonSet as rollout_restart does, whatever the event. When it does not exist, nothing is restarted and the finding says so.",
  event: EventClasses.Base,
  params: z.object({
    kind: z.enum(RESTARTABLE_KINDS).default("Deployment").describe("The kind of the workload to restart."),
    name: z.string().min(1).describe("The name of the workload to restart."),
    namespace: z.string().min(1).describe("The namespace of the workload to restart."),
  }),
  permissions: PATCH_WORKLOADS,
  async run(_event, params, ctx) {
    const obj = await ctx.cluster.get(params.kind, params.name, params.namespace);
    if (!obj) {
      const target = `${params.kind}/${params.namespace}/${params.name}`;
      ctx.logger.warn({ target }, "restart_named_rollout: not found; nothing restarted");
      ctx.addEnrichment([markdown(`${target} not found: nothing restarted`)]);
      return;
    }
    await restartWorkload(ctx, obj, params.kind, "restart_named_rollout");
  },
});
