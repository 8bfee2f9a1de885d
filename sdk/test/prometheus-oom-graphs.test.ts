import { afterEach, describe, expect, it } from "vitest";
import { podOomKillerEnricher, type FileBlock, type Node, type Pod, type PodEvent, type TableBlock } from "../src/index.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";
import { closeFakeServers, startFakeServer, type Reply } from "./fixtures/prometheus/server.js";
import { linePaths, svgTexts } from "./fixtures/prometheus/svg.js";
import { TestContext } from "./support/test-context.js";

const NOW = "2026-01-01T00:10:00Z";

const node: Node = (() => {
  const base = fixtures.node({ name: "node-1" });
  return { ...base, status: { ...base.status, addresses: [{ type: "InternalIP", address: "10.0.0.5" }] } };
})();
const spec = fixtures.pod({ name: "api-1", namespace: "prod", nodeName: "node-1" });
const killed: Pod = fixtures.oomKilledPod({
  ...spec,
  spec: { ...spec.spec!, containers: [{ name: "app", image: "app:1", resources: { requests: { memory: "32Mi" }, limits: { memory: "64Mi" } } }] },
});
const podEvent = (pod: Pod): PodEvent => ({ source: "manual", id: "event-1", pod });

afterEach(closeFakeServers);

async function enrich(params: Parameters<typeof podOomKillerEnricher>[2], answer: (query: string) => Reply | string = () => "query-range-bytes.json", prometheus = true) {
  const server = await startFakeServer((request) => answer(request.query.get("query") ?? ""));
  const config = prometheus ? { prometheus_url: server.url } : {};
  const ctx = new TestContext(new InMemoryCluster().apply(killed).apply(node), config, new MemoryLogger(), new FakeClock(NOW));
  await podOomKillerEnricher(podEvent(killed), ctx, params);
  return { ctx, requests: server.requests };
}

const enrichment = (ctx: TestContext, title: string) => ctx.enrichments.find((e) => e.options.title === title);

describe("pod_oom_killer_enricher's memory graphs", () => {
  it("adds the node's memory utilization to Node Info, by its InternalIP", async () => {
    const { ctx, requests } = await enrich({ nodeMemoryGraph: true });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.query.get("query")).toContain('node_memory_MemAvailable_bytes{job="node-exporter", instance=~"10.0.0.5:[0-9]+"}');
    const nodeInfo = enrichment(ctx, "Node Info");
    expect(nodeInfo?.options.enrichmentType).toBe("node_info");
    expect(nodeInfo?.blocks.map((b) => b.type)).toEqual(["table", "file"]);
    const graph = nodeInfo?.blocks[1] as FileBlock;
    expect(graph.filename).toBe("Memory Utilization for this node.svg");
    expect(svgTexts(graph.contents)).toContain("Memory Utilization for this node");
    expect(enrichment(ctx, "Container Info")?.blocks.map((b) => b.type)).toEqual(["table"]);
  });

  it("adds the killed container's memory, its limit, request and the time of the kill, to Container Info", async () => {
    const { ctx, requests } = await enrich({ containerMemoryGraph: true });
    const query = requests[0]?.query;
    expect(query?.get("query")).toBe('sum(container_memory_working_set_bytes{namespace="prod", pod=~"api-1", container=~"app", image!=""}) by (container, pod, job)');
    // From an hour before the kill (00:00:59) to 30 minutes after it.
    expect([query?.get("start"), query?.get("end")]).toEqual([
      String(Date.parse("2025-12-31T23:00:59Z") / 1000),
      String(Date.parse("2026-01-01T00:30:59Z") / 1000),
    ]);
    const info = enrichment(ctx, "Container Info");
    expect(info?.options.enrichmentType).toBe("container_info");
    expect((info?.blocks[0] as TableBlock).name).toBe("Container Info");
    const graph = info?.blocks[1] as FileBlock;
    expect(graph.filename).toBe("Memory Usage for container app.svg");
    expect(linePaths(graph.contents)).toHaveLength(4); // the container, its limit, its request, the kill
    expect(svgTexts(graph.contents)).toEqual(expect.arrayContaining(["Memory Usage for container app", "api-1", "Limit", "Request", "OOM Kill Time"]));
  });

  it("skips a graph whose query fails, logging why, and still reports the kill", async () => {
    const { ctx } = await enrich({ containerMemoryGraph: true, nodeMemoryGraph: true }, (query) =>
      query.startsWith("1 - ") ? "error-execution.422.json" : "query-range-bytes.json",
    );
    expect(enrichment(ctx, "Node Info")?.blocks.map((b) => b.type)).toEqual(["table"]);
    expect(enrichment(ctx, "Container Info")?.blocks.map((b) => b.type)).toEqual(["table", "file"]);
    const warning = ctx.logger.entries.find((e) => e.level === "warn" && e.message.includes("could not draw the memory graph"));
    expect(warning?.fields.reason).toMatch(/execution: multiple matches for labels/);
  });

  it("asks Prometheus nothing when no prometheus_url is configured, and logs what it skipped", async () => {
    const { ctx, requests } = await enrich({ containerMemoryGraph: true, nodeMemoryGraph: true }, undefined, false);
    expect(requests).toEqual([]);
    expect(ctx.blocks.map((b) => b.type)).toEqual(["table", "table"]);
    const note = ctx.logger.entries.find((e) => e.message.includes("globalConfig.prometheus_url"));
    expect(note?.fields.skipped).toEqual(["container_memory_graph", "node_memory_graph"]);
  });

  it("draws no graph unless asked, as in Robusta", async () => {
    const { ctx, requests } = await enrich({});
    expect(requests).toEqual([]);
    expect(ctx.blocks.map((b) => b.type)).toEqual(["table", "table"]);
  });
});
