import { describe, expect, it } from "vitest";
import {
  cutPodSpec,
  diffObjects,
  diffValues,
  isCutPodSpec,
  onDeploymentUpdate,
  onDeploymentAllChanges,
  onPodCrashLoop,
  onPodUpdate,
  parseTriggerParams,
  RateLimiter,
  triggerType,
  withoutFields,
  type Deployment,
  type IncomingEvent,
  type KubernetesChangeEvent,
  type Pod,
  type Trigger,
  type TriggerEnv,
} from "../src/index.js";
import { fixtures } from "../src/testing/index.js";
import { envFor } from "./support/trigger-env.js";

const env = (limiter = new RateLimiter()): TriggerEnv => envFor("pb", limiter);

function fire(trigger: Trigger, incoming: IncomingEvent, triggerEnv: TriggerEnv = env()) {
  const type = triggerType(trigger.spec.name)!;
  return type.fires(incoming, parseTriggerParams(type, trigger.spec.params), triggerEnv) as KubernetesChangeEvent | undefined;
}

/** Freezes the whole object graph, as events shared across playbooks must be treated. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const deployment = (options: { image?: string; replicas?: number; resourceVersion?: string; ready?: number } = {}): Deployment => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "demo", generation: 1, resourceVersion: options.resourceVersion ?? "1" },
  spec: {
    replicas: options.replicas ?? 2,
    selector: { matchLabels: { app: "web" } },
    template: { spec: { containers: [{ name: "app", image: options.image ?? "web:1" }] } },
  },
  status: { readyReplicas: options.ready ?? 2 },
});

describe("field diffs", () => {
  it("name each changed leaf by its path, with both values", () => {
    expect(diffValues(deployment(), deployment({ image: "web:2", ready: 1 }))).toEqual([
      { path: "spec.template.spec.containers[0].image", old: "web:1", new: "web:2" },
      { path: "status.readyReplicas", old: 2, new: 1 },
    ]);
  });

  it("report an added or removed subtree as one diff, and treat absent, null, {} and [] alike", () => {
    const before = { spec: { containers: [{ name: "a" }], volumes: [] as unknown[] }, metadata: { labels: {} } };
    const after = { spec: { containers: [{ name: "a" }, { name: "b", image: "b:1" }], volumes: null }, metadata: {} };
    expect(diffValues(before, after)).toEqual([{ path: "spec.containers[1]", new: { name: "b", image: "b:1" } }]);
    expect(diffValues({ a: { b: 1 } }, {})).toEqual([{ path: "a", old: { b: 1 } }]);
  });

  it("quote keys with dots, so a path can be written back into ignore", () => {
    const before = { metadata: { annotations: { "deployment.kubernetes.io/revision": "1" } } };
    const after = { metadata: { annotations: { "deployment.kubernetes.io/revision": "2" } } };
    const [diff] = diffValues(before, after);
    expect(diff?.path).toBe('metadata.annotations["deployment.kubernetes.io/revision"]');
    expect(diffValues(withoutFields(before, [diff!.path]), withoutFields(after, [diff!.path]))).toEqual([]);
  });

  it("leave ignored paths out without changing the objects given", () => {
    const before = deepFreeze(deployment());
    const after = deepFreeze(deployment({ replicas: 5, resourceVersion: "2" }));
    expect(diffObjects(before, after, { ignore: ["spec.replicas", "metadata.resourceVersion"] })).toEqual([]);
    expect(diffObjects(before, after, { ignore: ["metadata"] })).toEqual([{ path: "spec.replicas", old: 2, new: 5 }]);
  });
});

describe("change_filters", () => {
  const update = (before: Deployment, after: Deployment) => deepFreeze(fixtures.change("update", after, before));

  it("fires an update only when a changed path contains an include substring", () => {
    const trigger = onDeploymentUpdate({ changeFilters: { include: ["image"] } });
    expect(fire(trigger, update(deployment(), deployment({ image: "web:2" })))).toBeDefined();
    expect(fire(trigger, update(deployment(), deployment({ replicas: 3 })))).toBeUndefined();
  });

  it("with no include, fires for any change left after ignore", () => {
    const trigger = onDeploymentUpdate({ changeFilters: { ignore: ["status", "metadata.resourceVersion"] } });
    expect(fire(trigger, update(deployment(), deployment({ ready: 1, resourceVersion: "2" })))).toBeUndefined();
    expect(fire(trigger, update(deployment(), deployment({ replicas: 3, resourceVersion: "2" })))).toBeDefined();
  });

  it("does not count ignored paths as changes, even under an included path", () => {
    const trigger = onDeploymentUpdate({ changeFilters: { include: ["spec"], ignore: ["spec.replicas"] } });
    expect(fire(trigger, update(deployment(), deployment({ replicas: 3 })))).toBeUndefined();
    expect(fire(trigger, update(deployment(), deployment({ replicas: 3, image: "web:2" })))).toBeDefined();
  });

  it("puts the changes on a new event, leaving the shared one as it was", () => {
    const incoming = update(deployment(), deployment({ image: "web:2", ready: 0 }));
    const fired = fire(onDeploymentUpdate({ changeFilters: { include: ["spec"] } }), incoming);
    expect(fired).not.toBe(incoming);
    expect(fired?.filteredDiffs).toEqual([{ path: "spec.template.spec.containers[0].image", old: "web:1", new: "web:2" }]);
    expect(incoming.filteredDiffs).toBeUndefined();
    expect(fired?.obj).toBe(incoming.obj);
  });

  it("lets creates and deletes through, with no diffs", () => {
    const trigger = onDeploymentAllChanges({ changeFilters: { include: ["image"] } });
    expect(fire(trigger, deepFreeze(fixtures.change("create", deployment())))?.filteredDiffs).toEqual([]);
    expect(fire(trigger, deepFreeze(fixtures.change("delete", deployment())))?.filteredDiffs).toEqual([]);
  });

  it("compares nothing when absent: the event is handed on as it came", () => {
    const incoming = update(deployment(), deployment({ ready: 1 }));
    expect(fire(onDeploymentUpdate(), incoming)).toBe(incoming);
  });

  it("counts everything as changed on an update that came without its old version", () => {
    const fired = fire(onDeploymentUpdate({ changeFilters: { include: ["spec"] } }), deepFreeze(fixtures.change("update", deployment())));
    expect(fired?.filteredDiffs?.map((d) => d.path)).toEqual(["spec"]);
  });

  it("rejects a malformed ignore path, naming it", () => {
    expect(() => onDeploymentUpdate({ changeFilters: { ignore: ["spec..replicas"] } })).toThrow(/change_filters\.ignore\.0: path "spec\.\.replicas": empty key/);
    expect(() => onDeploymentUpdate({ changeFilters: { exclude: ["x"] } as never })).toThrow(/change_filters.*exclude/);
  });

  it("is checked before a smart trigger's rate limit, so a filtered-out change does not use it up", () => {
    const limiter = new RateLimiter();
    const healthy = fixtures.pod({ name: "api-1", ownerReplicaSet: "api-rs" });
    const crashing = fixtures.crashLoopingPod(healthy, { restartCount: 3 });
    const trigger = onPodCrashLoop({ changeFilters: { include: ["image"] } });
    expect(fire(trigger, fixtures.change("update", crashing, healthy), env(limiter))).toBeUndefined();
    const newImage = structuredClone(crashing);
    newImage.spec!.containers[0]!.image = "registry.example/app:2.0";
    expect(fire(trigger, fixtures.change("update", newImage, healthy), env(limiter))).toBeDefined();
  });
});

describe("change_filters on pods cached cut down by the runner's watch", () => {
  /** A pod as the API server returns it, with the spec fields it defaults. */
  const serverPod = (image = "registry.example/app:1.0"): Pod => {
    const pod = fixtures.pod({ name: "web-0", namespace: "demo", nodeName: "node-1", image });
    pod.metadata = { ...pod.metadata, uid: "5f0c1f6e-web-0" };
    pod.spec = {
      ...pod.spec!,
      containers: pod.spec!.containers.map((c) => ({ ...c, imagePullPolicy: "IfNotPresent", terminationMessagePath: "/dev/termination-log", env: [{ name: "MODE", value: "prod" }] })),
      restartPolicy: "Always",
      dnsPolicy: "ClusterFirst",
      schedulerName: "default-scheduler",
      terminationGracePeriodSeconds: 30,
      serviceAccountName: "default",
      volumes: [{ name: "data", emptyDir: {} }],
    };
    return pod;
  };
  /** What the watch keeps of it, and hands to the next update as oldObj. */
  const cached = (pod: Pod): Pod => ({ ...pod, spec: cutPodSpec(pod.spec!) });

  it("are recognised by their shape, whole server pods are not", () => {
    expect(isCutPodSpec(cached(serverPod()).spec)).toBe(true);
    expect(isCutPodSpec(serverPod().spec)).toBe(false);
  });

  it("do not fire include: [spec] for a status-only change", () => {
    const before = cached(serverPod());
    const after = fixtures.crashLoopingPod(serverPod(), { restartCount: 1 });
    expect(fire(onPodUpdate({ changeFilters: { include: ["spec"] } }), fixtures.change("update", after, before))).toBeUndefined();
    expect(fire(onPodUpdate({ changeFilters: { include: ["status"] } }), fixtures.change("update", after, before))?.filteredDiffs).not.toEqual([]);
  });

  it("fire include: [spec] for an image change, reporting only that", () => {
    const fired = fire(onPodUpdate({ changeFilters: { include: ["spec"] } }), fixtures.change("update", serverPod("registry.example/app:2.0"), cached(serverPod())));
    expect(fired?.filteredDiffs).toEqual([{ path: "spec.containers[0].image", old: "registry.example/app:1.0", new: "registry.example/app:2.0" }]);
  });

  it("still compare whole pods whole", () => {
    const before = serverPod();
    const after = serverPod();
    after.spec!.activeDeadlineSeconds = 60;
    expect(diffObjects(before, after).map((d) => d.path)).toEqual(["spec.activeDeadlineSeconds"]);
  });
});
