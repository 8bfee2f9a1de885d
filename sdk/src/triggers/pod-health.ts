/** Smart pod triggers: crash loops and OOM kills, each rate-limited per owning workload. */
import { z } from "zod";
import { EventClasses } from "../events/classes.js";
import type { PodChangeEvent } from "../events/model.js";
import { ownerNameOf, type ContainerStatus, type Pod } from "../kubernetes/objects.js";
import { changeOf, kubernetesParams } from "./kubernetes.js";
import type { TriggerEnv, TriggerType } from "./trigger.js";

const rateLimit = (seconds: number) =>
  z
    .number()
    .int()
    .nonnegative()
    .default(seconds)
    .describe("Fire at most once in this many seconds per owning workload (0: no limit).");

/** Every container status of a pod, init containers included. */
export function allContainerStatuses(pod: Pod): ContainerStatus[] {
  return [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
}

/** Robusta keys these triggers' rate limits on "namespace:owner". */
function allowedForOwner(trigger: string, pod: Pod, seconds: number, env: TriggerEnv): boolean {
  const key = `${trigger}_${env.playbook}/${pod.metadata?.namespace ?? ""}:${ownerNameOf(pod)}`;
  return env.markAndTest(key, seconds);
}

const crashLoopParams = kubernetesParams
  .extend({
    rate_limit: rateLimit(14400),
    restart_reason: z
      .string()
      .optional()
      .describe('Fire only when the waiting reason contains this, e.g. "CrashLoopBackOff". Default: any reason.'),
    restart_count: z.number().int().nonnegative().default(2).describe("Fire only after this many restarts."),
    terminated_reason: z
      .string()
      .optional()
      .describe('Fire only when the last termination reason contains this, e.g. "OOMKilled".'),
  })
  .strict();

/** on_pod_crash_loop: a container is waiting to restart after crashing `restart_count` times. */
export const onPodCrashLoopType: TriggerType<"on_pod_crash_loop", typeof crashLoopParams, PodChangeEvent> = {
  name: "on_pod_crash_loop",
  description:
    "Fires when a container of a pod (init containers included) is waiting after at least restart_count restarts. Rate-limited per owner.",
  source: "kubernetes",
  kinds: ["Pod"],
  eventClass: EventClasses.PodChange,
  params: crashLoopParams,
  fires(incoming, params, env) {
    const event = changeOf<PodChangeEvent>(incoming, "Pod", ["update"], params);
    if (!event) return undefined;
    const crashing = allContainerStatuses(event.obj).some((status) => {
      const waiting = status.state?.waiting;
      if (!waiting || status.restartCount < params.restart_count) return false;
      if (params.restart_reason !== undefined && !(waiting.reason ?? "").includes(params.restart_reason)) return false;
      if (params.terminated_reason === undefined) return true;
      const terminated = status.lastState?.terminated ?? status.state?.terminated;
      return (terminated?.reason ?? "").includes(params.terminated_reason);
    });
    return crashing && allowedForOwner("PodCrashLoopTrigger", event.obj, params.rate_limit, env) ? event : undefined;
  },
};

const excludeEntry = z
  .object({
    name: z.string().optional().describe("A pod name prefix."),
    namespace: z.string().optional().describe("A namespace (exact)."),
  })
  .strict();

const oomParams = kubernetesParams
  .extend({
    rate_limit: rateLimit(3600),
    exclude: z
      .array(excludeEntry)
      .default([])
      .describe("Pods not to fire for: by name prefix, namespace, or both."),
  })
  .strict();

function excluded(pod: Pod, exclude: readonly z.output<typeof excludeEntry>[]): boolean {
  const name = pod.metadata?.name ?? "";
  const namespace = pod.metadata?.namespace ?? "";
  return exclude.some((rule) => {
    const namespaceHit = rule.namespace !== undefined && rule.namespace !== "" && namespace === rule.namespace;
    const nameHit = rule.name !== undefined && rule.name !== "" && name.startsWith(rule.name);
    return (namespaceHit && (nameHit || !rule.name)) || (!rule.namespace && nameHit);
  });
}

/** The container statuses whose current state is an OOM kill. */
export function oomKilledStatuses(pod: Pod): ContainerStatus[] {
  return allContainerStatuses(pod).filter((status) => status.state?.terminated?.reason === "OOMKilled");
}

/** on_pod_oom_killed: a container of the pod was just killed for exceeding its memory limit. */
export const onPodOomKilledType: TriggerType<"on_pod_oom_killed", typeof oomParams, PodChangeEvent> = {
  name: "on_pod_oom_killed",
  description:
    "Fires when a container of a pod is terminated with reason OOMKilled (its current state). Rate-limited per owner.",
  source: "kubernetes",
  kinds: ["Pod"],
  eventClass: EventClasses.PodChange,
  params: oomParams,
  fires(incoming, params, env) {
    const event = changeOf<PodChangeEvent>(incoming, "Pod", ["update"], params);
    if (!event || excluded(event.obj, params.exclude) || oomKilledStatuses(event.obj).length === 0) return undefined;
    return allowedForOwner("PodOOMKilledTrigger", event.obj, params.rate_limit, env) ? event : undefined;
  },
};
