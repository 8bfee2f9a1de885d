/**
 * The watches, through client-node's real informer, against a loopback API server that speaks
 * the list/watch protocol and injects faults: no missed change, no duplicate, no create for the
 * initial list, deletes during a gap detected.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { KubernetesChangeEvent, Pod } from "@robusta-ts/sdk";
import { MemoryLogger, fixtures } from "@robusta-ts/sdk/testing";
import { startFakeApiServer, type FakeApiServer } from "../../../test/support/fake-apiserver.js";
import { waitFor } from "../../../test/support/wait-for.js";
import { KubeApiClient } from "../../src/kubernetes/api-client.js";
import { WatchManager, type WatchSettings } from "../../src/kubernetes/watch-manager.js";
import { createMetrics } from "../../src/metrics.js";

const running: { server: FakeApiServer; watches: WatchManager }[] = [];
afterEach(async () => {
  for (const { server, watches } of running.splice(0)) {
    await watches.stop();
    await server.close();
  }
});

const pod = (name: string, namespace = "demo", extra: Partial<Pod> = {}): Pod => {
  const { metadata, ...rest } = fixtures.pod({ name, namespace });
  return { ...rest, metadata: { name, namespace, labels: metadata?.labels ?? {}, managedFields: [{ manager: "kubelet", operation: "Update" }] }, ...extra };
};

interface Setup {
  settings?: Partial<WatchSettings>;
  kinds?: string[];
  bookmarkIntervalMs?: number;
  /** Runs before the watches start (to inject a fault into their first list, say). */
  before?: (server: FakeApiServer) => void;
  /** Wait for the initial list; default true. */
  sync?: boolean;
}

async function watching(objects: Pod[], { settings = {}, kinds = ["Pod"], bookmarkIntervalMs = 0, before, sync = true }: Setup = {}) {
  const server = await startFakeApiServer({ objects, bookmarkIntervalMs, unserved: [{ apiVersion: "batch/v1", kind: "CronJob" }, { apiVersion: "batch/v1beta1", kind: "CronJob" }] });
  const changes: KubernetesChangeEvent[] = [];
  const logger = new MemoryLogger();
  const metrics = createMetrics();
  const watches = new WatchManager({
    kubeConfig: server.kubeconfig(),
    client: new KubeApiClient(server.kubeconfig()),
    logger,
    metrics,
    onChange: (change) => changes.push(change),
    settings: {
      namespaces: { include: [], exclude: [] },
      advancedFilters: false,
      customResources: [],
      idleTimeoutMs: 30_000,
      staleAfterMs: 60_000,
      ...settings,
    },
  });
  running.push({ server, watches });
  before?.(server);
  const watched = await watches.start(kinds);
  if (sync) await waitFor("the initial list", () => watches.notReady().length === 0);
  const seen = () => changes.map((c) => `${c.operation} ${c.obj.metadata?.name}`);
  return { server, watches, changes, seen, logger, metrics, watched };
}

const setPhase = (server: FakeApiServer, name: string, phase: string) =>
  server.modify("v1", "Pod", name, "demo", (p) => {
    p.status = { ...(p.status as object), phase };
  });

