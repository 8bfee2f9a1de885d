import { describe, expect, it } from "vitest";
import {
  ActionRegistry,
  builtinActions,
  enrichPodWithNodeEvents,
  Engine,
  imagePullBackoffReporter,
  podEvictedEnricher,
  podOomKillerEnricher,
  reportCrashLoop,
  type Block,
  type FileBlock,
  type Finding,
  type MarkdownBlock,
  type Pod,
  type PodEvent,
  type TableBlock,
} from "../src/index.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";
import { TestContext } from "./support/test-context.js";

const podEvent = (pod?: Pod): PodEvent => ({ source: "manual", id: "event-1", pod });

/** A table's rows as an object, for key/value tables. */
const keyValues = (block: Block | undefined) => {
  expect(block?.type).toBe("table");
  return Object.fromEntries((block as TableBlock).rows.map(([key, value]) => [String(key), value]));
};

/** The enrichments an action added, as (title, blocks). */
const byTitle = (ctx: TestContext, title: string) => ctx.enrichments.filter((e) => e.options.title === title);

describe("builtinActions", () => {
  it("ships the actions of Robusta's default built-in playbooks, each by its Robusta name", () => {
    expect(new ActionRegistry(builtinActions).names()).toEqual(
      expect.arrayContaining([
        "default_enricher",
        "enrich_pod_with_node_events",
        "image_pull_backoff_reporter",
        "logs_enricher",
        "name_silencer",
        "pod_events_enricher",
        "pod_evicted_enricher",
        "pod_oom_killer_enricher",
        "report_crash_loop",
      ]),
    );
  });
});

describe("report_crash_loop", () => {
  const base = fixtures.pod({ name: "api-1", namespace: "prod", nodeName: "node-1" });

  async function report(pod: Pod, logs: Record<string, string> = { app: "panic: nil map\n" }, params?: Parameters<typeof reportCrashLoop>[2]) {
    const cluster = new InMemoryCluster().apply(pod);
    for (const [container, previous] of Object.entries(logs)) cluster.setLogs("prod", "api-1", container, { current: "restarted\n", previous });
    const ctx = new TestContext(cluster);
    await reportCrashLoop(podEvent(pod), ctx, params);
    return ctx;
  }

  it('opens a HIGH finding "Crashing pod <pod> in namespace <ns>" keyed CrashLoopBackoff, about the pod', async () => {
    const ctx = await report(fixtures.crashLoopingPod(base, { restartCount: 5 }));
    expect(ctx.findings).toHaveLength(1);
    expect(ctx.findings[0]).toMatchObject({
      title: "Crashing pod api-1 in namespace prod",
      severity: "HIGH",
      aggregationKey: "CrashLoopBackoff",
      source: "KUBERNETES_API_SERVER",
      subject: { name: "api-1", namespace: "prod", subjectType: "pod", node: "node-1" },
    });
  });

  it("shows the crash info and the previous container's termination as key/value tables", async () => {
    const ctx = await report(fixtures.crashLoopingPod(base, { restartCount: 5 }));
    const [crash] = byTitle(ctx, "Container Crash information");
    expect(crash?.options.enrichmentType).toBe("crash_info");
    const [info, previous] = crash!.blocks as TableBlock[];
    expect(info?.name).toBe("Crash Info");
    expect(keyValues(info)).toEqual({ Container: "app", Restarts: 5, Status: "WAITING", Reason: "CrashLoopBackOff" });
    expect(previous?.name).toBe("Previous Container");
    expect(keyValues(previous)).toEqual({
      Status: "TERMINATED",
      Reason: "Error",
      "Started at": "2026-01-01T00:00:00Z",
      "Finished at": "2026-01-01T00:00:05Z",
    });
  });

  it("attaches the crashed instance's log as <pod>.log, after the crash info", async () => {
    const ctx = await report(fixtures.crashLoopingPod(base));
    expect(ctx.enrichments.map((e) => e.options.title)).toEqual(["Container Crash information", "Logs"]);
    const [logs] = byTitle(ctx, "Logs");
    expect(logs?.options.enrichmentType).toBe("text_file");
    expect(logs?.blocks).toEqual([expect.objectContaining({ type: "file", filename: "api-1.log", contents: "panic: nil map\n" })]);
  });

  it("reports every crashing container, each with its own log file", async () => {
    const two = fixtures.crashLoopingPod(
      fixtures.crashLoopingPod(fixtures.pod({ name: "api-1", namespace: "prod", containers: ["app", "worker"] }), { container: "app" }),
      { container: "worker", restartCount: 7 },
    );
    const ctx = await report(two, { app: "app crashed\n", worker: "worker crashed\n" });
    expect(byTitle(ctx, "Container Crash information").map((e) => keyValues(e.blocks[0]).Container)).toEqual(["app", "worker"]);
    expect(byTitle(ctx, "Logs").map((e) => e.blocks[0])).toEqual([
      expect.objectContaining({ filename: "api-1.app.log", contents: "app crashed\n" }),
      expect.objectContaining({ filename: "api-1.worker.log", contents: "worker crashed\n" }),
    ]);
  });

  it("redacts the log with regexReplacerPatterns", async () => {
    const ctx = await report(fixtures.crashLoopingPod(base), { app: "auth failed for tok_abc123\n" }, {
      regexReplacerPatterns: [{ name: "token", regex: "tok_[a-z0-9]+" }],
      regexReplacementStyle: "NAMED",
    });
    expect((byTitle(ctx, "Logs")[0]?.blocks[0] as FileBlock).contents).toBe("auth failed for [token]\n");
  });

  it("says the log is unavailable rather than attaching nothing", async () => {
    const ctx = await report(fixtures.crashLoopingPod(base), {});
    expect((byTitle(ctx, "Logs")[0]?.blocks[0] as MarkdownBlock).text).toMatch(/Could not fetch the logs of `app`/);
  });

  it("reports nothing for a pod with no container waiting after a restart", async () => {
    const ctx = await report(base);
    expect(ctx.findings).toEqual([]);
    expect(ctx.enrichments).toEqual([]);
  });

  it("runs as Robusta's built-in CrashLoopBackOff playbook: one finding with the tables and the log", async () => {
    const crashing = fixtures.crashLoopingPod(base);
    const cluster = new InMemoryCluster().apply(crashing).setLogs("prod", "api-1", "app", { previous: "panic\n" });
    const engine = new Engine({
      playbooks: [
        {
          data: {
            name: "CrashLoopBackOff",
            triggers: [{ name: "on_pod_crash_loop", params: { restart_reason: "CrashLoopBackOff" } }],
            actions: [{ report_crash_loop: {} }],
          },
        },
      ],
      actions: new ActionRegistry(builtinActions),
      cluster,
      logger: new MemoryLogger(),
      clock: new FakeClock(),
      defaultSinks: ["slack"],
    });
    const findings: readonly Finding[] = (await engine.handle(fixtures.change("update", crashing, base))).findings.get("slack") ?? [];
    expect(findings.map((f) => f.title)).toEqual(["Crashing pod api-1 in namespace prod"]);
    expect(findings[0]?.enrichments.map((e) => e.title)).toEqual(["Container Crash information", "Logs"]);
  });
});

