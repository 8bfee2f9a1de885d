/** The alert enrichers that read the cluster only: versions, APIServices, CPU throttling, OOM kills. */
import { describe, expect, it } from "vitest";
import {
  ActionRegistry,
  alertEnricherActions,
  apiServiceStatusEnricher,
  builtinActions,
  cpuThrottlingAnalysisEnricher,
  oomKillerEnricher,
  versionMismatchEnricher,
  type KubernetesObject,
  type MarkdownBlock,
  type TableBlock,
} from "../src/index.js";
import { InMemoryCluster, fixtures } from "../src/testing/index.js";
import { alertOn, apiServerPod, apiService, contextFor, node, oomKilledAt, podOn, service } from "./support/alert-enricher-fixtures.js";
import type { TestContext } from "./support/test-context.js";

const texts = (ctx: TestContext): string[] => ctx.blocks.filter((b): b is MarkdownBlock => b.type === "markdown").map((b) => b.text);
const tableOf = (ctx: TestContext): TableBlock | undefined => ctx.blocks.find((b): b is TableBlock => b.type === "table");
const warned = (ctx: TestContext, text: string): boolean => ctx.logger.entries.some((e) => e.level === "warn" && e.message.includes(text));

describe("the alert enrichers", () => {
  it("are built in, by their Robusta names", () => {
    const names = new ActionRegistry(builtinActions).names();
    const ours = [
      "version_mismatch_enricher",
      "api_service_status_enricher",
      "prometheus_rules_enricher",
      "cpu_overcommited_enricher",
      "memory_overcommited_enricher",
      "node_cpu_enricher",
      "cpu_throttling_analysis_enricher",
      "oom_killer_enricher",
    ];
    expect(names).toEqual(expect.arrayContaining(ours));
    expect(alertEnricherActions.map((action) => action.actionName).sort()).toEqual([...ours].sort());
  });
});

