import { describe, expect, it } from "vitest";
import {
  ActionRegistry,
  definePlaybook,
  Engine,
  markdown,
  onContainerOomKilled,
  onDeploymentUpdate,
  onImagePullBackoff,
  onJobFailure,
  onKubernetesAnyResourceAllChanges,
  onKubernetesWarningEvent,
  onKubernetesWarningEventCreate,
  onPodEvicted,
  parseTriggerParams,
  RateLimiter,
  TRIGGER_TYPES,
  triggerType,
  type CoreEvent,
  type IncomingEvent,
  type Job,
  type Pod,
  type Trigger,
  type TriggerEnv,
} from "../src/index.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";

const HOUR = 3600 * 1000;

function setup() {
  const clock = new FakeClock("2026-01-01T00:10:00Z");
  const limiter = new RateLimiter();
  const env: TriggerEnv = {
    playbook: "pb",
    get now() {
      return clock.now();
    },
    markAndTest: (key, seconds) => limiter.markAndTest(key, seconds, clock.now()),
  };
  const fires = (trigger: Trigger, incoming: IncomingEvent) => {
    const type = triggerType(trigger.spec.name)!;
    return type.fires(incoming, parseTriggerParams(type, trigger.spec.params), env) !== undefined;
  };
  return { clock, fires };
}

const deployment = (replicas: number) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "demo" }, spec: { replicas } });

describe("the trigger catalog", () => {
  it("has Robusta's generic triggers for every kind, the any-resource ones and the smart ones, each name once", () => {
    const names = TRIGGER_TYPES.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const kind of ["pod", "replicaset", "daemonset", "deployment", "statefulset", "service", "event", "horizontalpodautoscaler", "node", "clusterrole", "clusterrolebinding", "job", "namespace", "serviceaccount", "persistentvolume", "persistentvolumeclaim", "networkpolicy", "configmap", "ingress", "secret", "kubernetes_any_resource"]) {
      for (const op of ["create", "update", "delete", "all_changes"]) expect(names).toContain(`on_${kind}_${op}`);
    }
    expect(names).toEqual(expect.arrayContaining(["on_pod_crash_loop", "on_image_pull_backoff", "on_pod_oom_killed", "on_container_oom_killed", "on_pod_evicted", "on_job_failure", "on_kubernetes_warning_event", "on_kubernetes_warning_event_create", "on_prometheus_alert", "on_kubernetes_resource_operation"]));
    for (const op of ["create", "update", "delete", "all_changes"]) expect(names).toContain(`on_custom_resource_${op}`);
  });

  it("fires a kind's trigger for that kind only, and the any-resource trigger for any", () => {
    const { fires } = setup();
    const update = fixtures.change("update", deployment(3), deployment(1));
    expect(fires(onDeploymentUpdate(), update)).toBe(true);
    expect(fires(onDeploymentUpdate(), fixtures.change("update", fixtures.pod()))).toBe(false);
    expect(fires(onKubernetesAnyResourceAllChanges({ namespacePrefix: "de" }), update)).toBe(true);
    expect(fires(onKubernetesAnyResourceAllChanges(), fixtures.change("create", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }))).toBe(true);
  });
});

