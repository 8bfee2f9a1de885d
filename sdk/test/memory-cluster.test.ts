import { describe, expect, it } from "vitest";
import { ownerChain, type KubernetesObject, type Pod } from "../src/index.js";
import { InMemoryCluster, fixtures } from "../src/testing/index.js";

const rs = {
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  metadata: { name: "web-1", namespace: "demo", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "u", controller: true }] },
};
const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "demo" } };

describe("InMemoryCluster", () => {
  it("hands out frozen objects: a playbook cannot change the cluster by changing what it read", async () => {
    const cluster = new InMemoryCluster().apply(fixtures.pod({ name: "a", namespace: "demo" }));
    const pod = (await cluster.get("Pod", "a", "demo")) as Pod;
    expect(() => {
      pod.metadata!.labels!.app = "changed";
    }).toThrow(TypeError);
    expect((await cluster.get("Pod", "a", "demo"))?.metadata?.labels?.app).toBe("a");
  });

  it("applies patches, deletes, evictions and creates, and records each write", async () => {
    const cluster = new InMemoryCluster().apply(fixtures.pod({ name: "a", namespace: "demo" }), fixtures.pod({ name: "b", namespace: "demo" }));
    cluster.apply({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" }, spec: {} });
    await cluster.patch("Node", "n1", undefined, { spec: { unschedulable: true } });
    await cluster.delete("Pod", "a", "demo", { gracePeriodSeconds: 0 });
    await cluster.evict("b", "demo");
    await cluster.create({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "fix", namespace: "demo" } });

    expect((await cluster.get("Node", "n1")) as { spec: unknown }).toMatchObject({ spec: { unschedulable: true } });
    expect(await cluster.list("Pod", { namespace: "demo" })).toEqual([]);
    expect(await cluster.get("Job", "fix", "demo")).toBeDefined();
    expect(cluster.writes.map((w) => `${w.verb} ${w.kind}/${w.name}`)).toEqual(["patch Node/n1", "delete Pod/a", "evict Pod/b", "create Job/fix"]);
    await expect(cluster.delete("Pod", "a", "demo")).rejects.toThrow("Pod demo/a not found");
  });

  it("removes a field a merge patch sets to null", async () => {
    const cluster = new InMemoryCluster().apply({ apiVersion: "v1", kind: "Node", metadata: { name: "n1", labels: { a: "1", b: "2" } } });
    await cluster.patch("Node", "n1", undefined, { metadata: { labels: { a: null } } });
    expect((await cluster.get("Node", "n1"))?.metadata?.labels).toEqual({ b: "2" });
  });

  it("fails a write it was told to fail, and records nothing", async () => {
    const cluster = new InMemoryCluster().apply(fixtures.pod({ name: "a", namespace: "demo" }));
    cluster.failOn("evict", new Error("Cannot evict pod as it would violate the pod's disruption budget."));
    await expect(cluster.evict("a", "demo")).rejects.toThrow("disruption budget");
    expect(cluster.writes).toEqual([]);
  });
});

describe("ownerChain", () => {
  it("follows controller references up, and stops where an owner is missing", async () => {
    const pod = fixtures.pod({ name: "web-1-x", namespace: "demo", ownerReplicaSet: "web-1" });
    const cluster = new InMemoryCluster().apply<KubernetesObject>(rs, deployment, pod);
    expect((await ownerChain(cluster, pod)).map((o) => o.kind)).toEqual(["ReplicaSet", "Deployment"]);
    cluster.remove("Deployment", "web", "demo");
    expect((await ownerChain(cluster, pod)).map((o) => o.kind)).toEqual(["ReplicaSet"]);
    expect(await ownerChain(cluster, fixtures.pod())).toEqual([]);
  });
});
