import { describe, expect, it } from "vitest";
import {
  ActionRegistry,
  customResourceTriggers,
  definePlaybook,
  Engine,
  markdown,
  onCustomResourceUpdate,
  onDeploymentUpdate,
  onKubernetesResourceOperation,
  onPrometheusAlert,
  parseTriggerParams,
  RateLimiter,
  triggerType,
  type Deployment,
  type IncomingEvent,
  type KubernetesChangeEvent,
  type KubernetesObject,
  type PlaybookDefinition,
  type Trigger,
  type TriggerEnv,
} from "../src/index.js";
import { alertEvent } from "../src/events/alertmanager.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";

const env: TriggerEnv = { playbook: "pb", now: new Date("2026-01-01T00:00:00Z"), markAndTest: (key, seconds) => new RateLimiter().markAndTest(key, seconds, new Date()) };

function fire(trigger: Trigger, incoming: IncomingEvent) {
  const type = triggerType(trigger.spec.name)!;
  return type.fires(incoming, parseTriggerParams(type, trigger.spec.params), env) as KubernetesChangeEvent | undefined;
}

const deployment = (options: { image?: string; replicas?: number; ready?: number; generation?: number; resourceVersion?: string } = {}): Deployment => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "demo", generation: options.generation ?? 1, resourceVersion: options.resourceVersion ?? "1" },
  spec: { replicas: options.replicas ?? 2, selector: {}, template: { spec: { containers: [{ name: "app", image: options.image ?? "web:1" }] } } },
  status: { readyReplicas: options.ready ?? 2 },
});

interface Rollout extends KubernetesObject {
  spec?: { replicas?: number; strategy?: { canary?: { steps?: unknown[] } } };
  status?: { phase?: string };
}

const rollout = (phase: string, apiVersion = "argoproj.io/v1alpha1"): Rollout => ({ apiVersion, kind: "Rollout", metadata: { name: "checkout", namespace: "shop" }, spec: { replicas: 3 }, status: { phase } });

const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "demo" }, data: { a: "1" } };

function engine(playbooks: PlaybookDefinition[], clusterProvider?: string) {
  return new Engine({
    playbooks,
    actions: new ActionRegistry(),
    cluster: new InMemoryCluster(),
    logger: new MemoryLogger(),
    clock: new FakeClock(),
    defaultSinks: ["main"],
    ...(clusterProvider !== undefined && { clusterProvider }),
  });
}

const say = (name: string, trigger: Trigger) => definePlaybook({ name, triggers: [trigger], run: (_e, ctx) => ctx.addEnrichment([markdown(name)]) });

describe("on_kubernetes_resource_operation", () => {
  it("by default fires for spec changes only: not for status, generation or replica count", () => {
    const trigger = onKubernetesResourceOperation({ resources: ["deployment"] });
    const update = (after: Deployment) => fixtures.change("update", after, deployment());
    expect(fire(trigger, update(deployment({ ready: 0, resourceVersion: "2" })))).toBeUndefined();
    expect(fire(trigger, update(deployment({ replicas: 5, generation: 2, resourceVersion: "2" })))).toBeUndefined();
    const fired = fire(trigger, update(deployment({ image: "web:2", generation: 2, resourceVersion: "2" })));
    expect(fired?.filteredDiffs).toEqual([{ path: "spec.template.spec.containers[0].image", old: "web:1", new: "web:2" }]);
  });

  it("fires for creates and deletes of the listed kinds, in any case, and the listed operations only", () => {
    expect(fire(onKubernetesResourceOperation({ resources: ["Deployment"] }), fixtures.change("create", deployment()))).toBeDefined();
    expect(fire(onKubernetesResourceOperation({ resources: ["deployment"] }), fixtures.change("create", configMap))).toBeUndefined();
    expect(fire(onKubernetesResourceOperation({ resources: ["configmap"], operations: ["delete"] }), fixtures.change("create", configMap))).toBeUndefined();
    expect(fire(onKubernetesResourceOperation({ resources: ["configmap"], operations: ["delete"] }), fixtures.change("delete", configMap))).toBeDefined();
    expect(fire(onKubernetesResourceOperation(), fixtures.change("create", configMap))).toBeDefined();
  });

  it("takes the default include or ignore for the one change_filters leaves out", () => {
    const update = fixtures.change("update", deployment({ replicas: 5, ready: 0 }), deployment());
    // include given, ignore defaulted: the replica count is still ignored, status too.
    expect(fire(onKubernetesResourceOperation({ changeFilters: { include: ["replicas"] } }), update)).toBeUndefined();
    // ignore given, include defaulted: spec.replicas now counts.
    expect(fire(onKubernetesResourceOperation({ changeFilters: { ignore: ["status"] } }), update)?.filteredDiffs).toEqual([{ path: "spec.replicas", old: 2, new: 5 }]);
  });

  it("refuses a resource it cannot name the kind of, and an unknown operation", () => {
    expect(() => onKubernetesResourceOperation({ resources: ["deploymnet"] })).toThrow(/resources\.0: unknown resource "deploymnet"/);
    expect(() => onKubernetesResourceOperation({ operations: ["patch" as "update"] })).toThrow(/operations\.0/);
  });

  it("makes the engine watch the listed kinds, spelt as Kubernetes spells them, or every kind without a list", async () => {
    const listed = engine([say("tracked", onKubernetesResourceOperation({ resources: ["deployment", "horizontalpodautoscaler", "Rollout"] }))]);
    expect(listed.watchedKinds).toEqual(["Deployment", "HorizontalPodAutoscaler", "Rollout"]);
    expect(listed.watchesAnyKind).toBe(false);
    expect((await listed.handle(fixtures.change("create", deployment()))).runs.map((r) => r.playbook)).toEqual(["tracked"]);
    expect((await listed.handle(fixtures.change("create", configMap))).runs).toEqual([]);

    const all = engine([say("everything", onKubernetesResourceOperation())]);
    expect(all.watchesAnyKind).toBe(true);
    expect((await all.handle(fixtures.change("create", configMap))).runs.map((r) => r.playbook)).toEqual(["everything"]);
  });
});