describe("smart triggers", () => {
  it("on_image_pull_backoff waits fire_delay after the pod started, then fires once per owner", () => {
    const { fires, clock } = setup();
    const base = fixtures.pod({ name: "web-1", ownerReplicaSet: "web-rs" });
    const pulling = structuredClone(base) as Pod;
    pulling.status!.startTime = "2026-01-01T00:09:00Z"; // 60 s before the clock
    pulling.status!.containerStatuses![0]!.state = { waiting: { reason: "ImagePullBackOff", message: "Back-off pulling image" } };
    const event = () => fixtures.change("update", pulling, base);
    expect(fires(onImagePullBackoff(), event())).toBe(false); // inside fire_delay (120 s)
    clock.advance(61_000);
    expect(fires(onImagePullBackoff(), event())).toBe(true);
    expect(fires(onImagePullBackoff(), event())).toBe(false); // rate limit, 4 h per owner
    clock.advance(4 * HOUR);
    expect(fires(onImagePullBackoff(), event())).toBe(true);
    expect(fires(onImagePullBackoff({ fireDelay: 0 }), fixtures.change("update", base, base))).toBe(false);
  });

  it("on_pod_evicted fires for an evicted pod, once per pod in its window", () => {
    const { fires } = setup();
    const evicted = { ...fixtures.pod({ name: "a" }), status: { phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory." } };
    expect(fires(onPodEvicted(), fixtures.change("update", evicted))).toBe(true);
    expect(fires(onPodEvicted(), fixtures.change("update", evicted))).toBe(false);
    expect(fires(onPodEvicted(), fixtures.change("update", { ...evicted, metadata: { ...evicted.metadata, name: "b" } }))).toBe(true);
    expect(fires(onPodEvicted(), fixtures.change("update", fixtures.pod({ name: "c" })))).toBe(false);
  });

  it("on_container_oom_killed skips excluded containers", () => {
    const { fires } = setup();
    const killed = fixtures.oomKilledPod(fixtures.pod({ name: "w", namespace: "demo", containers: ["istio-proxy", "app"] }), { container: "istio-proxy" });
    expect(fires(onContainerOomKilled({ exclude: [{ name: "istio-" }], rateLimit: 0 }), fixtures.change("update", killed))).toBe(false);
    expect(fires(onContainerOomKilled({ exclude: [{ name: "istio-", namespace: "other" }], rateLimit: 0 }), fixtures.change("update", killed))).toBe(true);
    expect(fires(onContainerOomKilled({ exclude: [{ namespace: "demo" }], rateLimit: 0 }), fixtures.change("update", killed))).toBe(false);
  });

  it("on_job_failure fires when a job becomes failed, not on later updates of a failed job", () => {
    const { fires } = setup();
    const job = (failed: boolean): Job => ({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "backup", namespace: "demo" },
      status: failed ? { conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }] } : { active: 1 },
    });
    expect(fires(onJobFailure(), fixtures.change("update", job(true), job(false)))).toBe(true);
    expect(fires(onJobFailure(), fixtures.change("update", job(true), job(true)))).toBe(false);
    expect(fires(onJobFailure(), fixtures.change("update", job(false), job(false)))).toBe(false);
  });

  it("on_kubernetes_warning_event matches words of reason and message, either Event API, rate-limited per reason and object", () => {
    const { fires, clock } = setup();
    const pod = fixtures.pod({ name: "web-0", namespace: "demo" });
    const v1 = fixtures.warningEvent(pod, "FailedMount", "MountVolume.SetUp failed for volume data");
    const core: CoreEvent = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "web-0.x", namespace: "demo" },
      type: "Warning",
      reason: "BackOff",
      message: "Back-off restarting failed container",
      involvedObject: { kind: "Pod", name: "web-0", namespace: "demo" },
    };
    expect(fires(onKubernetesWarningEvent({ include: ["mountvolume"] }), fixtures.change("create", v1))).toBe(true);
    expect(fires(onKubernetesWarningEvent({ include: ["mountvolume"] }), fixtures.change("create", v1))).toBe(false); // 1 h per reason and object
    clock.advance(HOUR);
    expect(fires(onKubernetesWarningEvent({ exclude: ["setup failed"] }), fixtures.change("create", v1))).toBe(false);
    expect(fires(onKubernetesWarningEventCreate(), fixtures.change("create", core))).toBe(true);
    expect(fires(onKubernetesWarningEventCreate({ rateLimit: 0 }), fixtures.change("update", core, core))).toBe(false);
    expect(fires(onKubernetesWarningEvent({ operations: ["update"], rateLimit: 0 }), fixtures.change("update", core, core))).toBe(true);
    expect(fires(onKubernetesWarningEvent({ rateLimit: 0 }), fixtures.change("create", { ...core, type: "Normal" }))).toBe(false);
  });
});

describe("any-resource playbooks", () => {
  it("run in configured order among the playbooks of the changed kind", async () => {
    const say = (name: string, trigger: Trigger) =>
      definePlaybook({ name, triggers: [trigger], run: (_e, ctx) => ctx.addEnrichment([markdown(name)]) });
    const engine = new Engine({
      playbooks: [say("any-first", onKubernetesAnyResourceAllChanges()), say("deployment", onDeploymentUpdate()), say("any-last", onKubernetesAnyResourceAllChanges())],
      actions: new ActionRegistry(),
      cluster: new InMemoryCluster(),
      logger: new MemoryLogger(),
      clock: new FakeClock(),
      defaultSinks: ["s"],
    });
    expect(engine.watchesAnyKind).toBe(true);
    expect(engine.watchedKinds).toEqual(["Deployment"]);
    const deploymentRuns = await engine.handle(fixtures.change("update", deployment(2), deployment(1)));
    expect(deploymentRuns.runs.map((r) => r.playbook)).toEqual(["any-first", "deployment", "any-last"]);
    const configMapRuns = await engine.handle(fixtures.change("create", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }));
    expect(configMapRuns.runs.map((r) => r.playbook)).toEqual(["any-first", "any-last"]);
  });
});
