import { afterEach, describe, expect, it } from "vitest";
import {
  ActionRegistry,
  alertDefinitionEnricher,
  alertEvent,
  alertGraphEnricher,
  builtinActions,
  customGraphEnricher,
  graphEnricher,
  parseActionParams,
  prometheusActions,
  prometheusEnricher,
  type BaseEvent,
  type FileBlock,
  type MarkdownBlock,
  type Node,
  type PrometheusAlertEvent,
  type TableBlock,
} from "../src/index.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";
import { byPath, closeFakeServers, startFakeServer, type RecordedRequest } from "./fixtures/prometheus/server.js";
import { linePaths, svgTexts } from "./fixtures/prometheus/svg.js";
import { TestContext } from "./support/test-context.js";

const NOW = "2026-11-23T04:36:44Z";
const manual: BaseEvent = { source: "manual", id: "event-1" } as BaseEvent;

afterEach(closeFakeServers);

/** A Prometheus answering `routes`, and a context whose globalConfig points at it. */
async function withPrometheus(routes: Parameters<typeof byPath>[0], config: Record<string, unknown> = {}) {
  const server = await startFakeServer(byPath(routes));
  const ctx = new TestContext(new InMemoryCluster(), { prometheus_url: server.url, ...config }, new MemoryLogger(), new FakeClock(NOW));
  return { ctx, requests: server.requests };
}

const queryOf = (request: RecordedRequest | undefined) => request?.query.get("query");
const graphOf = (ctx: TestContext): FileBlock => ctx.blocks.find((b): b is FileBlock => b.type === "file")!;

function crashingAlert(options: { labels?: Record<string, string>; generatorURL?: string; startsAt?: string } = {}): PrometheusAlertEvent {
  const alert = fixtures.alert({ name: "KubePodCrashLooping", labels: { namespace: "prod", pod: "api-1", ...options.labels }, startsAt: options.startsAt ?? "2026-11-23T04:30:00Z" });
  return alertEvent({ ...alert, ...(options.generatorURL !== undefined && { generatorURL: options.generatorURL }) });
}

function nodeWithIp(ip = "10.0.0.5"): Node {
  const node = fixtures.node({ name: "node-1" });
  return { ...node, status: { ...node.status, addresses: [{ type: "InternalIP", address: ip }, { type: "Hostname", address: "node-1" }] } };
}

describe("the Prometheus actions", () => {
  it("are built in, by their Robusta names", () => {
    const names = new ActionRegistry(builtinActions).names();
    expect(names).toEqual(
      expect.arrayContaining([
        "prometheus_enricher",
        "custom_graph_enricher",
        "graph_enricher",
        "alert_graph_enricher",
        "alert_definition_enricher",
        "add_silence",
        "get_silences",
        "delete_silence",
      ]),
    );
    expect(prometheusActions).toHaveLength(8);
  });

  it("take prometheus_url and the other PrometheusParams from globalConfig", () => {
    const params = parseActionParams(customGraphEnricher.definition, { promql_query: "up" }, {
      prometheus_url: "http://prometheus:9090",
      prometheus_auth: "Bearer x",
      cluster_name: "prod",
    });
    expect(params).toMatchObject({ prometheus_url: "http://prometheus:9090", prometheus_auth: "Bearer x", graph_duration_minutes: 60, chart_values_format: "Plain" });
  });

  it("refuse a chart_values_format Robusta does not have", () => {
    expect(() => parseActionParams(customGraphEnricher.definition, { promql_query: "up", chart_values_format: "Kilos" })).toThrow(/chart_values_format/);
  });
});