describe("watches", () => {
  it("start only what is not watched yet when asked again, as after a configuration reload", async () => {
    const { watches, watched } = await watching([pod("a")], { kinds: ["Pod"] });
    expect(watched).toEqual(["Pod"]);
    expect(await watches.start(["Pod", "Node"])).toEqual(["Node"]);
    expect(await watches.start(["Node", "Pod"])).toEqual([]);
  });

  it("report no create for the objects of the initial list, then each change once, updates with the object before", async () => {
    const { server, changes, seen } = await watching([pod("a"), pod("b")]);
    expect(changes).toEqual([]);
    server.create(pod("c"));
    setPhase(server, "a", "Failed");
    server.remove("v1", "Pod", "b", "demo");
    await waitFor("three changes", () => changes.length === 3);
    expect(seen()).toEqual(["create c", "update a", "delete b"]);
    const update = changes[1]!;
    expect((update.obj as Pod).status?.phase).toBe("Failed");
    expect((update.oldObj as Pod).status?.phase).toBe("Running");
    expect(update).toMatchObject({ kind: "Pod", apiVersion: "v1", source: "kubernetes" });
    expect(update.obj.metadata?.managedFields).toBeUndefined();
  });

  it("hand playbooks whole pods, while caching only what triggers and diffs need of the one before", async () => {
    const withEnv = pod("a", "demo", {});
    withEnv.spec!.containers[0]!.env = [{ name: "DATABASE_URL", value: "postgres://db" }];
    withEnv.spec!.volumes = [{ name: "data", emptyDir: {} }];
    const { server, changes, seen } = await watching([withEnv, pod("b")], { settings: { advancedFilters: true } });
    server.modify("v1", "Pod", "a", "demo", (p) => {
      p.status = fixtures.crashLoopingPod(p as Pod).status;
    });
    await waitFor("the update", () => changes.length === 1);
    const [update] = changes as [KubernetesChangeEvent<Pod>];
    expect(update.obj.spec?.containers[0]?.env).toEqual([{ name: "DATABASE_URL", value: "postgres://db" }]);
    expect(update.obj.spec?.volumes).toHaveLength(1);
    expect(update.oldObj?.spec).toEqual({ containers: [{ name: "app", image: "registry.example/app:1.0" }] });
    expect(update.oldObj?.status?.phase).toBe("Running");

    // A healthy pod: a spec change is still recognised against the cut-down "before" (by digest),
    // so ADVANCED_FILTERS forwards it; a status-only change it does not.
    setPhase(server, "b", "Succeeded");
    server.modify("v1", "Pod", "b", "demo", (p) => {
      (p as Pod).spec!.activeDeadlineSeconds = 600;
    });
    await waitFor("the spec change", () => changes.length === 2);
    expect(seen()).toEqual(["update a", "update b"]);
    expect((changes[1]!.obj as Pod).spec?.activeDeadlineSeconds).toBe(600);
  });

  it("after a 410, relist and report exactly what changed while no watch was open, once each", async () => {
    const { server, changes, seen, metrics } = await watching([pod("same"), pod("changed"), pod("gone")]);
    await waitFor("the watch to be open", () => server.openWatches === 1);
    server.breakWatchesWith410();
    // Changes the informer cannot see on a watch: the history is gone, so it must relist.
    setPhase(server, "changed", "Failed");
    server.remove("v1", "Pod", "gone", "demo");
    server.create(pod("new"));
    await waitFor("the differences", () => changes.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 50)); // room for a duplicate to show up
    expect(seen().sort()).toEqual(["create new", "delete gone", "update changed"]);
    expect(changes.find((c) => c.operation === "update")?.oldObj).toMatchObject({ status: { phase: "Running" } });
    expect(await metrics.registry.getSingleMetricAsString("robusta_watch_relists_total")).toContain('kind="Pod"} 1');
  });

  it("miss nothing when the connection drops mid-stream", async () => {
    const { server, changes, seen } = await watching([pod("a")]);
    await waitFor("the watch to be open", () => server.openWatches === 1);
    server.disconnectWatches();
    setPhase(server, "a", "Failed");
    server.create(pod("b"));
    await waitFor("both changes", () => changes.length === 2);
    expect(seen()).toEqual(["update a", "create b"]);
  });

  it("reconnect a watch that went silent, and deliver what it held back once", async () => {
    const { server, changes, seen } = await watching([pod("a")], { settings: { idleTimeoutMs: 200 } });
    await waitFor("the watch to be open", () => server.openWatches === 1);
    server.stallWatches();
    setPhase(server, "a", "Failed");
    await waitFor("the change, after the idle watch reconnects", () => changes.length === 1);
    server.resumeWatches();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen()).toEqual(["update a"]);
  });

  it("keep a quiet watch's place with bookmarks, so reconnecting resumes instead of relisting", async () => {
    const { server, changes, seen, metrics } = await watching([pod("quiet")]);
    await waitFor("the watch to be open", () => server.openWatches === 1);
    server.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "elsewhere", namespace: "demo" } }); // moves the global RV on
    server.sendBookmarks();
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.expireHistory(); // the pod watch's last event is gone; only the bookmark's version is current
    server.disconnectWatches();
    server.create(pod("new"));
    await waitFor("the new pod", () => changes.length === 1);
    expect(seen()).toEqual(["create new"]);
    expect(await metrics.registry.getSingleMetricAsString("robusta_watch_relists_total")).not.toContain('kind="Pod"');
  });

  it("back off and retry when listing fails, honouring a 429's Retry-After", async () => {
    const { watches, logger, metrics } = await watching([pod("a")], {
      sync: false,
      before: (server) => server.failNext({ pathPrefix: "/api/v1/pods", watch: false, status: 429, retryAfterSeconds: 1 }),
    });
    expect(watches.notReady()).toEqual(["watch of Pod has not synced"]);
    await waitFor("the watch to sync after the retry", () => watches.notReady().length === 0, 15_000);
    const restart = logger.entries.find((entry) => entry.message === "watch failed; restarting");
    expect(restart?.fields.retryInMs).toBeGreaterThanOrEqual(1000);
    expect(await metrics.registry.getSingleMetricAsString("robusta_watch_restarts_total")).toContain('kind="Pod",reason="429"} 1');
  });

  it("skip, once and with a warning, kinds the server does not serve", async () => {
    const { watched, logger } = await watching([], { kinds: ["Pod", "CronJob", "Widget"] });
    expect(watched).toEqual(["Pod"]);
    expect(logger.entries.filter((e) => e.level === "warn").map((e) => [e.message, e.fields.kind])).toEqual([
      ["the API server does not serve this kind: not watched", "CronJob"],
      ["unknown kind: not watched", "Widget"],
    ]);
  });

  it("ignore excluded namespaces entirely", async () => {
    const { server, seen, changes } = await watching([], { settings: { namespaces: { include: [], exclude: ["kube-system"] } } });
    server.create(pod("noisy", "kube-system"));
    server.create(pod("app", "demo"));
    await waitFor("the demo pod", () => changes.length === 1);
    expect(seen()).toEqual(["create app"]);
  });

  it("apply ADVANCED_FILTERS when on: a healthy pod's status update is not forwarded, a crash loop is", async () => {
    const { server, seen, changes, metrics } = await watching([pod("a"), pod("b")], { settings: { advancedFilters: true } });
    setPhase(server, "a", "Succeeded");
    server.modify("v1", "Pod", "b", "demo", (p) => {
      p.status = fixtures.crashLoopingPod(p as Pod).status;
    });
    await waitFor("the crash loop", () => changes.length === 1);
    expect(seen()).toEqual(["update b"]);
    expect(await metrics.registry.getSingleMetricAsString("robusta_watch_events_total")).toContain('kind="Pod",operation="update",result="filtered"} 1');
  });

  it("keep /healthz green for a quiet watch that gets bookmarks", async () => {
    const { server, watches } = await watching([pod("a")], { settings: { staleAfterMs: 150 }, bookmarkIntervalMs: 20 });
    await waitFor("the watch to be open", () => server.openWatches === 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(watches.unhealthy()).toEqual([]);
  });

  it("turn /healthz red when a watch has not worked for too long", async () => {
    const { server, watches } = await watching([pod("a")], { settings: { staleAfterMs: 100, idleTimeoutMs: 50 } });
    expect(watches.unhealthy()).toEqual([]);
    server.failNext({ pathPrefix: "/api/v1/pods", status: 500, times: 1000 });
    server.disconnectWatches();
    await waitFor("the watch to go stale", () => watches.unhealthy().length === 1);
    expect(watches.unhealthy()[0]).toMatch(/^watch of Pod has not worked for \d+ s: /);
  });
});
