import { describe, expect, it } from "vitest";
import {
  RateLimiter,
  TriggerParamsError,
  alertEvent,
  onPodAllChanges,
  onPodCrashLoop,
  onPodCreate,
  onPodDelete,
  onPodOomKilled,
  onPodUpdate,
  onPrometheusAlert,
  parseTriggerParams,
  triggerType,
  type ContainerStatus,
  type Deployment,
  type IncomingEvent,
  type Pod,
  type Trigger,
  type TriggerEnv,
} from "../src/index.js";
import { envFor } from "./support/trigger-env.js";
import { FakeClock, fixtures } from "../src/testing/index.js";

const HOUR = 3600 * 1000;

/** A TriggerEnv as the engine builds it: one rate limiter, time from a clock. */

/** Whether `trigger` fires for `incoming`, going through the trigger's YAML name and parameters as the engine does. */
function fires(trigger: Trigger, incoming: IncomingEvent, env: TriggerEnv = envFor("pb", new RateLimiter(), new FakeClock())): boolean {
  const type = triggerType(trigger.spec.name);
  if (!type) throw new Error(`unknown trigger ${trigger.spec.name}`);
  return type.fires(incoming, parseTriggerParams(type, trigger.spec.params), env) !== undefined;
}

const { change, pod, crashLoopingPod, oomKilledPod } = fixtures;

describe("on_pod_create / update / delete / all_changes", () => {
  const obj = pod({ name: "web-0", namespace: "demo" });
  const cases = [
    ["on_pod_create", onPodCreate, ["create"]],
    ["on_pod_update", onPodUpdate, ["update"]],
    ["on_pod_delete", onPodDelete, ["delete"]],
    ["on_pod_all_changes", onPodAllChanges, ["create", "update", "delete"]],
  ] as const;

  for (const [name, factory, operations] of cases) {
    it(`${name} fires for ${operations.join(", ")} only`, () => {
      for (const operation of ["create", "update", "delete"] as const) {
        expect(fires(factory(), change(operation, obj)), operation).toBe((operations as readonly string[]).includes(operation));
      }
    });

    it(`${name} ignores other kinds and alerts`, () => {
      const deployment: Deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "demo" } };
      for (const operation of operations) expect(fires(factory(), change(operation, deployment))).toBe(false);
      expect(fires(factory(), alertEvent(fixtures.alert({ name: "A", labels: { pod: "web-0" } })))).toBe(false);
    });
  }

  it("hands the change itself to the playbook", () => {
    const incoming = change("update", obj);
    const type = triggerType("on_pod_update")!;
    expect(type.fires(incoming, parseTriggerParams(type, {}), envFor("pb", new RateLimiter(), new FakeClock()))).toBe(incoming);
  });
});

describe("common Kubernetes filters", () => {
  const update = (options: Parameters<typeof pod>[0]) => change("update", pod(options));

  it("name_prefix matches the start of the name", () => {
    expect(fires(onPodUpdate({ namePrefix: "web" }), update({ name: "web-0" }))).toBe(true);
    expect(fires(onPodUpdate({ namePrefix: "web" }), update({ name: "api-web-0" }))).toBe(false);
  });

  it("namespace_prefix matches the start of the namespace", () => {
    expect(fires(onPodUpdate({ namespacePrefix: "prod" }), update({ namespace: "prod-eu" }))).toBe(true);
    expect(fires(onPodUpdate({ namespacePrefix: "prod" }), update({ namespace: "staging" }))).toBe(false);
  });

  it("labels_selector refuses operators it does not support, rather than never firing", () => {
    expect(() => onPodUpdate({ labelsSelector: "app!=web" })).toThrow(/labels_selector: must be "key=value,key2=value2"/);
  });

  it("labels_selector needs every label, with exactly that value", () => {
    const labels = { app: "web", tier: "front" };
    expect(fires(onPodUpdate({ labelsSelector: "app=web" }), update({ labels }))).toBe(true);
    expect(fires(onPodUpdate({ labelsSelector: "app=web,tier=front" }), update({ labels }))).toBe(true);
    expect(fires(onPodUpdate({ labelsSelector: "app = web , tier = front" }), update({ labels }))).toBe(true);
    expect(fires(onPodUpdate({ labelsSelector: "app=web,tier=back" }), update({ labels }))).toBe(false);
    expect(fires(onPodUpdate({ labelsSelector: "app=we" }), update({ labels }))).toBe(false);
    expect(fires(onPodUpdate({ labelsSelector: "app=web,team=x" }), update({ labels }))).toBe(false);
  });

  it("combines the filters with AND", () => {
    const trigger = onPodUpdate({ namePrefix: "web", namespacePrefix: "prod", labelsSelector: "app=web" });
    expect(fires(trigger, update({ name: "web-0", namespace: "prod", labels: { app: "web" } }))).toBe(true);
    expect(fires(trigger, update({ name: "web-0", namespace: "dev", labels: { app: "web" } }))).toBe(false);
    expect(fires(trigger, update({ name: "api-0", namespace: "prod", labels: { app: "web" } }))).toBe(false);
  });
});

