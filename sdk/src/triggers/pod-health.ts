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

/** An `exclude` entry of the OOM triggers: a name prefix (of a pod or a container), a namespace, or both. */
const excludeOf = (what: "pod" | "container") =>
  z
    .object({
      name: z.string().optional().describe(`A ${what} name prefix.`),
      namespace: z.string().optional().describe("A namespace (exact)."),
    })
    .strict();

const excludeEntry = excludeOf("pod");

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

const imagePullParams = kubernetesParams
  .extend({
    rate_limit: rateLimit(14400),
    fire_delay: z
      .number()
      .int()
      .nonnegative()
      .default(120)
      .describe("Fire only when the pod started at least this many seconds ago, so a pull that recovers by itself is not reported."),
  })
  .strict();

/** on_image_pull_backoff: a container cannot pull its image. */
export const onImagePullBackoffType: TriggerType<"on_image_pull_backoff", typeof imagePullParams, PodChangeEvent> = {
  name: "on_image_pull_backoff",
  description: "Fires when a container of a pod (init containers included) is waiting with reason ImagePullBackOff, fire_delay seconds after the pod started. Rate-limited per owner.",
  source: "kubernetes",
  kinds: ["Pod"],
  eventClass: EventClasses.PodChange,
  params: imagePullParams,
  fires(incoming, params, env) {
    const event = changeOf<PodChangeEvent>(incoming, "Pod", ["update"], params);
    if (!event) return undefined;
    const pulling = allContainerStatuses(event.obj).some((status) => status.state?.waiting?.reason === "ImagePullBackOff");
    if (!pulling) return undefined;
    const started = Date.parse(event.obj.status?.startTime ?? "");
    if (Number.isFinite(started) && env.now.getTime() - started < params.fire_delay * 1000) return undefined;
    return allowedForOwner("ImagePullBackoffTrigger", event.obj, params.rate_limit, env) ? event : undefined;
  },
};

const evictedParams = kubernetesParams.extend({ rate_limit: rateLimit(14400) }).strict();

/** on_pod_evicted: the kubelet evicted the pod (node pressure). */
export const onPodEvictedType: TriggerType<"on_pod_evicted", typeof evictedParams, PodChangeEvent> = {
  name: "on_pod_evicted",
  description: 'Fires when a pod is evicted (status.reason "Evicted"). Rate-limited per pod.',
  source: "kubernetes",
  kinds: ["Pod"],
  eventClass: EventClasses.PodChange,
  params: evictedParams,
  fires(incoming, params, env) {
    const event = changeOf<PodChangeEvent>(incoming, "Pod", ["update"], params);
    if (!event || event.obj.status?.reason !== "Evicted") return undefined;
    const key = `PodEvictedTrigger_${env.playbook}/${event.obj.metadata?.namespace ?? ""}:${event.obj.metadata?.name ?? ""}`;
    return env.markAndTest(key, params.rate_limit) ? event : undefined;
  },
};

const containerExclude = excludeOf("container");

const containerOomParams = kubernetesParams
  .extend({
    rate_limit: rateLimit(3600),
    exclude: z.array(containerExclude).default([]).describe("Containers not to fire for: by container name prefix, namespace, or both."),
  })
  .strict();

/** on_container_oom_killed: like on_pod_oom_killed, with exclusions by container name. */
export const onContainerOomKilledType: TriggerType<"on_container_oom_killed", typeof containerOomParams, PodChangeEvent> = {
  name: "on_container_oom_killed",
  description: "Fires when a container is terminated with reason OOMKilled (its current state), unless excluded by container name or namespace. Rate-limited per owner.",
  source: "kubernetes",
  kinds: ["Pod"],
  eventClass: EventClasses.PodChange,
  params: containerOomParams,
  fires(incoming, params, env) {
    const event = changeOf<PodChangeEvent>(incoming, "Pod", ["update"], params);
    if (!event) return undefined;
    const namespace = event.obj.metadata?.namespace ?? "";
    const killed = oomKilledStatuses(event.obj).filter(
      (status) =>
        !params.exclude.some((rule) => {
          const nameHit = !!rule.name && status.name.startsWith(rule.name);
          const namespaceHit = !!rule.namespace && namespace === rule.namespace;
          return (nameHit && (namespaceHit || !rule.namespace)) || (namespaceHit && !rule.name);
        }),
    );
    if (killed.length === 0) return undefined;
    return allowedForOwner("ContainerOOMKilledTrigger", event.obj, params.rate_limit, env) ? event : undefined;
  },
};