describe("version_mismatch_enricher", () => {
  const mismatch = alertOn("KubeVersionMismatch", {});

  it("compares every node's kubelet with the API server's version from its pod, differing nodes first", async () => {
    const cluster = new InMemoryCluster().apply<KubernetesObject>(
      node("node-a", { kubeletVersion: "v1.29.3" }),
      node("node-b", { kubeletVersion: "v1.28.9" }),
      node("node-c", { kubeletVersion: "v1.29.1" }),
      apiServerPod("v1.29.4"),
    );
    const ctx = contextFor(cluster);
    await versionMismatchEnricher(mismatch, ctx);
    expect(ctx.enrichments[0]?.options.title).toBe("Kubernetes versions");
    expect(texts(ctx)[0]).toBe("The kubernetes api server is version v1.29.4.");
    expect(tableOf(ctx)).toMatchObject({
      name: "Node Versions",
      headers: ["name", "version", "status"],
      rows: [
        ["node-b", "v1.28.9", "differs (not v1.29)"],
        ["node-a", "v1.29.3", "matches"],
        ["node-c", "v1.29.1", "matches"],
      ],
    });
    expect(texts(ctx)[1]).toBe("To solve this alert, make sure to update all of your nodes to version v1.29.");
  });

  it("says the cluster needs the upgrade too when a node is newer than the API server", async () => {
    const cluster = new InMemoryCluster().apply<KubernetesObject>(node("node-a", { kubeletVersion: "v1.30.0" }), node("node-b", { kubeletVersion: "v1.29.2" }), apiServerPod("v1.29.2"));
    const ctx = contextFor(cluster);
    await versionMismatchEnricher(mismatch, ctx);
    expect(tableOf(ctx)?.rows).toEqual([
      ["node-b", "v1.29.2", "differs (not v1.30)"],
      ["node-a", "v1.30.0", "matches"],
    ]);
    expect(texts(ctx)[1]).toBe("To solve this alert, make sure to update all of your nodes and cluster to version v1.30.");
  });

  it("compares the nodes among themselves when the API server's version is unknown", async () => {
    const cluster = new InMemoryCluster().apply<KubernetesObject>(node("node-a", { kubeletVersion: "v1.28.5-eks-5e0fdde" }), node("node-b", { kubeletVersion: "v1.27.12-eks-5e0fdde" }));
    const ctx = contextFor(cluster);
    await versionMismatchEnricher(mismatch, ctx);
    expect(texts(ctx)[0]).toMatch(/^The kubernetes api server's version is unknown/);
    expect(tableOf(ctx)?.rows).toEqual([
      ["node-b", "v1.27.12-eks-5e0fdde", "differs (not v1.28)"],
      ["node-a", "v1.28.5-eks-5e0fdde", "matches"],
    ]);
  });

  it("says so when no node reports a version", async () => {
    const bare = fixtures.node({ name: "node-a" });
    const ctx = contextFor(new InMemoryCluster().apply<KubernetesObject>(bare));
    await versionMismatchEnricher(mismatch, ctx);
    expect(texts(ctx)).toEqual(["No version details: no node reports its kubelet version."]);
    expect(warned(ctx, "no node reports a kubelet version")).toBe(true);
  });
});

describe("api_service_status_enricher", () => {
  const down = alertOn("KubeAggregatedAPIDown", { name: "v1beta1.metrics.k8s.io", namespace: "default" });

  it("gives the reason the APIService is not Available, and the service behind it", async () => {
    const cluster = new InMemoryCluster().apply<KubernetesObject>(
      apiService("v1beta1.metrics.k8s.io", {
        status: "False",
        reason: "FailedDiscoveryCheck",
        message: "failing or missing response from https://10.96.12.7:443/apis/metrics.k8s.io/v1beta1: context deadline exceeded",
      }),
      service("kube-system", "metrics-server"),
    );
    const ctx = contextFor(cluster);
    await apiServiceStatusEnricher(down, ctx);
    expect(texts(ctx)).toEqual([
      "*Apiservice status details:*\n*FailedDiscoveryCheck-* failing or missing response from https://10.96.12.7:443/apis/metrics.k8s.io/v1beta1: context deadline exceeded",
    ]);
    expect(tableOf(ctx)?.rows).toEqual([
      ["APIService", "v1beta1.metrics.k8s.io"],
      ["Available", "False"],
      ["Reason", "FailedDiscoveryCheck"],
      ["Message", "failing or missing response from https://10.96.12.7:443/apis/metrics.k8s.io/v1beta1: context deadline exceeded"],
      ["Since", "2026-11-23T04:20:00Z"],
      ["Service", "kube-system/metrics-server:443"],
      ["Service exists", "yes"],
    ]);
  });

  it("says when the service it points to does not exist", async () => {
    const cluster = new InMemoryCluster().apply<KubernetesObject>(apiService("v1beta1.metrics.k8s.io", { status: "False", reason: "ServiceNotFound", message: 'service/metrics-server in "kube-system" is not present' }));
    const ctx = contextFor(cluster);
    await apiServiceStatusEnricher(down, ctx);
    expect(texts(ctx)).toContain("The service kube-system/metrics-server:443 that the APIService points to does not exist.");
    expect(tableOf(ctx)?.rows).toContainEqual(["Service exists", "no"]);
  });

  it("adds only the table when the APIService is Available again", async () => {
    const cluster = new InMemoryCluster().apply<KubernetesObject>(apiService("v1beta1.metrics.k8s.io", { status: "True", reason: "Passed", message: "all checks passed" }), service("kube-system", "metrics-server"));
    const ctx = contextFor(cluster);
    await apiServiceStatusEnricher(down, ctx);
    expect(texts(ctx)).toEqual([]);
    expect(tableOf(ctx)?.rows).toContainEqual(["Available", "True"]);
  });

  it("says when the alert names no APIService, or one that is gone", async () => {
    const unnamed = contextFor(new InMemoryCluster());
    await apiServiceStatusEnricher(alertOn("KubeAggregatedAPIDown", {}), unnamed);
    expect(texts(unnamed)).toEqual(["No APIService status: the alert has no `name` label naming the APIService."]);

    const gone = contextFor(new InMemoryCluster());
    await apiServiceStatusEnricher(down, gone);
    expect(texts(gone)).toEqual(["No APIService status: the APIService v1beta1.metrics.k8s.io was not found."]);
    expect(warned(gone, "the APIService was not found")).toBe(true);
  });
});

describe("cpu_throttling_analysis_enricher", () => {
  const throttled = (pod: ReturnType<typeof podOn>, container?: string) =>
    alertOn("CPUThrottlingHigh", { namespace: "prod", pod: pod.metadata!.name!, ...(container && { container }) }, { pod });

  it("recommends removing the CPU limit of a limited container", async () => {
    const pod = podOn("node-1", "api-1", { resources: { requests: { cpu: "100m" }, limits: { cpu: "200m" } } });
    const ctx = contextFor(new InMemoryCluster());
    await cpuThrottlingAnalysisEnricher(throttled(pod), ctx);
    expect(texts(ctx)[0]).toMatch(/^📘 \*Alert Explanation:\* This pod is throttled. It wanted to use the CPU and was blocked due to its CPU limit/);
    expect(texts(ctx)[1]).toMatch(/^🛠 \*Robusta's Recommendation:\* Remove this pod's CPU limit entirely/);
    expect(ctx.enrichments[0]?.options.annotations).toEqual({ unfurl: "false" });
    expect(ctx.stopped).toBe(false);
  });

  it("explains throttling without a limit as a request the node cannot exceed", async () => {
    const pod = podOn("node-1", "api-1", { resources: { requests: { cpu: "100m" } } });
    const ctx = contextFor(new InMemoryCluster());
    await cpuThrottlingAnalysisEnricher(throttled(pod), ctx);
    expect(texts(ctx)).toHaveLength(1);
    expect(texts(ctx)[0]).toMatch(/using more CPU than its request and the node doesn't have spare CPU to give/);
  });

  it("looks at the container the alert names", async () => {
    const pod = podOn("node-1", "api-1", { containers: ["app", "proxy"], resources: { proxy: { limits: { cpu: "100m" } } } });
    const app = contextFor(new InMemoryCluster());
    await cpuThrottlingAnalysisEnricher(throttled(pod, "app"), app);
    expect(texts(app)[0]).toMatch(/using more CPU than its request/);

    const proxy = contextFor(new InMemoryCluster());
    await cpuThrottlingAnalysisEnricher(throttled(pod, "proxy"), proxy);
    expect(texts(proxy)[0]).toMatch(/blocked due to its CPU limit/);
  });

  it("points a limited metrics-server at its known issue", async () => {
    const pod = podOn("node-1", "metrics-server-5d8f9c7b4-x2x9q", { namespace: "kube-system", resources: { limits: { cpu: "100m" } } });
    const ctx = contextFor(new InMemoryCluster());
    await cpuThrottlingAnalysisEnricher(throttled(pod), ctx);
    expect(texts(ctx)[0]).toMatch(/known issue with metrics-server/);
    expect(texts(ctx)[1]).toMatch(/Increase the CPU limit for the metrics-server deployment/);
  });

  it("silences GKE's own metrics-server", async () => {
    const pod = podOn("node-1", "metrics-server-v0.6.3-7b8c", { namespace: "kube-system", tolerations: ["components.gke.io/gke-managed-components"], resources: { limits: { cpu: "100m" } } });
    const ctx = contextFor(new InMemoryCluster());
    await cpuThrottlingAnalysisEnricher(throttled(pod), ctx);
    expect(ctx.stopped).toBe(true);
    expect(ctx.enrichments).toEqual([]);
  });

  it("says so when the pod is not there", async () => {
    const ctx = contextFor(new InMemoryCluster());
    await cpuThrottlingAnalysisEnricher(alertOn("CPUThrottlingHigh", { namespace: "prod", pod: "gone-1" }), ctx);
    expect(texts(ctx)).toEqual(["No CPU throttling analysis: the throttled pod was not found."]);
    expect(ctx.stopped).toBe(false);
  });
});

describe("oom_killer_enricher", () => {
  const host = node("node-1");
  const hostOom = alertOn("HostOomKillDetected", { instance: "10.0.0.5:9100" }, { node: host });

  it("lists the node's containers OOM-killed in the last 20 minutes, most recent first, with their memory settings", async () => {
    const web = oomKilledAt(podOn("node-1", "web-1", { resources: { requests: { memory: "256Mi" }, limits: { memory: "512Mi" } } }), "app", "2026-11-23T04:30:00Z");
    const worker = oomKilledAt(podOn("node-1", "worker-1", { namespace: "jobs" }), "app", "2026-11-23T04:34:00Z", true);
    const old = oomKilledAt(podOn("node-1", "old-1"), "app", "2026-11-23T04:00:00Z");
    const elsewhere = oomKilledAt(podOn("node-2", "far-1"), "app", "2026-11-23T04:35:00Z");
    const ctx = contextFor(new InMemoryCluster().apply<KubernetesObject>(host, web, worker, old, elsewhere, podOn("node-1", "fine-1")));
    await oomKillerEnricher(hostOom, ctx);
    expect(ctx.enrichments[0]?.options.title).toBe("OOM kills");
    expect(tableOf(ctx)).toEqual({
      type: "table",
      name: "OOM-killed containers on node node-1",
      headers: ["time", "namespace", "pod", "container", "image", "memory request", "memory limit"],
      rows: [
        ["2026-11-23T04:34:00Z", "jobs", "worker-1", "app", "registry.example/app:1.0", "none", "none"],
        ["2026-11-23T04:30:00Z", "prod", "web-1", "app", "registry.example/app:1.0", "256Mi", "512Mi"],
      ],
    });
  });

  it("takes new_oom_kills_duration_in_sec", async () => {
    const old = oomKilledAt(podOn("node-1", "old-1"), "app", "2026-11-23T04:00:00Z");
    const ctx = contextFor(new InMemoryCluster().apply<KubernetesObject>(host, old));
    await oomKillerEnricher(hostOom, ctx, { newOomKillsDurationInSec: 3600 });
    expect(tableOf(ctx)?.rows.map((row) => row[2])).toEqual(["old-1"]);
  });

  it("says when no container on the node was OOM-killed lately", async () => {
    const ctx = contextFor(new InMemoryCluster().apply<KubernetesObject>(host, podOn("node-1", "fine-1")));
    await oomKillerEnricher(hostOom, ctx);
    expect(texts(ctx)[0]).toMatch(/^No container on node node-1 was OOM-killed in the last 1200 seconds/);
  });

  it("says so when the alert's node is not there", async () => {
    const ctx = contextFor(new InMemoryCluster());
    await oomKillerEnricher(alertOn("HostOomKillDetected", { instance: "10.0.0.9:9100" }), ctx);
    expect(texts(ctx)).toEqual(["No OOM kill details: the alert names no node that exists now."]);
    expect(warned(ctx, "the event carries no node")).toBe(true);
  });
});