describe("prometheus_enricher", () => {
  it("adds an instant query's series as a table of labels and values", async () => {
    const { ctx, requests } = await withPrometheus({ "/api/v1/query": "query-vector-multi.json" });
    await prometheusEnricher(manual, ctx, { promqlQuery: "sum by (handler) (prometheus_http_requests_total)" });
    expect(queryOf(requests[0])).toBe("sum by (handler) (prometheus_http_requests_total)");
    expect(requests[0]?.query.get("time")).toBe(String(Date.parse(NOW) / 1000));
    expect(ctx.enrichments).toHaveLength(1);
    expect(ctx.enrichments[0]?.options.title).toBe("sum by (handler) (prometheus_http_requests_total)");
    const table = ctx.enrichments[0]?.blocks[0] as TableBlock;
    expect(table.headers).toEqual(["labels", "value"]);
    expect(table.rows).toEqual([
      ['{handler="/-/ready"}', "1"],
      ['{handler="/api/v1/query"}', "15"],
      ['{handler="/api/v1/query_range"}', "8"],
      ['{handler="/metrics"}', "81"],
    ]);
  });

  it("names the metric and its labels as Prometheus shows them", async () => {
    const { ctx } = await withPrometheus({ "/api/v1/query": "query-vector.json" });
    await prometheusEnricher(manual, ctx, { promqlQuery: "up" });
    expect((ctx.blocks[0] as TableBlock).rows).toEqual([['up{instance="127.0.0.1:19590", job="prometheus"}', "1"]]);
  });

  it("says when the query returned nothing, and gives a scalar's value", async () => {
    const empty = await withPrometheus({ "/api/v1/query": "query-vector-empty.json" });
    await prometheusEnricher(manual, empty.ctx, { promqlQuery: 'up{job="nothing"}' });
    expect((empty.ctx.blocks[0] as MarkdownBlock).text).toBe('The query `up{job="nothing"}` returned no series.');
    const scalar = await withPrometheus({ "/api/v1/query": "query-scalar.json" });
    await prometheusEnricher(manual, scalar.ctx, { promqlQuery: "scalar(prometheus_tsdb_head_series)" });
    expect((scalar.ctx.blocks[0] as MarkdownBlock).text).toBe("`scalar(prometheus_tsdb_head_series)` = 411");
  });

  it("graphs a range query over duration_minutes", async () => {
    const { ctx, requests } = await withPrometheus({ "/api/v1/query_range": "query-range.json" });
    await prometheusEnricher(manual, ctx, { promqlQuery: "prometheus_tsdb_head_series", duration: { duration_minutes: 30 } });
    expect(Object.fromEntries(requests[0]!.query)).toEqual({
      query: "prometheus_tsdb_head_series",
      start: String(Date.parse(NOW) / 1000 - 1800),
      end: String(Date.parse(NOW) / 1000),
      step: "7.2",
    });
    expect(ctx.enrichments[0]?.options).toEqual({ title: "prometheus_tsdb_head_series", enrichmentType: "graph" });
    const graph = graphOf(ctx);
    expect(graph).toMatchObject({ filename: "prometheus_tsdb_head_series.svg", encoding: "utf8" });
    expect(linePaths(graph.contents)).toHaveLength(1);
    expect(svgTexts(graph.contents)).toContain("prometheus_tsdb_head_series");
  });

  it('takes starts_at and ends_at as Robusta writes them ("2026-11-23 04:00:00 UTC"), and the step', async () => {
    const { ctx, requests } = await withPrometheus({ "/api/v1/query_range": "query-range.json" });
    await prometheusEnricher(manual, ctx, {
      promqlQuery: "prometheus_tsdb_head_series",
      duration: { starts_at: "2026-11-23 04:00:00 UTC", ends_at: "2026-11-23T04:30:00Z" },
      step: "1m",
    });
    expect(requests[0]?.query.get("start")).toBe(String(Date.parse("2026-11-23T04:00:00Z") / 1000));
    expect(requests[0]?.query.get("end")).toBe(String(Date.parse("2026-11-23T04:30:00Z") / 1000));
    expect(requests[0]?.query.get("step")).toBe("1m");
  });

  it("refuses a time it cannot read", () => {
    expect(() =>
      parseActionParams(prometheusEnricher.definition, { promql_query: "up", duration: { starts_at: "yesterday" } }),
    ).toThrow(/must be a time like "2022-09-14 09:40:59 UTC"/);
  });

  it("shows Prometheus's error for a query it rejects, as Robusta does", async () => {
    const { ctx } = await withPrometheus({ "/api/v1/query": "error-bad-data.400.json" });
    await prometheusEnricher(manual, ctx, { promqlQuery: "up{" });
    expect((ctx.blocks[0] as MarkdownBlock).text).toBe(
      'Prometheus could not run `up{`: bad_data: invalid parameter "query": 1:4: parse error: unexpected end of input inside braces',
    );
    expect(ctx.logger.entries.some((e) => e.level === "warn" && e.message.includes("rejected the query"))).toBe(true);
  });

  it("fails, saying what to set, without a prometheus_url", async () => {
    const ctx = new TestContext();
    await expect(prometheusEnricher(manual, ctx, { promqlQuery: "up" })).rejects.toThrow(/set globalConfig\.prometheus_url/);
    expect(ctx.enrichments).toEqual([]);
  });
});