/** A pod whose init container is waiting after `restartCount` crashes. */
function crashingInitContainer(restartCount: number): Pod {
  const base = pod({ name: "job-0", namespace: "batch" });
  const init: ContainerStatus = {
    name: "migrate",
    image: "migrate:1",
    imageID: "",
    ready: false,
    restartCount,
    state: { waiting: { reason: "CrashLoopBackOff" } },
  };
  return { ...base, status: { ...base.status, phase: "Pending", initContainerStatuses: [init] } };
}

describe("on_pod_crash_loop", () => {
  const healthy = pod({ name: "api-7f9c-aaaaa", namespace: "prod", ownerReplicaSet: "api-7f9c" });
  const crashing = (restartCount: number, base: Pod = healthy) => change("update", crashLoopingPod(base, { restartCount }), base);

  it("fires from two restarts by default", () => {
    expect(fires(onPodCrashLoop(), crashing(1))).toBe(false);
    expect(fires(onPodCrashLoop(), crashing(2))).toBe(true);
  });

  it("honours restart_count", () => {
    expect(fires(onPodCrashLoop({ restartCount: 5 }), crashing(4))).toBe(false);
    expect(fires(onPodCrashLoop({ restartCount: 5 }), crashing(5))).toBe(true);
  });

  it("does not fire for a running container, however often it restarted", () => {
    const restartedButRunning = structuredClone(healthy);
    restartedButRunning.status!.containerStatuses![0]!.restartCount = 10;
    expect(fires(onPodCrashLoop(), change("update", restartedButRunning, healthy))).toBe(false);
  });

  it("matches restart_reason as a substring of the waiting reason", () => {
    expect(fires(onPodCrashLoop({ restartReason: "CrashLoop" }), crashing(3))).toBe(true);
    expect(fires(onPodCrashLoop({ restartReason: "ImagePull" }), crashing(3))).toBe(false);
  });

  it("counts init containers", () => {
    expect(fires(onPodCrashLoop(), change("update", crashingInitContainer(3)))).toBe(true);
    expect(fires(onPodCrashLoop(), change("update", crashingInitContainer(1)))).toBe(false);
  });

  it("matches terminated_reason against the last termination", () => {
    const oomLooping = crashLoopingPod(healthy, { restartCount: 3 });
    oomLooping.status!.containerStatuses![0]!.lastState = { terminated: { exitCode: 137, reason: "OOMKilled" } };
    expect(fires(onPodCrashLoop({ terminatedReason: "OOM" }), change("update", oomLooping, healthy))).toBe(true);
    // The fixture's last termination is a plain "Error".
    expect(fires(onPodCrashLoop({ terminatedReason: "OOM" }), crashing(3))).toBe(false);
  });

  it("fires on updates only", () => {
    const looping = crashLoopingPod(healthy, { restartCount: 5 });
    expect(fires(onPodCrashLoop(), change("create", looping))).toBe(false);
    expect(fires(onPodCrashLoop(), change("delete", looping))).toBe(false);
  });

  it("applies the common filters", () => {
    expect(fires(onPodCrashLoop({ namespacePrefix: "staging" }), crashing(3))).toBe(false);
    expect(fires(onPodCrashLoop({ namePrefix: "api-" }), crashing(3))).toBe(true);
  });

  describe("rate limit", () => {
    const second = pod({ name: "api-7f9c-bbbbb", namespace: "prod", ownerReplicaSet: "api-7f9c" });
    const otherOwner = pod({ name: "web-5d6e-ccccc", namespace: "prod", ownerReplicaSet: "web-5d6e" });

    it("fires once per owning ReplicaSet in four hours (the default)", () => {
      const clock = new FakeClock();
      const env = envFor("pb", new RateLimiter(), clock);
      expect(fires(onPodCrashLoop(), crashing(3), env)).toBe(true);
      expect(fires(onPodCrashLoop(), crashing(3, second), env)).toBe(false);
      expect(fires(onPodCrashLoop(), crashing(3, otherOwner), env)).toBe(true);
      clock.advance(4 * HOUR - 1000);
      expect(fires(onPodCrashLoop(), crashing(3, second), env)).toBe(false);
      clock.advance(1000);
      expect(fires(onPodCrashLoop(), crashing(3, second), env)).toBe(true);
    });

    it("keys on the namespace as well as the owner name", () => {
      const env = envFor("pb", new RateLimiter(), new FakeClock());
      const sameOwnerElsewhere = pod({ name: "api-7f9c-aaaaa", namespace: "staging", ownerReplicaSet: "api-7f9c" });
      expect(fires(onPodCrashLoop(), crashing(3), env)).toBe(true);
      expect(fires(onPodCrashLoop(), crashing(3, sameOwnerElsewhere), env)).toBe(true);
    });

    it("keys a pod without owner on its own name", () => {
      const env = envFor("pb", new RateLimiter(), new FakeClock());
      const bareA = pod({ name: "debug-a", namespace: "prod" });
      const bareB = pod({ name: "debug-b", namespace: "prod" });
      expect(fires(onPodCrashLoop(), crashing(3, bareA), env)).toBe(true);
      expect(fires(onPodCrashLoop(), crashing(3, bareB), env)).toBe(true);
      expect(fires(onPodCrashLoop(), crashing(4, bareA), env)).toBe(false);
    });

    it("is separate for each playbook", () => {
      const limiter = new RateLimiter();
      const clock = new FakeClock();
      expect(fires(onPodCrashLoop(), crashing(3), envFor("first", limiter, clock))).toBe(true);
      expect(fires(onPodCrashLoop(), crashing(3), envFor("second", limiter, clock))).toBe(true);
      expect(fires(onPodCrashLoop(), crashing(3), envFor("first", limiter, clock))).toBe(false);
    });

    it("honours a custom rate_limit", () => {
      const clock = new FakeClock();
      const env = envFor("pb", new RateLimiter(), clock);
      expect(fires(onPodCrashLoop({ rateLimit: 60 }), crashing(3), env)).toBe(true);
      expect(fires(onPodCrashLoop({ rateLimit: 60 }), crashing(3, second), env)).toBe(false);
      clock.advance(60 * 1000);
      expect(fires(onPodCrashLoop({ rateLimit: 60 }), crashing(3, second), env)).toBe(true);
    });

    it("never suppresses with rate_limit 0", () => {
      const env = envFor("pb", new RateLimiter(), new FakeClock());
      for (let i = 0; i < 3; i++) expect(fires(onPodCrashLoop({ rateLimit: 0 }), crashing(3), env)).toBe(true);
    });

    it("does not use up the limit on updates that do not crash-loop", () => {
      const env = envFor("pb", new RateLimiter(), new FakeClock());
      expect(fires(onPodCrashLoop(), crashing(1), env)).toBe(false);
      expect(fires(onPodCrashLoop(), crashing(3), env)).toBe(true);
    });
  });
});

