import { describe, expect, it } from "vitest";
import type { Job, KubernetesChangeEvent, KubernetesObject, Pod } from "@robusta-ts/sdk";
import { fixtures } from "@robusta-ts/sdk/testing";
import { advancedFilter, namespaceAllowed } from "../../src/kubernetes/filters.js";
import { ingest, REDACTED } from "../../src/kubernetes/ingest.js";
import type { ServedResource } from "../../src/kubernetes/resources.js";

const change = <T extends KubernetesObject>(operation: "create" | "update" | "delete", obj: T, oldObj?: T) =>
  fixtures.change(operation, obj, oldObj) as KubernetesChangeEvent;

describe("namespace filter", () => {
  it("keeps included namespaces, drops excluded ones, and always keeps cluster-scoped objects", () => {
    expect(namespaceAllowed("prod", { include: [], exclude: [] })).toBe(true);
    expect(namespaceAllowed("kube-system", { include: [], exclude: ["kube-system"] })).toBe(false);
    expect(namespaceAllowed("dev", { include: ["prod", "staging"], exclude: [] })).toBe(false);
    expect(namespaceAllowed("prod", { include: ["prod"], exclude: ["prod"] })).toBe(false);
    expect(namespaceAllowed(undefined, { include: ["prod"], exclude: [] })).toBe(true);
  });
});

describe("ADVANCED_FILTERS", () => {
  const pod = fixtures.pod();
  const relabelled: Pod = { ...pod, metadata: { ...pod.metadata, labels: { app: "x" } } };

  it("keeps pod creates and deletes, drops status-only updates of a healthy pod", () => {
    expect(advancedFilter(change("create", pod))).toBe(true);
    expect(advancedFilter(change("delete", pod))).toBe(true);
    expect(advancedFilter(change("update", relabelled, pod))).toBe(false);
  });

  it("keeps pod updates that change the spec or show trouble", () => {
    const respec: Pod = { ...pod, spec: { ...pod.spec!, containers: [{ name: "app", image: "registry.example/app:2.0" }] } };
    expect(advancedFilter(change("update", respec, pod))).toBe(true);
    expect(advancedFilter(change("update", fixtures.crashLoopingPod(pod), pod))).toBe(true);
    expect(advancedFilter(change("update", fixtures.oomKilledPod(pod), pod))).toBe(true);
    expect(advancedFilter(change("update", { ...pod, status: { ...pod.status, reason: "Evicted" } }, pod))).toBe(true);
    const pulling: Pod = structuredClone(pod);
    pulling.status!.containerStatuses![0]!.state = { waiting: { reason: "ImagePullBackOff" } };
    expect(advancedFilter(change("update", pulling, pod))).toBe(true);
  });

  it("keeps only created Warning or Evicted events", () => {
    const warning = fixtures.warningEvent(pod, "BackOff", "Back-off");
    expect(advancedFilter(change("create", warning))).toBe(true);
    expect(advancedFilter(change("update", warning, warning))).toBe(false);
    expect(advancedFilter(change("delete", warning))).toBe(false);
    expect(advancedFilter(change("create", { ...warning, type: "Normal" }))).toBe(false);
    expect(advancedFilter(change("create", { ...warning, type: "Normal", reason: "Evicted" }))).toBe(true);
  });

  it("keeps job updates only when the spec changes or the job failed", () => {
    const job: Job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "j", namespace: "d" }, spec: { template: {} }, status: { active: 1 } };
    expect(advancedFilter(change("update", { ...job, status: { active: 0 } }, job))).toBe(false);
    expect(advancedFilter(change("update", { ...job, status: { conditions: [{ type: "Failed", status: "True" }] } }, job))).toBe(true);
    expect(advancedFilter(change("update", { ...job, spec: { template: {}, parallelism: 2 } }, job))).toBe(true);
  });

  it("lets every change of other kinds through", () => {
    const node = { apiVersion: "v1", kind: "Node", metadata: { name: "n" } };
    expect(advancedFilter(change("update", node, node))).toBe(true);
  });
});

describe("ingest", () => {
  const served = (kind: string, apiVersion = "v1"): ServedResource => ({
    type: { kind, plural: `${kind.toLowerCase()}s`, namespaced: true, locations: [{ group: "", version: "v1" }] },
    group: "",
    version: "v1",
    apiVersion,
  });

  it("drops managedFields and restores kind and apiVersion", () => {
    const obj: KubernetesObject = { metadata: { name: "p", managedFields: [{ manager: "kubectl", operation: "Apply" }] } };
    expect(ingest(obj, served("Pod"))).toEqual({ kind: "Pod", apiVersion: "v1", metadata: { name: "p" } });
  });

  it("redacts every Secret value, including the last-applied manifest", () => {
    const secret = {
      metadata: { name: "s", annotations: { "kubectl.kubernetes.io/last-applied-configuration": '{"data":{"password":"aHVudGVyMg=="}}' } },
      data: { password: "aHVudGVyMg==" },
      stringData: { token: "t0k3n" },
    };
    const out = ingest(secret, served("Secret"));
    expect(JSON.stringify(out)).not.toMatch(/aHVudGVyMg|t0k3n/);
    expect(out.data).toEqual({ password: REDACTED });
  });
});
