/** The alert enrichers that ask Prometheus: overcommit, rule failures, node CPU, OOM reasons, the API server's version. */
import { afterEach, describe, expect, it } from "vitest";
import {
  cpuOvercommitedEnricher,
  memoryOvercommitedEnricher,
  nodeCpuEnricher,
  oomKillerEnricher,
  parseActionParams,
  prometheusRulesEnricher,
  versionMismatchEnricher,
  type FileBlock,
  type KubernetesObject,
  type MarkdownBlock,
  type TableBlock,
} from "../src/index.js";
import { InMemoryCluster } from "../src/testing/index.js";
import type { FakeServer } from "./fixtures/prometheus/server.js";
import { linePaths, svgTexts } from "./fixtures/prometheus/svg.js";
import {
  CAPTURED_RULES,
  alertOn,
  contextFor,
  matrix,
  node,
  oomKilledAt,
  podOn,
  service,
  startPrometheus,
  vector,
  type PrometheusAnswers,
} from "./support/alert-enricher-fixtures.js";
import type { TestContext } from "./support/test-context.js";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function withPrometheus(answers: PrometheusAnswers, cluster = new InMemoryCluster()) {
  server = await startPrometheus(answers);
  return { ctx: contextFor(cluster, server), requests: server.requests };
}

const texts = (ctx: TestContext): string[] => ctx.blocks.filter((b): b is MarkdownBlock => b.type === "markdown").map((b) => b.text);
const tableOf = (ctx: TestContext): TableBlock | undefined => ctx.blocks.find((b): b is TableBlock => b.type === "table");
const queries = (requests: FakeServer["requests"]): string[] => requests.map((r) => r.query.get("query") ?? "");

describe("cpu_overcommited_enricher and memory_overcommited_enricher", () => {
  const overcommit = alertOn("KubeCPUOvercommit", {});

  it("give the pods' CPU requests against the nodes' allocatable CPU, with Robusta's queries and description", async () => {
    const { ctx, requests } = await withPrometheus({
      queries: [
        ["sum(avg_over_time(namespace_cpu:kube_pod_container_resource_requests:sum{}[600s]))", vector([[{}, "7.4567"]])],
        ['sum(avg_over_time(kube_node_status_allocatable{resource="cpu"}[600s]))', vector([[{}, "7.84"]])],
      ],
    });
    await cpuOvercommitedEnricher(overcommit, ctx);
    expect(queries(requests).sort()).toEqual([
      'sum(avg_over_time(kube_node_status_allocatable{resource="cpu"}[600s]))',
      "sum(avg_over_time(namespace_cpu:kube_pod_container_resource_requests:sum{}[600s]))",
    ]);
    expect(texts(ctx)).toEqual(["*Stats:* Currently the total of your pods requests is: 7.46, and total of allocatable CPU is: 7.84 (95% requested)."]);
    expect(ctx.findingChanges).toEqual([
      { description: "Your cluster is currently OK, but if a single node fails then some pods might not be scheduled. Add more CPU to your cluster to increase resilience." },
    ]);
  });

  it("show memory in binary units, averaged over default_query_duration", async () => {
    const { ctx, requests } = await withPrometheus({
      queries: [
        [/namespace_memory:kube_pod_container_resource_requests:sum\{\}\[300s\]/, vector([[{}, String(30 * 2 ** 30)]])],
        [/kube_node_status_allocatable\{resource="memory"\}\[300s\]/, vector([[{}, String(31.5 * 2 ** 30)]])],
      ],
    });
    await memoryOvercommitedEnricher(alertOn("KubeMemoryOvercommit", {}), ctx, { defaultQueryDuration: 300 });
    expect(requests).toHaveLength(2);
    expect(texts(ctx)).toEqual(["*Stats:* Currently the total of your pods requests is: 30.0 GiB, and total of allocatable memory is: 31.5 GiB (95% requested)."]);
    expect(ctx.findingChanges[0]?.description).toMatch(/Add more Memory to your cluster/);
  });

  it("add prometheus_additional_labels to every selector", async () => {
    const { ctx, requests } = await withPrometheus({});
    await cpuOvercommitedEnricher(overcommit, ctx, { prometheusAdditionalLabels: { cluster: "prod" } });
    expect(queries(requests)).toContain('sum(avg_over_time(namespace_cpu:kube_pod_container_resource_requests:sum{cluster="prod"}[600s]))');
  });

  it("add nothing when Prometheus lacks the numbers", async () => {
    const { ctx } = await withPrometheus({});
    await cpuOvercommitedEnricher(overcommit, ctx);
    expect(ctx.enrichments).toEqual([]);
    expect(ctx.findingChanges).toEqual([]);
    expect(ctx.logger.entries.some((e) => e.level === "warn" && e.message.includes("no CPU requests or allocatable amounts"))).toBe(true);
  });

  it("say what to set without a prometheus_url", async () => {
    const ctx = contextFor(new InMemoryCluster());
    await memoryOvercommitedEnricher(overcommit, ctx);
    expect(texts(ctx)).toEqual(["No memory requests and allocatable amounts: Prometheus is not configured (set globalConfig.prometheus_url)."]);
  });

  it("take default_query_duration = 600", () => {
    expect(parseActionParams(cpuOvercommitedEnricher.definition, {}).default_query_duration).toBe(600);
  });
});

