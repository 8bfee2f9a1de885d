import { describe, expect, it } from "vitest";
import { findingAttributes, workloadOf } from "../../src/routing/attributes.js";
import { finding } from "./helpers.js";

const pod = (name: string, labels: Record<string, string> = {}) => ({ name, subjectType: "pod", labels, annotations: {} });

describe("routing attributes", () => {
  it("gives Robusta's attribute_map, with 'None' for what is missing", () => {
    const f = finding({ title: "Node not ready", aggregationKey: "KubeNodeNotReady", severity: "HIGH", source: "PROMETHEUS", findingType: "ISSUE", subject: { name: "worker-1", subjectType: "node", namespace: undefined, labels: { zone: "a" } } });
    expect(findingAttributes(f, "prod-eu")).toEqual({
      title: "Node not ready",
      identifier: "KubeNodeNotReady",
      severity: "HIGH",
      source: "PROMETHEUS",
      type: "ISSUE",
      kind: "node",
      namespace: "None",
      node: "None",
      name: "worker-1",
      labels: { zone: "a" },
      annotations: {},
      cluster: "prod-eu",
      workload: "None",
    });
  });

  it("finds a pod's workload from the labels Kubernetes sets", () => {
    expect(workloadOf(pod("web-7d9f8b6c5-x2x4q", { "pod-template-hash": "7d9f8b6c5" }))).toBe("web");
    expect(workloadOf(pod("db-2", { "statefulset.kubernetes.io/pod-name": "db-2" }))).toBe("db");
    expect(workloadOf(pod("backup-28391234-abcde", { "job-name": "backup-28391234" }))).toBe("backup-28391234");
  });

  it("strips generated suffixes by their shape when the labels are not there", () => {
    expect(workloadOf(pod("web-7d9f8b6c5-x2x4q"))).toBe("web");
    expect(workloadOf(pod("payment-api-5c6b7d8f9d-k8zpn"))).toBe("payment-api");
    expect(workloadOf(pod("node-exporter-z7x2q"))).toBe("node-exporter");
    // Words with vowels or 0, 1, 3 are not generated suffixes.
    expect(workloadOf(pod("my-debug-pod"))).toBe("my-debug-pod");
    expect(workloadOf(pod("db-2"))).toBe("db-2");
  });

  it("takes workloads as their own workload, and has none for other kinds", () => {
    expect(workloadOf({ name: "web", subjectType: "deployment", labels: {}, annotations: {} })).toBe("web");
    expect(workloadOf({ name: "web-7d9f8b6c5", subjectType: "replicaset", labels: {}, annotations: {} })).toBe("web");
    expect(workloadOf({ name: "worker-1", subjectType: "node", labels: {}, annotations: {} })).toBeUndefined();
    expect(workloadOf({ labels: {}, annotations: {} })).toBeUndefined();
  });
});