describe("image_pull_backoff_reporter", () => {
  const IMAGE = "registry.example/app:1.0";
  const base = fixtures.pod({ name: "api-1", namespace: "prod", image: IMAGE });
  const failed = (pod: Pod, error: string, time = "2026-01-01T00:00:10Z") =>
    fixtures.warningEvent(pod, "Failed", `Failed to pull image "${IMAGE}": ${error}`, { time });

  async function report(pod: Pod, events: ReturnType<typeof failed>[] = []) {
    const ctx = new TestContext(new InMemoryCluster().apply(pod).addEvents(...events));
    await imagePullBackoffReporter(podEvent(pod), ctx);
    return ctx;
  }

  it('opens a HIGH finding "Failed to pull at least one image in pod <pod> in namespace <ns>" keyed ImagePullBackoff', async () => {
    const ctx = await report(fixtures.imagePullBackoffPod(base));
    expect(ctx.findings).toEqual([
      expect.objectContaining({
        title: "Failed to pull at least one image in pod api-1 in namespace prod",
        severity: "HIGH",
        aggregationKey: "ImagePullBackoff",
        subject: expect.objectContaining({ name: "api-1", subjectType: "pod" }),
      }),
    ]);
    expect(ctx.enrichments[0]?.options).toMatchObject({ title: "Container ImagePullBackoff Information", enrichmentType: "image_pull_backoff_info" });
  });

  it.each([
    [
      "an image that does not exist",
      'rpc error: code = NotFound desc = failed to pull and unpack image "registry.example/app:1.0": failed to resolve reference "registry.example/app:1.0": registry.example/app:1.0: not found',
      "Image not found",
      /image name and image tag are correct/,
    ],
    [
      "a private repository without pull secrets",
      'rpc error: code = Unknown desc = failed to pull and unpack image "registry.example/app:1.0": failed to resolve reference "registry.example/app:1.0": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
      "Unauthorized",
      /image pull secrets/,
    ],
    [
      "Docker's manifest unknown",
      "Error response from daemon: manifest for registry.example/app:1.0 not found: manifest unknown: manifest unknown",
      "Image not found",
      /image name/,
    ],
    [
      "Docker's access denied",
      "Error response from daemon: pull access denied for registry.example/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
      "Unauthorized",
      /pull secrets/,
    ],
    [
      "a registry that does not answer",
      'rpc error: code = Unknown desc = Error response from daemon: Get "https://registry.example/v2/": net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
      "Timeout",
      /repository is responding/,
    ],
  ])("explains %s, with the container, the image and the fix", async (_case, error, reason, fix) => {
    const pod = fixtures.imagePullBackoffPod(base);
    const ctx = await report(pod, [failed(pod, error)]);
    const rows = keyValues(ctx.enrichments[0]?.blocks[0]);
    expect(rows).toMatchObject({ Container: "app", Image: IMAGE, Reason: reason });
    expect(String(rows.Fix)).toMatch(fix);
  });

  it("shows the kubelet's error message when it cannot tell why", async () => {
    const pod = fixtures.imagePullBackoffPod(base, { reason: "ErrImagePull" });
    const ctx = await report(pod, [failed(pod, "rpc error: code = Unknown desc = something odd happened")]);
    const [tableBlock, message] = ctx.enrichments[0]!.blocks;
    expect(keyValues(tableBlock)).toEqual({ Container: "app", Image: IMAGE });
    expect((message as MarkdownBlock).text).toBe("*Error message:* app:\nsomething odd happened");
  });

  it("uses the most recent pull failure, ignoring other events and other images", async () => {
    const pod = fixtures.imagePullBackoffPod(base);
    const ctx = await report(pod, [
      failed(pod, "rpc error: code = Unknown desc = Timeout exceeded while awaiting headers", "2026-01-01T00:00:01Z"),
      failed(pod, "rpc error: code = NotFound desc = failed to resolve reference \"x\": not found", "2026-01-01T00:00:30Z"),
      fixtures.warningEvent(pod, "Failed", 'Failed to pull image "other:2": pull access denied', { time: "2026-01-01T00:01:00Z" }),
      fixtures.warningEvent(pod, "BackOff", `Back-off pulling image "${IMAGE}"`, { time: "2026-01-01T00:02:00Z" }),
    ]);
    expect(keyValues(ctx.enrichments[0]?.blocks[0]).Reason).toBe("Image not found");
  });

  it("lists the container and image when the pull error's events are gone", async () => {
    const ctx = await report(fixtures.imagePullBackoffPod(base));
    expect(ctx.enrichments[0]?.blocks).toHaveLength(1);
    expect(keyValues(ctx.enrichments[0]?.blocks[0])).toEqual({ Container: "app", Image: IMAGE });
  });

  it("reports nothing for a pod that pulls fine", async () => {
    expect((await report(base)).findings).toEqual([]);
  });
});