describe("custom_graph_enricher", () => {
  it("graphs the query over the last graph_duration_minutes, with the title and y axis format asked for", async () => {
    const { ctx, requests } = await withPrometheus({ "/api/v1/query_range": "query-range-bytes.json" });
    await customGraphEnricher(manual, ctx, { promqlQuery: "process_resident_memory_bytes", graphTitle: "Prometheus memory", chartValuesFormat: "Bytes" });
    expect(requests[0]?.query.get("start")).toBe(String(Date.parse(NOW) / 1000 - 3600));
    expect(requests[0]?.query.get("step")).toBe("14.4");
    expect(ctx.enrichments[0]?.options).toEqual({ title: "Prometheus memory", enrichmentType: "graph" });
    const graph = graphOf(ctx);
    expect(graph.filename).toBe("Prometheus memory.svg");
    const texts = svgTexts(graph.contents);
    expect(texts).toEqual(expect.arrayContaining(["Prometheus memory", "api-1"]));
    expect(texts.some((t) => t.endsWith(" MiB"))).toBe(true);
  });

  it("fills $pod, $namespace and $node from the event, and <missing> for what it lacks", async () => {
    const { ctx, requests } = await withPrometheus({ "/api/v1/query_range": "query-range-bytes.json" });
    const pod = fixtures.pod({ name: "api-1", namespace: "prod", nodeName: "node-1" });
    await customGraphEnricher(fixtures.change("update", pod), ctx, {
      promqlQuery: 'container_memory_working_set_bytes{namespace="$namespace", pod="$pod", node="${node}", x="$nothing"}',
      graphTitle: "Memory of $pod",
    });
    expect(queryOf(requests[0])).toBe('container_memory_working_set_bytes{namespace="prod", pod="api-1", node="node-1", x="<missing>"}');
    expect(ctx.enrichments[0]?.options.title).toBe("Memory of api-1");
  });

  it("on an alert, fills in its labels and reaches back to when it started", async () => {
    const { ctx, requests } = await withPrometheus({ "/api/v1/query_range": "query-range.json" });
    const alert = crashingAlert({ labels: { container: "app" }, startsAt: "2026-11-23T02:36:44Z" });
    await customGraphEnricher(alert, ctx, { promqlQuery: 'kube_pod_container_status_restarts_total{pod="$pod", container="$container"}' });
    expect(queryOf(requests[0])).toBe('kube_pod_container_status_restarts_total{pod="api-1", container="app"}');
    expect(requests[0]?.query.get("start")).toBe(String(Date.parse("2026-11-23T02:36:44Z") / 1000));
    // Without a graph_title, the graph is named after the query.
    expect(ctx.enrichments[0]?.options.title).toBe('kube_pod_container_status_restarts_total{pod="api-1", container="app"}');
  });

  it("sends prometheus_additional_labels and the query string from globalConfig", async () => {
    const { ctx, requests } = await withPrometheus(
      { "/api/v1/query_range": "query-range.json" },
      { prometheus_additional_labels: { cluster: "prod" }, prometheus_url_query_string: "tenant=a" },
    );
    await customGraphEnricher(manual, ctx, { promqlQuery: 'up{job="prometheus"}' });
    expect(queryOf(requests[0])).toBe('up{job="prometheus", cluster="prod"}');
    expect(requests[0]?.query.get("tenant")).toBe("a");
  });

  it("fails with Prometheus's reason when the query is rejected", async () => {
    const { ctx } = await withPrometheus({ "/api/v1/query_range": "error-bad-data.400.json" });
    await expect(customGraphEnricher(manual, ctx, { promqlQuery: "up{" })).rejects.toThrow(/bad_data: invalid parameter "query"/);
  });
});