describe("on_pod_oom_killed", () => {
  const running = pod({ name: "cart-1", namespace: "shop", ownerReplicaSet: "cart-55" });
  const killed = (base: Pod = running) => change("update", oomKilledPod(base), base);

  it("fires when a container's current state is terminated by OOMKilled", () => {
    expect(fires(onPodOomKilled(), killed())).toBe(true);
  });

  it("does not fire for an OOM kill that is only the last state of a running container", () => {
    const recovered = structuredClone(running);
    recovered.status!.containerStatuses![0]!.lastState = { terminated: { exitCode: 137, reason: "OOMKilled" } };
    recovered.status!.containerStatuses![0]!.restartCount = 1;
    expect(fires(onPodOomKilled(), change("update", recovered, running))).toBe(false);
  });

  it("does not fire for other terminations, or on create", () => {
    const errored = structuredClone(running);
    errored.status!.containerStatuses![0]!.state = { terminated: { exitCode: 1, reason: "Error" } };
    expect(fires(onPodOomKilled(), change("update", errored, running))).toBe(false);
    expect(fires(onPodOomKilled(), change("create", oomKilledPod(running)))).toBe(false);
  });

  describe("exclude", () => {
    const batchInJobs = killed(pod({ name: "batch-1", namespace: "jobs" }));
    const batchInProd = killed(pod({ name: "batch-1", namespace: "prod" }));
    const webInJobs = killed(pod({ name: "web-1", namespace: "jobs" }));
    const webInJobsTwo = killed(pod({ name: "web-1", namespace: "jobs-2" }));

    it("by name prefix alone, in any namespace", () => {
      const trigger = onPodOomKilled({ exclude: [{ name: "batch-" }] });
      expect(fires(trigger, batchInJobs)).toBe(false);
      expect(fires(trigger, batchInProd)).toBe(false);
      expect(fires(trigger, webInJobs)).toBe(true);
    });

    it("by namespace alone, matched exactly", () => {
      const trigger = onPodOomKilled({ exclude: [{ namespace: "jobs" }] });
      expect(fires(trigger, batchInJobs)).toBe(false);
      expect(fires(trigger, webInJobs)).toBe(false);
      expect(fires(trigger, webInJobsTwo)).toBe(true);
      expect(fires(trigger, batchInProd)).toBe(true);
    });

    it("by name and namespace together, only when both match", () => {
      const trigger = onPodOomKilled({ exclude: [{ name: "batch-", namespace: "jobs" }] });
      expect(fires(trigger, batchInJobs)).toBe(false);
      expect(fires(trigger, batchInProd)).toBe(true);
      expect(fires(trigger, webInJobs)).toBe(true);
    });

    it("by any of several rules", () => {
      const trigger = onPodOomKilled({ exclude: [{ namespace: "prod" }, { name: "web-" }] });
      expect(fires(trigger, batchInProd)).toBe(false);
      expect(fires(trigger, webInJobs)).toBe(false);
      expect(fires(trigger, batchInJobs)).toBe(true);
    });
  });

  it("fires once per owner an hour by default", () => {
    const clock = new FakeClock();
    const env = envFor("pb", new RateLimiter(), clock);
    const sibling = pod({ name: "cart-2", namespace: "shop", ownerReplicaSet: "cart-55" });
    expect(fires(onPodOomKilled(), killed(), env)).toBe(true);
    expect(fires(onPodOomKilled(), killed(sibling), env)).toBe(false);
    clock.advance(HOUR - 1000);
    expect(fires(onPodOomKilled(), killed(sibling), env)).toBe(false);
    clock.advance(1000);
    expect(fires(onPodOomKilled(), killed(sibling), env)).toBe(true);
  });

  it("has a rate limit separate from on_pod_crash_loop's in the same playbook", () => {
    const env = envFor("pb", new RateLimiter(), new FakeClock());
    const looping = crashLoopingPod(running, { restartCount: 3 });
    expect(fires(onPodCrashLoop(), change("update", looping, running), env)).toBe(true);
    expect(fires(onPodOomKilled(), killed(), env)).toBe(true);
  });
});