describe("pod_evicted_enricher", () => {
  const node = fixtures.node({ name: "node-1", allocatable: { cpu: "3920m", memory: "15Gi" } });
  const base = fixtures.pod({ name: "api-1", namespace: "prod", nodeName: "node-1" });
  const neighbour = fixtures.pod({ name: "db-0", namespace: "data", nodeName: "node-1" });
  const elsewhere = fixtures.pod({ name: "far-0", namespace: "data", nodeName: "node-2" });

  it('opens a HIGH finding "Pod <pod> in namespace <ns> was Evicted" with the reason and message from the pod status', async () => {
    const evicted = fixtures.evictedPod(base, { message: "The node was low on resource: memory." });
    const ctx = new TestContext(new InMemoryCluster().apply(evicted).apply(node));
    await podEvictedEnricher(podEvent(evicted), ctx);
    expect(ctx.findings).toEqual([
      expect.objectContaining({ title: "Pod api-1 in namespace prod was Evicted", severity: "HIGH", aggregationKey: "PodEvictedTriggered" }),
    ]);
    expect(keyValues(byTitle(ctx, "Eviction")[0]?.blocks[0])).toEqual({ Reason: "Evicted", Message: "The node was low on resource: memory." });
  });

  it("adds the node's conditions, allocatable resources, and the pods on it", async () => {
    const evicted = fixtures.evictedPod(base);
    const ctx = new TestContext(new InMemoryCluster().apply(evicted, neighbour, elsewhere).apply(node));
    await podEvictedEnricher(podEvent(evicted), ctx);
    const [nodeInfo] = byTitle(ctx, "Node Info");
    expect(nodeInfo?.options.enrichmentType).toBe("node_info");
    const [general, status, allocatable] = nodeInfo!.blocks as TableBlock[];
    expect(keyValues(general)).toEqual({ "Node Name": "node-1" });
    expect(status?.rows).toContainEqual(["MemoryPressure", "False"]);
    expect(allocatable?.rows).toEqual([["cpu", "3920m"], ["memory", "15Gi"]]);
    const pods = byTitle(ctx, "Pods on the node")[0]?.blocks[0] as TableBlock;
    expect(pods.headers).toEqual(["namespace", "name", "ready"]);
    expect(pods.rows.map((row) => row[1]).sort()).toEqual(["api-1", "db-0"]);
  });

  it("still reports the eviction when the node is gone", async () => {
    const evicted = fixtures.evictedPod(base);
    const ctx = new TestContext(new InMemoryCluster().apply(evicted));
    await podEvictedEnricher(podEvent(evicted), ctx);
    expect(ctx.findings).toHaveLength(1);
    expect(byTitle(ctx, "Eviction")).toHaveLength(1);
    expect(byTitle(ctx, "Node Info")).toEqual([]);
  });
});

