import { describe, expect, it } from "vitest";
import {
  nodeAllocatableResourcesEnricher,
  nodePodsCapacityEnricher,
  nodeRunningPodsEnricher,
  nodeStatusEnricher,
  type MarkdownBlock,
  type Node,
  type NodeEvent,
  type Pod,
  type TableBlock,
} from "../src/index.js";
import { fixtures } from "../src/testing/index.js";
import { TestContext } from "./support/test-context.js";
import { alertNamingNothing, clusterWith } from "./support/workload-fixtures.js";

const nodeEvent = (node?: Node): NodeEvent => ({ source: "manual", id: "event-1", node });

const withRequests = (pod: Pod, requests: Record<string, string>): Pod => ({
  ...pod,
  spec: { ...pod.spec, containers: (pod.spec?.containers ?? []).map((c) => ({ ...c, resources: { requests } })) },
});

const withPhase = (pod: Pod, phase: string): Pod => ({ ...pod, status: { ...pod.status, phase } });

const node = fixtures.node({ name: "node-1", allocatable: { cpu: "4", memory: "8Gi", pods: "110" }, capacity: { cpu: "4", memory: "8Gi", pods: "110" } });
const onNode = (name: string, nodeName = "node-1") => fixtures.pod({ name, namespace: "prod", nodeName });

function setup(...pods: Pod[]) {
  const ctx = new TestContext(clusterWith(node, ...pods));
  return ctx;
}

describe("node_status_enricher", () => {
  it('adds the node\'s conditions as a "Node status details" table', async () => {
    const ctx = setup();
    await nodeStatusEnricher(nodeEvent(node), ctx);
    expect(ctx.blocks).toEqual([
      {
        type: "table",
        name: "Node status details",
        headers: ["Type", "Status"],
        rows: [
          ["MemoryPressure", "False"],
          ["DiskPressure", "False"],
          ["Ready", "True"],
        ],
      },
    ]);
  });
});

describe("node_running_pods_enricher", () => {
  it("lists the pods on the node only, with phase, readiness and restarts", async () => {
    const crashing = fixtures.crashLoopingPod(onNode("api-1"), { restartCount: 4 });
    const ready = { ...onNode("web-1"), status: { ...onNode("web-1").status, conditions: [{ type: "Ready", status: "True" }] } };
    const ctx = setup(ready, crashing, onNode("elsewhere", "node-2"));
    await nodeRunningPodsEnricher(nodeEvent(node), ctx);
    const [table] = ctx.blocks as TableBlock[];
    expect(table).toMatchObject({ name: "Pods running on the node", headers: ["namespace", "name", "phase", "ready", "restarts"] });
    expect(table!.rows).toEqual(
      expect.arrayContaining([
        ["prod", "web-1", "Running", "True", 0],
        ["prod", "api-1", "Running", "Unknown", 4],
      ]),
    );
    expect(table!.rows).toHaveLength(2);
  });
});

describe("node_allocatable_resources_enricher", () => {
  it("sets what the node's running pods request against what it can allocate, with percentages", async () => {
    const ctx = setup(
      withRequests(onNode("a"), { cpu: "1500m", memory: "2Gi" }),
      withRequests(onNode("b"), { cpu: "500m", memory: "1Gi" }),
      // Ended pods hold nothing; pods elsewhere are not this node's.
      withPhase(withRequests(onNode("done"), { cpu: "2", memory: "4Gi" }), "Succeeded"),
      withRequests(onNode("other", "node-2"), { cpu: "3" }),
    );
    await nodeAllocatableResourcesEnricher(nodeEvent(node), ctx);
    const [table] = ctx.blocks as TableBlock[];
    expect(table?.name).toBe("Node Allocatable Resources - The amount of compute resources that are available for pods");
    expect(table?.headers).toEqual(["resource", "allocatable", "requested", "requested %"]);
    expect(table?.rows).toEqual([
      ["cpu", "4", "2000m", "50%"],
      ["memory", "8Gi", "3072Mi", "38%"],
      ["pods", "110", "2", "2%"],
    ]);
  });

  it("counts an init container's request when it is larger than the containers' sum", async () => {
    const pod = withRequests(onNode("a"), { cpu: "1" });
    const withInit: Pod = { ...pod, spec: { ...pod.spec!, initContainers: [{ name: "migrate", resources: { requests: { cpu: "2" } } }] } };
    const ctx = setup(withInit);
    await nodeAllocatableResourcesEnricher(nodeEvent(node), ctx);
    expect((ctx.blocks[0] as TableBlock).rows[0]).toEqual(["cpu", "4", "2000m", "50%"]);
  });
});

describe("node_pods_capacity_enricher", () => {
  it("says how many pods run against the node's capacity, and how many lack requests", async () => {
    const ctx = setup(withRequests(onNode("a"), { cpu: "1", memory: "1Gi" }), withRequests(onNode("b"), { cpu: "1" }), onNode("c"), withPhase(onNode("d"), "Pending"));
    await nodePodsCapacityEnricher(nodeEvent(node), ctx);
    expect((ctx.blocks[0] as MarkdownBlock).text).toBe(
      "*On the node node-1, there are currently 3 pods running and the maximum capacity for pods on this node is 110.*\n1 pods don't have cpu request. 2 pods don't have memory request.",
    );
  });
});

describe("node enrichers without a node", () => {
  it.each([
    ["node_status_enricher", nodeStatusEnricher],
    ["node_running_pods_enricher", nodeRunningPodsEnricher],
    ["node_allocatable_resources_enricher", nodeAllocatableResourcesEnricher],
    ["node_pods_capacity_enricher", nodePodsCapacityEnricher],
  ])("%s logs a warning and adds nothing for an alert that names no node", async (name, action) => {
    const ctx = setup();
    await action(alertNamingNothing(), ctx);
    expect(ctx.enrichments).toEqual([]);
    expect(ctx.logger.entries).toContainEqual(expect.objectContaining({ level: "warn", message: `${name}: the event carries no node` }));
  });
});