describe("on_prometheus_alert", () => {
  const alert = (options: Parameters<typeof fixtures.alert>[0]) => alertEvent(fixtures.alert(options));

  it("fires for any firing alert by default, and not for Kubernetes changes", () => {
    expect(fires(onPrometheusAlert(), alert({ name: "Anything" }))).toBe(true);
    expect(fires(onPrometheusAlert(), change("update", pod()))).toBe(false);
  });

  it("matches alert_name exactly", () => {
    expect(fires(onPrometheusAlert({ alertName: "KubePodCrashLooping" }), alert({ name: "KubePodCrashLooping" }))).toBe(true);
    expect(fires(onPrometheusAlert({ alertName: "KubePodCrashLooping" }), alert({ name: "KubePodCrashLoopingFast" }))).toBe(false);
    expect(fires(onPrometheusAlert({ alertName: "KubePod" }), alert({ name: "KubePodCrashLooping" }))).toBe(false);
  });

  it("fires for firing alerts only unless status says otherwise", () => {
    const firing = alert({ name: "A" });
    const resolved = alert({ name: "A", status: "resolved" });
    expect(fires(onPrometheusAlert(), resolved)).toBe(false);
    expect(fires(onPrometheusAlert({ status: "resolved" }), resolved)).toBe(true);
    expect(fires(onPrometheusAlert({ status: "resolved" }), firing)).toBe(false);
    expect(fires(onPrometheusAlert({ status: "all" }), firing)).toBe(true);
    expect(fires(onPrometheusAlert({ status: "all" }), resolved)).toBe(true);
  });

  it("matches pod_name_prefix against the pod label", () => {
    const trigger = onPrometheusAlert({ podNamePrefix: "api-" });
    expect(fires(trigger, alert({ name: "A", labels: { pod: "api-7f9c-aaaaa" } }))).toBe(true);
    expect(fires(trigger, alert({ name: "A", labels: { pod: "web-0" } }))).toBe(false);
    expect(fires(trigger, alert({ name: "A" }))).toBe(false);
  });

  it("matches namespace_prefix against the namespace label", () => {
    const trigger = onPrometheusAlert({ namespacePrefix: "prod" });
    expect(fires(trigger, alert({ name: "A", labels: { namespace: "prod-eu" } }))).toBe(true);
    expect(fires(trigger, alert({ name: "A", labels: { namespace: "dev" } }))).toBe(false);
    expect(fires(trigger, alert({ name: "A" }))).toBe(false);
  });

  it("matches instance_name_prefix against the instance label", () => {
    const trigger = onPrometheusAlert({ instanceNamePrefix: "10.0." });
    expect(fires(trigger, alert({ name: "A", labels: { instance: "10.0.3.4:9100" } }))).toBe(true);
    expect(fires(trigger, alert({ name: "A", labels: { instance: "192.168.1.1:9100" } }))).toBe(false);
  });

  it("matches scope against the alert's labels and annotations, exclude first, regexes on whole values", () => {
    const trigger = onPrometheusAlert({
      scope: { include: [{ labels: "severity=critical|warning, namespace!=kube-.*" }], exclude: [{ annotations: "runbook_url=.*/ignored/.*" }] },
    });
    expect(fires(trigger, alert({ name: "A", labels: { severity: "critical", namespace: "shop" } }))).toBe(true);
    expect(fires(trigger, alert({ name: "A", labels: { severity: "critical", namespace: "kube-system" } }))).toBe(false);
    expect(fires(trigger, alert({ name: "A", labels: { severity: "info", namespace: "shop" } }))).toBe(false);
    expect(fires(trigger, alert({ name: "A", labels: { severity: "critic", namespace: "shop" } }))).toBe(false);
    expect(fires(trigger, alert({ name: "A", labels: { severity: "warning", namespace: "shop" }, annotations: { runbook_url: "https://x/ignored/a" } }))).toBe(false);
  });

  it("allows only labels and annotations in its scope", () => {
    expect(() => onPrometheusAlert({ scope: { include: [{ name: "x" } as never] } })).toThrow(/scope\.include\.0.*name/);
  });

  it("fires only on clusters of the k8s_providers, any case, and never where the provider is unknown", () => {
    const on = (clusterProvider?: string): TriggerEnv => ({ ...envFor("pb", new RateLimiter(), new FakeClock()), ...(clusterProvider !== undefined && { clusterProvider }) });
    const trigger = onPrometheusAlert({ k8sProviders: ["GKE", "eks"] });
    expect(fires(trigger, alert({ name: "A" }), on("GKE"))).toBe(true);
    expect(fires(trigger, alert({ name: "A" }), on("EKS"))).toBe(true);
    expect(fires(trigger, alert({ name: "A" }), on("AKS"))).toBe(false);
    expect(fires(trigger, alert({ name: "A" }), on())).toBe(false);
    expect(fires(onPrometheusAlert({ k8sProviders: [] }), alert({ name: "A" }), on())).toBe(true);
    expect(() => onPrometheusAlert({ k8sProviders: ["GCP"] })).toThrow(/k8s_providers\.0: unknown provider "GCP"/);
  });
});

