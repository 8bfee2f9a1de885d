import { describe, expect, it } from "vitest";
import {
  ActionRegistry,
  builtinActions,
  cordon,
  deleteAlertPod,
  deleteJob,
  deletePod,
  drain,
  restartNamedRollout,
  rolloutRestart,
  uncordon,
  type Deployment,
  type JobEvent,
  type Node,
  type NodeEvent,
  type Pod,
  type PodEvent,
  type TableBlock,
} from "../src/index.js";
import { alertEvent } from "../src/events/alertmanager.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";
import { daemonSet, deployment, GuardedCluster, job, node, podOn, statefulSet } from "./support/remediation-fixtures.js";
import { TestContext } from "./support/test-context.js";

const podEvent = (pod?: Pod): PodEvent => ({ source: "manual", id: "e1", pod });
const nodeEvent = (n?: Node): NodeEvent => ({ source: "manual", id: "e1", node: n });
const markdownTexts = (ctx: TestContext) => ctx.blocks.flatMap((b) => (b.type === "markdown" ? [b.text] : []));
const restartAnnotation = (d: Deployment | undefined) => d?.spec?.template?.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"];

describe("the remediation actions", () => {
  it("are built in, by their Robusta names", () => {
    expect(new ActionRegistry(builtinActions).names()).toEqual(
      expect.arrayContaining(["delete_pod", "delete_alert_pod", "delete_job", "rollout_restart", "restart_named_rollout", "cordon", "uncordon", "drain", "alert_handling_job", "http_get", "http_post", "http_put"]),
    );
  });

  it("declare the RBAC rules of the writes they make", () => {
    expect(deletePod.definition.permissions).toEqual([{ apiGroups: [""], resources: ["pods"], verbs: ["delete"] }]);
    expect(deleteJob.definition.permissions).toEqual([{ apiGroups: ["batch"], resources: ["jobs"], verbs: ["delete"] }]);
    expect(rolloutRestart.definition.permissions).toEqual([{ apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets"], verbs: ["patch"] }]);
    expect(drain.definition.permissions).toEqual([
      { apiGroups: [""], resources: ["nodes"], verbs: ["patch"] },
      { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
    ]);
  });
});

describe("delete_pod", () => {
  it("deletes the event's pod and says so", async () => {
    const pod = fixtures.pod({ name: "web-0", namespace: "shop" });
    const cluster = new InMemoryCluster().apply(pod);
    const ctx = new TestContext(cluster);
    await deletePod(podEvent(pod), ctx);
    expect(cluster.writes).toEqual([{ verb: "delete", kind: "Pod", name: "web-0", namespace: "shop" }]);
    expect(markdownTexts(ctx)).toEqual(["Pod *shop/web-0* deleted"]);
  });

  it("fails when the event carries no pod", async () => {
    const cluster = new InMemoryCluster();
    await expect(deletePod(podEvent(undefined), new TestContext(cluster))).rejects.toThrow("delete_pod: the event carries no pod to delete");
    expect(cluster.writes).toEqual([]);
  });

  it("fails naming the pod when the API refuses", async () => {
    const pod = fixtures.pod({ name: "web-0" });
    const cluster = new InMemoryCluster().apply(pod).failOn("delete", new Error("forbidden"));
    const ctx = new TestContext(cluster);
    await expect(deletePod(podEvent(pod), ctx)).rejects.toThrow("Could not delete pod default/web-0: forbidden");
    expect(ctx.blocks).toEqual([]);
  });
});

describe("delete_alert_pod", () => {
  const alertFor = (pod: Pod, labels: Record<string, string> = {}) => ({
    ...alertEvent(fixtures.alert({ name: "PodStuck", labels: { pod: pod.metadata!.name!, ...labels } })),
    pod,
  });

  it("deletes the alert's pod", async () => {
    const pod = fixtures.pod({ name: "web-1" });
    const cluster = new InMemoryCluster().apply(pod);
    await deleteAlertPod(alertFor(pod), new TestContext(cluster));
    expect(cluster.writes).toEqual([{ verb: "delete", kind: "Pod", name: "web-1", namespace: "default" }]);
  });

  it("deletes once per rate_limit for each value of rate_limit_field", async () => {
    const clock = new FakeClock(new Date("2026-03-01T00:00:00Z"));
    const pods = ["a-0", "a-1", "b-0"].map((name) => fixtures.pod({ name }));
    const cluster = new InMemoryCluster().apply(...pods);
    const ctx = new TestContext(cluster, {}, new MemoryLogger(), clock);
    const params = { rateLimit: 600, rateLimitField: "deployment" };
    await deleteAlertPod(alertFor(pods[0]!, { deployment: "rate-a" }), ctx, params);
    await deleteAlertPod(alertFor(pods[1]!, { deployment: "rate-a" }), ctx, params);
    await deleteAlertPod(alertFor(pods[2]!, { deployment: "rate-b" }), ctx, params);
    expect(cluster.writes.map((w) => w.name)).toEqual(["a-0", "b-0"]);
    clock.advance(601_000);
    await deleteAlertPod(alertFor(pods[1]!, { deployment: "rate-a" }), ctx, params);
    expect(cluster.writes.map((w) => w.name)).toEqual(["a-0", "b-0", "a-1"]);
  });

  it("refuses a rate_limit without a rate_limit_field", async () => {
    const pod = fixtures.pod({ name: "web-2" });
    const cluster = new InMemoryCluster().apply(pod);
    await expect(deleteAlertPod(alertFor(pod), new TestContext(cluster), { rateLimit: 60 })).rejects.toThrow("rate_limit_field must be set");
    expect(cluster.writes).toEqual([]);
  });
});

describe("delete_job", () => {
  const jobEvent = (j = job("backup", "ops")): JobEvent => ({ source: "manual", id: "e1", job: j });

  it("deletes the job in the foreground, so its pods go first", async () => {
    const cluster = new InMemoryCluster().apply(job("backup", "ops"));
    const ctx = new TestContext(cluster);
    await deleteJob(jobEvent(), ctx);
    expect(cluster.writes).toEqual([{ verb: "delete", kind: "Job", name: "backup", namespace: "ops", options: { propagationPolicy: "Foreground" } }]);
    expect(markdownTexts(ctx)).toEqual(["Job *ops/backup* deleted"]);
  });

  it("skips an event without a job, with a warning", async () => {
    const cluster = new InMemoryCluster();
    const ctx = new TestContext(cluster);
    await deleteJob({ source: "manual", id: "e1", job: undefined }, ctx);
    expect(cluster.writes).toEqual([]);
    expect(ctx.logger.entries.some((e) => e.level === "warn" && /no job/.test(e.message ?? ""))).toBe(true);
  });
});

describe("rollout_restart", () => {
  const clock = () => new FakeClock(new Date("2026-03-01T12:34:56.789Z"));

  it.each([
    ["Deployment", deployment("web", "shop")],
    ["StatefulSet", statefulSet("web", "shop")],
    ["DaemonSet", daemonSet("web", "shop")],
  ] as const)("sets kubectl's restartedAt annotation on a %s's pod template", async (kind, obj) => {
    const cluster = new InMemoryCluster().apply(obj);
    const ctx = new TestContext(cluster, {}, new MemoryLogger(), clock());
    await rolloutRestart(fixtures.change("update", obj), ctx);
    expect(cluster.writes).toEqual([
      {
        verb: "patch",
        kind,
        name: "web",
        namespace: "shop",
        patch: { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2026-03-01T12:34:56Z" } } } } },
        patchType: "strategic",
      },
    ]);
    expect(restartAnnotation(await cluster.get(kind, "web", "shop"))).toBe("2026-03-01T12:34:56Z");
    // The pod template keeps what it had.
    expect((await cluster.get(kind, "web", "shop"))?.spec?.template?.metadata?.labels).toEqual({ app: "web" });
    expect(markdownTexts(ctx)).toEqual([`${kind}/shop/web restarted`]);
  });

  it("leaves a paused deployment alone, with a note", async () => {
    const paused = deployment("web", "shop", { paused: true });
    const cluster = new InMemoryCluster().apply(paused);
    const ctx = new TestContext(cluster);
    await rolloutRestart(fixtures.change("update", paused), ctx);
    expect(cluster.writes).toEqual([]);
    expect(markdownTexts(ctx)).toEqual(["can't restart paused Deployment/shop/web (run rollout resume first)."]);
  });

  it("fails for a kind it cannot restart, and for an event without a resource", async () => {
    const cluster = new InMemoryCluster();
    await expect(rolloutRestart(fixtures.change("update", fixtures.pod()), new TestContext(cluster))).rejects.toThrow(
      "rollout_restart: cannot restart a Pod, only a Deployment, StatefulSet, DaemonSet",
    );
    await expect(rolloutRestart({ source: "manual", id: "e1", obj: undefined }, new TestContext(cluster))).rejects.toThrow("carries no resource");
    expect(cluster.writes).toEqual([]);
  });
});

describe("restart_named_rollout", () => {
  it("restarts the named workload whatever the event", async () => {
    const cluster = new InMemoryCluster().apply(statefulSet("db", "data"));
    const ctx = new TestContext(cluster, {}, new MemoryLogger(), new FakeClock(new Date("2026-03-01T00:00:00Z")));
    await restartNamedRollout({ source: "manual", id: "e1" }, ctx, { kind: "StatefulSet", name: "db", namespace: "data" });
    expect(restartAnnotation(await cluster.get("StatefulSet", "db", "data"))).toBe("2026-03-01T00:00:00Z");
    expect(markdownTexts(ctx)).toEqual(["StatefulSet/data/db restarted"]);
  });

  it("defaults to a Deployment, and says when there is none by that name", async () => {
    const cluster = new InMemoryCluster();
    const ctx = new TestContext(cluster);
    await restartNamedRollout({ source: "manual", id: "e1" }, ctx, { name: "web", namespace: "shop" });
    expect(cluster.writes).toEqual([]);
    expect(markdownTexts(ctx)).toEqual(["Deployment/shop/web not found: nothing restarted"]);
  });
});

describe("cordon and uncordon", () => {
  it("cordon marks the node unschedulable", async () => {
    const cluster = new InMemoryCluster().apply(node("node-1"));
    const ctx = new TestContext(cluster);
    await cordon(nodeEvent(node("node-1")), ctx);
    expect(cluster.writes).toEqual([{ verb: "patch", kind: "Node", name: "node-1", patch: { spec: { unschedulable: true } }, patchType: "merge" }]);
    expect((await cluster.get("Node", "node-1"))?.spec?.unschedulable).toBe(true);
    expect(markdownTexts(ctx)).toEqual(["Node node-1 cordoned"]);
  });

  it("uncordon marks it schedulable again", async () => {
    const cluster = new InMemoryCluster().apply(node("node-1", true));
    const ctx = new TestContext(cluster);
    await uncordon(nodeEvent(node("node-1", true)), ctx);
    expect((await cluster.get("Node", "node-1"))?.spec?.unschedulable).toBe(false);
    expect(markdownTexts(ctx)).toEqual(["Node node-1 uncordoned"]);
  });

  it("leaves a node that already is as asked, and says so", async () => {
    const cluster = new InMemoryCluster().apply(node("node-1", true), node("node-2"));
    const ctx = new TestContext(cluster);
    await cordon(nodeEvent(node("node-1", true)), ctx);
    await uncordon(nodeEvent(node("node-2")), ctx);
    expect(cluster.writes).toEqual([]);
    expect(markdownTexts(ctx)).toEqual(["Node node-1 already cordoned", "Node node-2 already uncordoned"]);
  });

  it("fails when the event carries no node", async () => {
    await expect(cordon(nodeEvent(undefined), new TestContext())).rejects.toThrow("cordon: the event carries no node");
    await expect(uncordon(nodeEvent(undefined), new TestContext())).rejects.toThrow("uncordon: the event carries no node");
  });
});

describe("drain", () => {
  const report = (ctx: TestContext) => ctx.blocks.find((b): b is TableBlock => b.type === "table");

  it("cordons the node and evicts its pods, leaving DaemonSet and mirror pods and other nodes' pods", async () => {
    const cluster = new InMemoryCluster().apply(node("node-1")).apply(
      podOn("node-1", "web-0", { namespace: "shop" }),
      podOn("node-1", "bare", { owner: null }),
      podOn("node-1", "agent-x", { owner: "DaemonSet" }),
      podOn("node-1", "kube-proxy", { namespace: "kube-system", owner: null, mirror: true }),
      podOn("node-2", "web-1", { namespace: "shop" }),
    );
    const ctx = new TestContext(cluster);
    await drain(nodeEvent(node("node-1")), ctx);

    expect(cluster.writes).toEqual([
      { verb: "patch", kind: "Node", name: "node-1", patch: { spec: { unschedulable: true } }, patchType: "merge" },
      { verb: "evict", kind: "Pod", name: "web-0", namespace: "shop" },
      { verb: "evict", kind: "Pod", name: "bare", namespace: "default" },
    ]);
    expect(markdownTexts(ctx)).toEqual(["Node node-1 cordoned", "Evicted 2 pod(s) from node node-1; 2 skipped (DaemonSet or mirror pods)."]);
    expect(report(ctx)).toEqual({
      type: "table",
      name: "Drain node-1 report",
      headers: ["namespace", "pod", "result"],
      rows: [
        ["shop", "web-0", "Evicted"],
        ["default", "bare", "Evicted (no controller: not recreated)"],
        ["default", "agent-x", "Skipped: DaemonSet pod"],
        ["kube-system", "kube-proxy", "Skipped: mirror pod"],
      ],
    });
    expect(ctx.enrichments.at(-1)?.options.title).toBe("Drain node-1");
  });

  it("goes on past an eviction a disruption budget refuses, reports it, then fails", async () => {
    const cluster = new GuardedCluster(new Set(["shop/db-0"])).apply(node("node-1")).apply(
      podOn("node-1", "web-0", { namespace: "shop" }),
      podOn("node-1", "db-0", { namespace: "shop" }),
      podOn("node-1", "web-1", { namespace: "shop" }),
    );
    const ctx = new TestContext(cluster);
    await expect(drain(nodeEvent(node("node-1")), ctx)).rejects.toThrow("drain: could not evict 1 pod(s) from node node-1: shop/db-0");

    expect(cluster.writes.filter((w) => w.verb === "evict").map((w) => w.name)).toEqual(["web-0", "web-1"]);
    expect(report(ctx)?.rows).toEqual([
      ["shop", "web-0", "Evicted"],
      ["shop", "db-0", "Failed: Cannot evict pod as it would violate the pod's disruption budget."],
      ["shop", "web-1", "Evicted"],
    ]);
    expect(markdownTexts(ctx)).toContain("Evicted 2 pod(s) from node node-1; 1 could not be evicted.");
  });

  it("uncordons again when it cannot list the node's pods", async () => {
    const cluster = new InMemoryCluster().apply(node("node-1")).apply(podOn("node-1", "web-0")).failOn("list", new Error("list refused"));
    await expect(drain(nodeEvent(node("node-1")), new TestContext(cluster))).rejects.toThrow("could not list the pods on node node-1");
    expect(cluster.writes.map((w) => [w.verb, w.patch])).toEqual([
      ["patch", { spec: { unschedulable: true } }],
      ["patch", { spec: { unschedulable: false } }],
    ]);
    expect((await cluster.get("Node", "node-1"))?.spec?.unschedulable).toBe(false);
  });

  it("fails when the event carries no node", async () => {
    await expect(drain(nodeEvent(undefined), new TestContext())).rejects.toThrow("drain: the event carries no node");
  });
});