describe("prometheus_rules_enricher", () => {
  const failures = (ruleGroup?: string) => alertOn("PrometheusRuleFailures", { ...(ruleGroup && { rule_group: ruleGroup }) });

  it("lists the rules Prometheus fails to evaluate, with their last error", async () => {
    const { ctx, requests } = await withPrometheus({ paths: { "/api/v1/rules": CAPTURED_RULES } });
    await prometheusRulesEnricher(failures("rules.yml;kubelet.rules"), ctx);
    expect(requests.map((r) => r.path)).toEqual(["/api/v1/rules"]);
    expect(ctx.enrichments[0]?.options.title).toBe("Prometheus rules");
    expect(tableOf(ctx)).toEqual({
      type: "table",
      name: "Failing Prometheus rules",
      headers: ["group", "rule", "health", "last error"],
      rows: [
        [
          "kubelet.rules",
          "node_quantile:kubelet_pleg_relist_duration_seconds:histogram_quantile",
          "err",
          "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
        ],
      ],
    });
  });

  it("sends prometheus_auth and the extra headers", async () => {
    const { ctx, requests } = await withPrometheus({ paths: { "/api/v1/rules": CAPTURED_RULES } });
    await prometheusRulesEnricher(failures(), ctx, { prometheusAuth: "Bearer abc", prometheusAdditionalHeaders: { "X-Scope-OrgID": "tenant-1" } });
    expect(requests[0]?.headers).toMatchObject({ authorization: "Bearer abc", "x-scope-orgid": "tenant-1" });
  });

  it("says when no rule fails now", async () => {
    const healthy = { status: 200, body: JSON.stringify({ status: "success", data: { groups: [{ name: "general.rules", file: "rules.yml", rules: [{ name: "Watchdog", health: "ok", type: "alerting" }] }] } }) };
    const { ctx } = await withPrometheus({ paths: { "/api/v1/rules": healthy } });
    await prometheusRulesEnricher(failures(), ctx);
    expect(texts(ctx)).toEqual(["Prometheus reports no failing rule now."]);
  });

  it("puts the failing rules of the alert's rule group first", async () => {
    const failing = (name: string, lastError: string) => ({ name, health: "err", lastError, type: "recording" });
    const body = {
      status: "success",
      data: {
        groups: [
          { name: "node.rules", file: "node.yml", rules: [failing("node:cpu:ratio", "query timed out in expression evaluation")] },
          { name: "kubelet.rules", file: "kubelet.yml", rules: [{ name: "KubeletDown", health: "ok", type: "alerting" }, failing("kubelet:pleg:quantile", "many-to-many matching not allowed")] },
        ],
      },
    };
    const { ctx } = await withPrometheus({ paths: { "/api/v1/rules": { status: 200, body: JSON.stringify(body) } } });
    await prometheusRulesEnricher(failures("kubelet.yml;kubelet.rules"), ctx);
    expect(tableOf(ctx)?.rows.map((row) => row[1])).toEqual(["kubelet:pleg:quantile", "node:cpu:ratio"]);
  });

  it("points at duplicate kubelet services for a failing kubelet group, as Robusta does", async () => {
    const labels = { "k8s-app": "kubelet", "app.kubernetes.io/managed-by": "prometheus-operator" };
    const cluster = new InMemoryCluster().apply<KubernetesObject>(service("kube-system", "kps-kubelet", labels), service("kube-system", "old-kubelet", labels), service("prod", "web"));
    const { ctx } = await withPrometheus({ paths: { "/api/v1/rules": CAPTURED_RULES } }, cluster);
    await prometheusRulesEnricher(failures("rules.yml;kubelet.rules"), ctx);
    expect(texts(ctx)[0]).toBe("The rule failure might be caused by multiple kubelet services running in your cluster: kube-system/kps-kubelet, kube-system/old-kubelet.");
  });

  it("fails when Prometheus cannot be reached, and says what to set without a prometheus_url", async () => {
    const { ctx } = await withPrometheus({});
    await expect(prometheusRulesEnricher(failures(), ctx)).rejects.toThrow(/Prometheus answered 404/);

    const unconfigured = contextFor(new InMemoryCluster());
    await prometheusRulesEnricher(failures(), unconfigured);
    expect(texts(unconfigured)).toEqual(["No list of failing rules: Prometheus is not configured (set globalConfig.prometheus_url)."]);
  });
});