describe("custom resource triggers", () => {
  const rollouts = customResourceTriggers<Rollout>({ group: "argoproj.io", version: "v1alpha1", plural: "rollouts", kind: "Rollout" });

  it("are the YAML on_custom_resource_* triggers with the resource and kind", () => {
    expect(rollouts.onUpdate({ namespacePrefix: "shop" }).spec).toEqual({
      name: "on_custom_resource_update",
      params: { namespace_prefix: "shop", resource: "argoproj.io/v1alpha1/rollouts", kind: "Rollout" },
    });
    expect(rollouts.onAllChanges().spec.name).toBe("on_custom_resource_all_changes");
  });

  it("fire for changes of that kind in that group, with the operations of their name", () => {
    const update = fixtures.change("update", rollout("Degraded"), rollout("Healthy"));
    expect(fire(rollouts.onUpdate(), update)?.obj).toEqual(rollout("Degraded"));
    expect(fire(rollouts.onCreate(), update)).toBeUndefined();
    expect(fire(rollouts.onAllChanges(), fixtures.change("delete", rollout("Healthy")))).toBeDefined();
    expect(fire(rollouts.onUpdate(), fixtures.change("update", rollout("Degraded", "other.example.com/v1"), rollout("Healthy", "other.example.com/v1")))).toBeUndefined();
    expect(fire(rollouts.onUpdate(), fixtures.change("update", deployment(), deployment()))).toBeUndefined();
  });

  it("take the common parameters: scope and change_filters", () => {
    const update = fixtures.change("update", rollout("Degraded"), rollout("Healthy"));
    expect(fire(rollouts.onUpdate({ changeFilters: { include: ["spec"] } }), update)).toBeUndefined();
    expect(fire(rollouts.onUpdate({ scope: { include: [{ attributes: "status.phase=degraded" }] } }), update)).toBeDefined();
  });

  it("need the resource as group/version/plural and the kind as the CRD spells it", () => {
    expect(() => onCustomResourceUpdate({ resource: "rollouts", kind: "Rollout" })).toThrow(/resource: must be "group\/version\/plural"/);
    expect(() => onCustomResourceUpdate({ resource: "argoproj.io/v1alpha1/rollouts", kind: "rollout" })).toThrow(/kind: must be the Kind as the CRD spells it/);
    expect(() => onCustomResourceUpdate({ kind: "Rollout" } as never)).toThrow(/resource/);
  });

  it("make the engine watch the custom resource and run the playbook for its kind", async () => {
    const e = engine([
      say("rollouts", rollouts.onUpdate()),
      say("certificates", onCustomResourceUpdate({ resource: "cert-manager.io/v1/certificates", kind: "Certificate" })),
      say("deployments", onDeploymentUpdate()),
    ]);
    expect(e.watchedCustomResources).toEqual(["argoproj.io/v1alpha1/rollouts", "cert-manager.io/v1/certificates"]);
    expect(e.watchedKinds).toEqual(["Deployment"]);
    const result = await e.handle(fixtures.change("update", rollout("Degraded"), rollout("Healthy")));
    expect(result.runs.map((r) => r.playbook)).toEqual(["rollouts"]);
  });
});

describe("the cluster provider", () => {
  it("reaches on_prometheus_alert's k8s_providers through the engine", async () => {
    const alert = alertEvent(fixtures.alert({ name: "NodeDown" }));
    const playbooks = [say("gke-only", onPrometheusAlert({ k8sProviders: ["gke"] })), say("any", onPrometheusAlert())];
    expect((await engine(playbooks, "GKE").handle(alert)).runs.map((r) => r.playbook)).toEqual(["gke-only", "any"]);
    expect((await engine(playbooks, "EKS").handle(alert)).runs.map((r) => r.playbook)).toEqual(["any"]);
    expect((await engine(playbooks).handle(alert)).runs.map((r) => r.playbook)).toEqual(["any"]);
  });
});