describe("graph_enricher", () => {
  it('graphs the expression of the alert\'s rule, titled "Alert Expression Graph"', async () => {
    const { ctx, requests } = await withPrometheus({ "/api/v1/query_range": "query-range-multi.json" });
    const expression = 'sum by (handler) (rate(prometheus_http_requests_total{code="500"}[5m])) > 0';
    const alert = crashingAlert({ generatorURL: `http://prometheus:9090/graph?g0.expr=${encodeURIComponent(expression)}&g0.tab=1` });
    await graphEnricher(alert, ctx);
    expect(queryOf(requests[0])).toBe(expression);
    expect(ctx.enrichments[0]?.options).toEqual({ title: "Alert Expression Graph", enrichmentType: "graph" });
    const graph = graphOf(ctx);
    expect(graph.filename).toBe('sum by (handler) (rate(prometheus_http_requests_total{code="500"}[5m])) > 0.svg');
    expect(linePaths(graph.contents)).toHaveLength(4);
    expect(svgTexts(graph.contents)).toEqual(expect.arrayContaining([expression, "/metrics", "/-/ready"]));
  });

  it("covers graph_duration_minutes, or the whole alert if it started earlier", async () => {
    const { ctx, requests } = await withPrometheus({ "/api/v1/query_range": "query-range.json" });
    await graphEnricher(crashingAlert({ startsAt: "2026-11-23T04:30:00Z" }), ctx, { graphDurationMinutes: 120 });
    await graphEnricher(crashingAlert({ startsAt: "2026-11-22T04:36:44Z" }), ctx);
    expect(requests.map((r) => Number(r.query.get("end")) - Number(r.query.get("start")))).toEqual([7200, 86400]);
  });

  it("adds nothing, and logs why, for an alert without a generatorURL", async () => {
    const { ctx, requests } = await withPrometheus({});
    await graphEnricher(crashingAlert({ generatorURL: "" }), ctx);
    expect(requests).toEqual([]);
    expect(ctx.enrichments).toEqual([]);
    expect(ctx.logger.entries.some((e) => e.level === "warn" && e.message.includes("no expression (g0.expr)"))).toBe(true);
  });
});