describe("enrich_pod_with_node_events", () => {
  const node = fixtures.node({ name: "node-1" });
  const onNode = fixtures.pod({ name: "api-1", namespace: "prod", nodeName: "node-1" });
  const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, "0")}Z`;

  it("lists the events of the pod's node, not the pod's own, oldest first", async () => {
    const cluster = new InMemoryCluster()
      .apply(onNode)
      .apply(node)
      .addEvents(
        fixtures.warningEvent(node, "EvictionThresholdMet", "Attempting to reclaim memory", { time: at(20) }),
        fixtures.warningEvent(node, "NodeHasInsufficientMemory", "Node node-1 status is now: NodeHasInsufficientMemory", { time: at(10) }),
        fixtures.warningEvent(onNode, "Evicted", "The node was low on resource: memory.", { time: at(30) }),
      );
    const ctx = new TestContext(cluster);
    await enrichPodWithNodeEvents(podEvent(onNode), ctx);
    expect(ctx.enrichments).toHaveLength(1);
    expect(ctx.enrichments[0]?.options).toMatchObject({ title: "Node events", enrichmentType: "k8s_events" });
    const block = ctx.enrichments[0]?.blocks[0] as TableBlock;
    expect(block.name).toBe("Node events: node-1");
    expect(block.rows.map((row) => row[block.headers.indexOf("reason")])).toEqual(["NodeHasInsufficientMemory", "EvictionThresholdMet"]);
  });

  it("keeps the most recent maxEvents of the includedTypes", async () => {
    const events = [1, 2, 3].map((n) => fixtures.warningEvent(node, `W${n}`, "x", { time: at(n) }));
    const ctx = new TestContext(new InMemoryCluster().apply(onNode).apply(node).addEvents(...events, { ...fixtures.warningEvent(node, "N", "x", { time: at(9) }), type: "Normal" }));
    await enrichPodWithNodeEvents(podEvent(onNode), ctx, { maxEvents: 2, includedTypes: ["Warning"] });
    const block = ctx.enrichments[0]?.blocks[0] as TableBlock;
    expect(block.rows.map((row) => row[1])).toEqual(["W2", "W3"]);
  });

  it("adds nothing for a pod not scheduled on a node", async () => {
    const ctx = new TestContext(new InMemoryCluster().addEvents(fixtures.warningEvent(node, "X", "y")));
    await enrichPodWithNodeEvents(podEvent(fixtures.pod()), ctx);
    expect(ctx.enrichments).toEqual([]);
  });
});

describe("pod_oom_killer_enricher", () => {
  const node = fixtures.node({ name: "node-1", capacity: { memory: "16Gi" }, allocatable: { memory: "15Gi" } });
  const spec = fixtures.pod({ name: "api-1", namespace: "prod", nodeName: "node-1" });
  const base: Pod = {
    ...spec,
    spec: { ...spec.spec!, containers: [{ name: "app", image: "app:1", resources: { requests: { memory: "256Mi" }, limits: { memory: "1Gi" } } }] },
  };

  async function enrich(pod: Pod, params?: Parameters<typeof podOomKillerEnricher>[2]) {
    const cluster = new InMemoryCluster().apply(pod).apply(node).setLogs("prod", "api-1", "app", { current: "running again\n", previous: "allocating 2GB\n" });
    const ctx = new TestContext(cluster);
    await podOomKillerEnricher(podEvent(pod), ctx, params);
    return ctx;
  }

  it('opens a HIGH finding "Pod <pod> in namespace <ns> OOMKilled results" keyed PodOOMKilled', async () => {
    const ctx = await enrich(fixtures.oomKilledPod(base));
    expect(ctx.findings).toEqual([
      expect.objectContaining({
        title: "Pod api-1 in namespace prod OOMKilled results",
        severity: "HIGH",
        aggregationKey: "PodOOMKilled",
        subject: expect.objectContaining({ name: "api-1", node: "node-1" }),
      }),
    ]);
  });

  it("shows the node's allocatable memory and the killed container's memory settings and times", async () => {
    const ctx = await enrich(fixtures.oomKilledPod(base));
    expect(ctx.enrichments.map((e) => [e.options.title, e.options.enrichmentType])).toEqual([
      ["Node Info", "node_info"],
      ["Container Info", "container_info"],
    ]);
    expect(keyValues(byTitle(ctx, "Node Info")[0]?.blocks[0])).toEqual({
      "Node Name": "node-1",
      "Node allocated memory": "6.25% out of 15360MB allocatable",
    });
    expect(keyValues(byTitle(ctx, "Container Info")[0]?.blocks[0])).toEqual({
      Pod: "api-1",
      Namespace: "prod",
      "Container name": "app",
      "Container memory": "256MB request, 1024MB limit",
      "Container started at": "2026-01-01T00:00:00Z",
      "Container finished at": "2026-01-01T00:00:59Z",
    });
  });

  it('says "No request, No limit" for a container without memory settings', async () => {
    const ctx = await enrich(fixtures.oomKilledPod(spec));
    expect(keyValues(byTitle(ctx, "Container Info")[0]?.blocks[0])["Container memory"]).toBe("No request, No limit");
  });

  it("attaches the killed instance's log with attachLogs: the current one while it is terminated", async () => {
    const ctx = await enrich(fixtures.oomKilledPod(base), { attachLogs: true });
    const [logs] = byTitle(ctx, "Logs");
    expect(logs?.blocks[0]).toMatchObject({ type: "file", filename: "api-1.log", contents: "running again\n" });
  });

  it("attaches the previous instance's log once the container has restarted", async () => {
    const killed = fixtures.oomKilledPod(base);
    const status = killed.status!.containerStatuses![0]!;
    const restarted: Pod = {
      ...killed,
      status: {
        ...killed.status,
        containerStatuses: [{ ...status, restartCount: 1, state: { running: { startedAt: "2026-01-01T00:01:10Z" } }, lastState: status.state! }],
      },
    };
    const ctx = await enrich(restarted, { attachLogs: true });
    expect(keyValues(byTitle(ctx, "Container Info")[0]?.blocks[0])["Container finished at"]).toBe("2026-01-01T00:00:59Z");
    expect((byTitle(ctx, "Logs")[0]?.blocks[0] as FileBlock).contents).toBe("allocating 2GB\n");
  });

  it("attaches no log by default, as in Robusta", async () => {
    expect(byTitle(await enrich(fixtures.oomKilledPod(base)), "Logs")).toEqual([]);
  });

  it("without Prometheus, skips the graphs (and dmesg), saying so in the log, not the finding", async () => {
    const ctx = await enrich(fixtures.oomKilledPod(base), { containerMemoryGraph: true, nodeMemoryGraph: true, dmesgLog: true });
    expect(ctx.enrichments.map((e) => e.options.title)).toEqual(["Node Info", "Container Info"]);
    expect(ctx.blocks.some((block) => block.type === "file")).toBe(false);
    const note = ctx.logger.entries.find((entry) => entry.message.includes("prometheus_url"));
    expect(note?.fields.skipped).toEqual(["container_memory_graph", "node_memory_graph", "dmesg_log"]);
  });

  it("still reports the container when the node cannot be read", async () => {
    const killed = fixtures.oomKilledPod(base);
    const ctx = new TestContext(new InMemoryCluster().apply(killed));
    await podOomKillerEnricher(podEvent(killed), ctx);
    expect(ctx.enrichments.map((e) => e.options.title)).toEqual(["Container Info"]);
  });
});