describe("trigger parameters", () => {
  const errorOf = (make: () => unknown): TriggerParamsError => {
    try {
      make();
    } catch (error) {
      expect(error).toBeInstanceOf(TriggerParamsError);
      return error as TriggerParamsError;
    }
    throw new Error("expected a TriggerParamsError");
  };

  it("refuses an unknown parameter, naming the trigger and the parameter", () => {
    const error = errorOf(() => parseTriggerParams(triggerType("on_pod_crash_loop")!, { restart_cont: 3 }));
    expect(error.trigger).toBe("on_pod_crash_loop");
    expect(error.message).toContain("on_pod_crash_loop");
    expect(error.message).toContain("restart_cont");
  });

  it("refuses a parameter of the wrong type, naming it", () => {
    const error = errorOf(() => parseTriggerParams(triggerType("on_pod_crash_loop")!, { restart_count: "3" }));
    expect(error.message).toContain("on_pod_crash_loop");
    expect(error.message).toContain("restart_count");
    expect(error.issues.map((issue) => issue.path)).toEqual(["restart_count"]);
  });

  it("refuses a negative rate limit and an unknown alert status", () => {
    expect(errorOf(() => onPodOomKilled({ rateLimit: -1 })).message).toContain("rate_limit");
    expect(errorOf(() => onPrometheusAlert({ status: "pending" as "firing" })).message).toContain("status");
  });

  it("refuses a malformed labels_selector", () => {
    for (const selector of ["app", "app==web", "app=web,", "=web"]) {
      const error = errorOf(() => onPodUpdate({ labelsSelector: selector }));
      expect(error.message).toContain("on_pod_update");
      expect(error.message).toContain("labels_selector");
    }
  });

  it("validates in the factory, so a bad parameter fails where the decorator is written", () => {
    // @ts-expect-error: restartCont is not a parameter of on_pod_crash_loop.
    const error = errorOf(() => onPodCrashLoop({ restartCont: 3 }));
    expect(error.message).toContain("restart_cont");
  });

  it("fills in Robusta's defaults", () => {
    expect(parseTriggerParams(triggerType("on_pod_crash_loop")!, {})).toMatchObject({ rate_limit: 14400, restart_count: 2 });
    expect(parseTriggerParams(triggerType("on_pod_oom_killed")!, {})).toMatchObject({ rate_limit: 3600, exclude: [] });
    expect(parseTriggerParams(triggerType("on_prometheus_alert")!, {})).toMatchObject({ status: "firing" });
  });

  it("the camelCase factories store the parameters as written, in snake_case, in .spec", () => {
    expect(onPodCrashLoop({ restartCount: 3 }).spec).toEqual({ name: "on_pod_crash_loop", params: { restart_count: 3 } });
    expect(onPodCrashLoop().spec).toEqual({ name: "on_pod_crash_loop", params: {} });
    expect(onPrometheusAlert({ alertName: "KubePodCrashLooping", podNamePrefix: "api" }).spec).toEqual({
      name: "on_prometheus_alert",
      params: { alert_name: "KubePodCrashLooping", pod_name_prefix: "api" },
    });
    expect(onPodUpdate({ labelsSelector: "app=web" }).spec.params).toEqual({ labels_selector: "app=web" });
  });

  it("leaves the keys of nested parameter objects as they are", () => {
    expect(onPodOomKilled({ exclude: [{ name: "batch-", namespace: "jobs" }], rateLimit: 60 }).spec.params).toEqual({
      exclude: [{ name: "batch-", namespace: "jobs" }],
      rate_limit: 60,
    });
  });
});