describe("alert_graph_enricher", () => {
  it("graphs the memory of the alert's pod with Robusta's query", async () => {
    const { ctx, requests } = await withPrometheus({ "/api/v1/query_range": "query-range-bytes.json" });
    await alertGraphEnricher(crashingAlert(), ctx, { resourceType: "Memory", itemType: "Pod" });
    expect(queryOf(requests[0])).toBe('sum(container_memory_working_set_bytes{namespace="prod", pod=~"api-1", container!="", image!=""}) by (pod, job)');
    expect(ctx.enrichments[0]?.options).toEqual({ title: "Resources", enrichmentType: "graph" });
    const graph = graphOf(ctx);
    expect(graph.filename).toBe("Memory Usage for this pod.svg");
    expect(svgTexts(graph.contents)).toEqual(expect.arrayContaining(["Memory Usage for this pod", "api-1"]));
  });

  it("graphs the CPU of the alert's node by its InternalIP", async () => {
    const { ctx, requests } = await withPrometheus({ "/api/v1/query_range": "query-range-cpu.json" });
    const alert = { ...alertEvent(fixtures.alert({ name: "NodeHighCPU", labels: { node: "node-1" } })), node: nodeWithIp() };
    await alertGraphEnricher(alert, ctx, { resourceType: "CPU", itemType: "Node" });
    expect(queryOf(requests[0])).toBe(
      '1 - avg without (cpu) ( sum without (mode) (rate(node_cpu_seconds_total{job="node-exporter", instance=~"10.0.0.5:[0-9]+", mode=~"idle|iowait|steal"}[5m]))) != 0',
    );
    expect(svgTexts(graphOf(ctx).contents)).toContain("CPU Utilization for this node");
  });

  it("uses prometheus_graphs_overrides, as Robusta does", async () => {
    const { ctx, requests } = await withPrometheus(
      { "/api/v1/query_range": "query-range-bytes.json" },
      { prometheus_graphs_overrides: [{ resource_type: "Memory", item_type: "Pod", query: 'my_memory{pod="$pod"}' }] },
    );
    await alertGraphEnricher(crashingAlert(), ctx, { resourceType: "Memory", itemType: "Pod" });
    expect(queryOf(requests[0])).toBe('my_memory{pod="api-1"}');
    expect(svgTexts(graphOf(ctx).contents)).toContain("Memory Usage for this pod");
  });

  it("keeps the kubelet's series when several jobs report the same pod", async () => {
    const values = [[1795408544, "1048576"], [1795408548, "2097152"]];
    const body = JSON.stringify({
      status: "success",
      data: {
        resultType: "matrix",
        result: [
          { metric: { pod: "api-1", job: "cadvisor" }, values },
          { metric: { pod: "api-1", job: "kubelet" }, values },
        ],
      },
    });
    const { ctx } = await withPrometheus({ "/api/v1/query_range": { status: 200, body } });
    await alertGraphEnricher(crashingAlert(), ctx, { resourceType: "Memory", itemType: "Pod" });
    expect(linePaths(graphOf(ctx).contents)).toHaveLength(1);
  });

  it("says so, instead of an empty graph, when the alert names no pod or no known node", async () => {
    const { ctx, requests } = await withPrometheus({});
    await alertGraphEnricher(alertEvent(fixtures.alert({ name: "Watchdog" })), ctx, { resourceType: "CPU", itemType: "Pod" });
    await alertGraphEnricher(alertEvent(fixtures.alert({ name: "NodeDown", labels: { node: "gone" } })), ctx, { resourceType: "Memory", itemType: "Node" });
    expect(requests).toEqual([]);
    expect(ctx.blocks.map((b) => (b as MarkdownBlock).text)).toEqual([
      "No CPU graph: the alert names no pod.",
      "No Memory graph: the alert names no node the runner could find (its InternalIP is in the query).",
    ]);
  });

  it("fails for a disk graph of a pod, which Robusta has no query for", async () => {
    const { ctx } = await withPrometheus({});
    await expect(alertGraphEnricher(crashingAlert(), ctx, { resourceType: "Disk", itemType: "Pod" })).rejects.toThrow(
      "There is no Disk graph for a pod: Disk graphs are for nodes only",
    );
  });
});

describe("alert_definition_enricher", () => {
  it("adds the alert's PromQL as a code block, in Slack's attachment", async () => {
    const ctx = new TestContext();
    const alert = crashingAlert({ generatorURL: "http://prometheus:9090/graph?g0.expr=rate%28x%5B5m%5D%29+%3E+1&g0.tab=1" });
    await alertDefinitionEnricher(alert, ctx);
    expect(ctx.enrichments).toEqual([{ blocks: [{ type: "markdown", text: "*Alert definition*\n```\nrate(x[5m]) > 1\n```" }], options: { annotations: { attachment: "true" } } }]);
  });

  it("adds nothing for an alert without a generatorURL", async () => {
    const ctx = new TestContext();
    await alertDefinitionEnricher(crashingAlert({ generatorURL: "" }), ctx);
    expect(ctx.enrichments).toEqual([]);
  });
});