describe("node_cpu_enricher", () => {
  const host = node("node-1", { cpu: "4", ip: "10.0.0.5" });
  const highCpu = alertOn("HostHighCpuLoad", { instance: "10.0.0.5:9100" }, { node: host });

  const cluster = () =>
    new InMemoryCluster().apply<KubernetesObject>(
      host,
      podOn("node-1", "api-1", { resources: { requests: { cpu: "500m" }, limits: { cpu: "1" } } }),
      podOn("node-1", "batch-1", { namespace: "jobs", resources: { requests: { cpu: "100m" } } }),
      podOn("node-1", "idle-1", { resources: { requests: { cpu: "50m" } } }),
      podOn("node-2", "far-1"),
    );

  const answers: PrometheusAnswers = {
    queries: [
      [/^1 - avg by\(instance\)\(rate\(node_cpu_seconds_total\{mode=~"idle", instance=~"node-1\|10\.0\.0\.5:\.\*"\}/, vector([[{ instance: "10.0.0.5:9100" }, "0.9"]])],
      [
        'sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{node="node-1", pod!="", image!=""}[5m]))',
        vector([
          [{ namespace: "prod", pod: "api-1" }, "0.75"],
          [{ namespace: "jobs", pod: "batch-1" }, "2.25"],
        ]),
      ],
      [/^topk\(10, sum by \(pod\)/, matrix([[{ pod: "batch-1" }, 2.25], [{ pod: "api-1" }, 0.75]])],
    ],
  };

  it("analyses the node's CPU: totals, and each pod's usage against its request and limit, busiest first", async () => {
    const { ctx } = await withPrometheus(answers, cluster());
    await nodeCpuEnricher(highCpu, ctx);
    expect(ctx.enrichments[0]?.options.title).toBe("Node CPU Analysis");
    expect(texts(ctx)[0]).toMatch(/^_\*Quick explanation:\* High CPU typically occurs if you define pod CPU requests incorrectly/);
    expect(texts(ctx)[1]).toBe("*Total CPU usage on node:* 90%\n*Container CPU usage on node:* 75%\n*Non-container CPU usage on node:* 15%");
    expect(tableOf(ctx)).toEqual({
      type: "table",
      name: "Actual Vs Requested vCPUs on Node node-1",
      headers: ["namespace", "pod", "CPU usage", "% of node", "CPU request", "CPU limit"],
      rows: [
        ["jobs", "batch-1", "2250m", "56.3%", "100m", "none"],
        ["prod", "api-1", "750m", "18.8%", "500m", "1000m"],
        ["prod", "idle-1", "no data", "no data", "50m", "none"],
      ],
    });
  });

  it("graphs the busiest pods' CPU since the alert started, or the last hour", async () => {
    const { ctx, requests } = await withPrometheus(answers, cluster());
    await nodeCpuEnricher(highCpu, ctx);
    const range = requests.find((r) => r.path === "/api/v1/query_range");
    expect(range?.query.get("query")).toBe('topk(10, sum by (pod) (rate(container_cpu_usage_seconds_total{node="node-1", pod!="", image!=""}[5m])))');
    expect(Number(range?.query.get("end")) - Number(range?.query.get("start"))).toBe(3600);
    const graphEnrichment = ctx.enrichments[1];
    expect(graphEnrichment?.options).toEqual({ title: "CPU Usage on Node node-1", enrichmentType: "graph" });
    const graph = graphEnrichment?.blocks[0] as FileBlock;
    expect(graph.filename).toBe("CPU Usage on Node node-1.svg");
    expect(linePaths(graph.contents)).toHaveLength(2);
    expect(svgTexts(graph.contents)).toEqual(expect.arrayContaining(["batch-1", "api-1"]));
  });

  it("keeps the analysis when the graph cannot be drawn", async () => {
    const { ctx } = await withPrometheus({ queries: [[/^topk/, { status: 503, body: "overloaded" }], ...answers.queries!] }, cluster());
    await nodeCpuEnricher(highCpu, ctx);
    expect(ctx.enrichments).toHaveLength(1);
    expect(ctx.logger.entries.some((e) => e.level === "warn" && e.message.includes("could not draw the graph"))).toBe(true);
  });

  it("says what to set without a prometheus_url, and when the alert names no node", async () => {
    const unconfigured = contextFor(cluster());
    await nodeCpuEnricher(highCpu, unconfigured);
    expect(texts(unconfigured)).toEqual(["No node CPU analysis: Prometheus is not configured (set globalConfig.prometheus_url)."]);

    const nodeless = contextFor(cluster());
    await nodeCpuEnricher(alertOn("HostHighCpuLoad", { instance: "10.9.9.9:9100" }), nodeless);
    expect(texts(nodeless)).toEqual(["No node CPU analysis: the alert names no node that exists now."]);
  });
});

describe("oom_killer_enricher with Prometheus", () => {
  const host = node("node-1", { ip: "10.0.0.5" });
  const hostOom = alertOn("HostOomKillDetected", { instance: "10.0.0.5:9100" }, { node: host });
  const limited = oomKilledAt(podOn("node-1", "web-1", { resources: { limits: { memory: "512Mi" } } }), "app", "2026-11-23T04:30:00Z");
  const unlimited = oomKilledAt(podOn("node-1", "cache-1"), "app", "2026-11-23T04:31:00Z");

  it("estimates each kill's reason from the container's and the node's peak memory", async () => {
    const { ctx, requests } = await withPrometheus(
      {
        queries: [
          ['max(max_over_time(container_memory_usage_bytes{namespace="prod", pod="web-1", container="app", image!=""}[1200s]))', vector([[{}, String(500 * 2 ** 20)]])],
          [/instance:node_memory_utilisation:ratio\{job="node-exporter", instance=~"node-1\|10\.0\.0\.5:\.\*"\}\[1200s\]/, vector([[{}, "0.97"]])],
        ],
      },
      new InMemoryCluster().apply<KubernetesObject>(host, limited, unlimited),
    );
    await oomKillerEnricher(hostOom, ctx);
    const table = tableOf(ctx)!;
    expect(table.headers.at(-1)).toBe("estimated reason");
    expect(table.rows.map((row) => [row[2], row.at(-1)])).toEqual([
      ["cache-1", "node node-1 used too much memory: reached 97% of its available memory"],
      ["web-1", "container used too much memory: reached 98% of its specified limit"],
    ]);
    // The node is asked about once.
    expect(queries(requests).filter((q) => q.includes("node_memory_utilisation"))).toHaveLength(1);
  });

  it("says when it finds no reason, and still lists the kills when Prometheus fails", async () => {
    const quiet = await withPrometheus({}, new InMemoryCluster().apply<KubernetesObject>(host, unlimited));
    await oomKillerEnricher(hostOom, quiet.ctx);
    expect(tableOf(quiet.ctx)?.rows[0]?.at(-1)).toBe("reason not found");
    await server?.close();

    server = undefined;
    const failing = await withPrometheus({ queries: [[/.*/, { status: 503, body: "overloaded" }]] }, new InMemoryCluster().apply<KubernetesObject>(host, unlimited));
    await oomKillerEnricher(hostOom, failing.ctx);
    expect(tableOf(failing.ctx)?.rows).toHaveLength(1);
    expect(failing.ctx.logger.entries.some((e) => e.level === "warn" && e.message.includes("could not query Prometheus"))).toBe(true);
  });
});

describe("version_mismatch_enricher with Prometheus", () => {
  it("reads the API server's version from kubernetes_build_info when the cluster does not run it as pods", async () => {
    const { ctx, requests } = await withPrometheus(
      {
        queries: [
          [
            /^count by \(git_version, node\)/,
            vector([
              [{ git_version: "v1.29" }, "2"],
              [{ git_version: "v1.29", node: "node-a" }, "1"],
              [{ git_version: "v1.28", node: "node-b" }, "1"],
            ]),
          ],
        ],
      },
      new InMemoryCluster().apply<KubernetesObject>(node("node-a", { kubeletVersion: "v1.29.3-eks-ae9a62a" }), node("node-b", { kubeletVersion: "v1.28.8-eks-ae9a62a" })),
    );
    await versionMismatchEnricher(alertOn("KubeVersionMismatch", {}), ctx);
    expect(queries(requests)).toEqual([
      'count by (git_version, node) (label_replace(kubernetes_build_info{job!~"kube-dns|coredns"}, "git_version", "$1", "git_version", "(v[0-9]*.[0-9]*).*"))',
    ]);
    expect(texts(ctx)[0]).toBe("The kubernetes api server is version v1.29.");
    expect(tableOf(ctx)?.rows[0]).toEqual(["node-b", "v1.28.8-eks-ae9a62a", "differs (not v1.29)"]);
  });
});
