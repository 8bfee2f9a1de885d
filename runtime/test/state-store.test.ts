import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { KubernetesObject } from "@robusta-ts/sdk";
import { InMemoryCluster, MemoryLogger } from "@robusta-ts/sdk/testing";
import { ConfigMapStateStore, type ConfigMapStateStoreOptions } from "../src/state/configmap-store.js";
import { MemoryStateStore } from "../src/state/memory-store.js";

type ConfigMap = KubernetesObject & { data?: Record<string, string> };

function store(cluster = new InMemoryCluster(), options: Partial<ConfigMapStateStoreOptions> = {}) {
  const logger = new MemoryLogger();
  const s = new ConfigMapStateStore({ cluster, name: "scheduled-jobs", namespace: "robusta", logger, ...options });
  return { store: s, cluster, logger };
}

const configMap = async (cluster: InMemoryCluster) => (await cluster.get("ConfigMap", "scheduled-jobs", "robusta")) as ConfigMap | undefined;
const writesTo = (cluster: InMemoryCluster) => cluster.writes.filter((w) => w.kind === "ConfigMap").map((w) => w.verb);
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the ConfigMap state store", () => {
  it("creates the ConfigMap when it is missing, and reads entries back after a restart", async () => {
    const { store: s, cluster } = store();
    expect(await s.load()).toEqual(new Map());
    s.set("report", { count: 1 });
    await advance(10_000);
    expect(writesTo(cluster)).toEqual(["create"]);
    expect(Object.keys((await configMap(cluster))?.data ?? {})).toEqual(["report"]);

    const { store: again } = store(cluster);
    expect(await again.load()).toEqual(new Map([["report", { count: 1 }]]));
  });

  it("writes many changes in one interval as one patch, and nothing before the interval ends", async () => {
    const cluster = new InMemoryCluster().apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "scheduled-jobs", namespace: "robusta" } });
    const { store: s } = store(cluster);
    await s.load();
    for (let i = 0; i < 50; i++) s.set(`key-${i % 10}`, { i });
    s.delete("key-9");
    await advance(9_999);
    expect(writesTo(cluster)).toEqual([]);
    await advance(1);
    expect(writesTo(cluster)).toEqual(["patch"]);
    const data = (await configMap(cluster))?.data ?? {};
    expect(Object.keys(data).sort()).toEqual(["key-0", "key-1", "key-2", "key-3", "key-4", "key-5", "key-6", "key-7", "key-8"]);
    expect(JSON.parse(data["key-8"]!)).toEqual({ key: "key-8", value: { i: 48 } });
  });

  it("writes at once on flush and on close", async () => {
    const { store: s, cluster } = store();
    await s.load();
    s.set("a", 1);
    await s.flush();
    expect(writesTo(cluster)).toEqual(["create"]);
    s.set("b", 2);
    await s.close();
    expect(writesTo(cluster)).toEqual(["create", "patch"]);
    await advance(60_000);
    expect(writesTo(cluster)).toEqual(["create", "patch"]);
  });

  it("logs a failed write, never throws it, and retries at the next interval", async () => {
    const { store: s, cluster, logger } = store();
    await s.load();
    s.set("a", 1);
    await s.flush();
    cluster.failOn("patch", new Error("etcdserver: request timed out"));
    s.set("a", 2);
    await advance(10_000);
    await expect(s.flush()).resolves.toBeUndefined();
    expect(s.failedWrites).toBe(2);
    expect(logger.entries.filter((e) => e.level === "warn").map((e) => e.fields.reason)).toContain("etcdserver: request timed out");

    cluster.failOn("patch", undefined);
    await advance(10_000);
    expect(s.failedWrites).toBe(0);
    expect(JSON.parse((await configMap(cluster))!.data!.a!)).toEqual({ key: "a", value: 2 });
  });

  it("re-creates the ConfigMap when it was deleted under it", async () => {
    const { store: s, cluster } = store();
    await s.load();
    s.set("a", 1);
    await s.flush();
    await cluster.delete("ConfigMap", "scheduled-jobs", "robusta");
    s.set("b", 2);
    await s.flush();
    expect(Object.keys((await configMap(cluster))?.data ?? {}).sort()).toEqual(["a", "b"]);
  });

  it("when another runner creates the ConfigMap first, adds all its entries to it", async () => {
    // The ConfigMap appears between this store's read and its create.
    class RacingCluster extends InMemoryCluster {
      race = false;
      override async create<T extends KubernetesObject>(obj: T): Promise<T> {
        if (this.race) {
          this.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "scheduled-jobs", namespace: "robusta" }, data: { theirs: "{}" } } as ConfigMap);
        }
        return super.create(obj);
      }
    }
    const cluster = new RacingCluster();
    const { store: s, logger } = store(cluster);
    await s.load();
    s.set("a", 1);
    await s.flush();
    // Deleted, then re-created by someone else just as this store re-creates it.
    await cluster.delete("ConfigMap", "scheduled-jobs", "robusta");
    cluster.race = true;
    s.set("b", 2);
    await s.flush();
    expect(Object.keys((await configMap(cluster))?.data ?? {}).sort()).toEqual(["a", "b", "theirs"]);
    expect(logger.entries.filter((e) => e.level === "warn")).toEqual([]);
  });

  it("stores any key under a valid ConfigMap key, distinct, and reads the original back", async () => {
    const keys = [
      "report.3f2a9c",
      "WarningEventTrigger_pb/BackOff:demo/Pod/web-0",
      "pod crash loop: démo",
      ".",
      "_h.lookalike",
      "x".repeat(300),
    ];
    const { store: s, cluster } = store();
    await s.load();
    keys.forEach((key, i) => s.set(key, i));
    await s.flush();
    const dataKeys = Object.keys((await configMap(cluster))?.data ?? {});
    expect(dataKeys).toHaveLength(keys.length);
    for (const dataKey of dataKeys) {
      expect(dataKey).toMatch(/^[-._a-zA-Z0-9]+$/);
      expect(dataKey.length).toBeLessThanOrEqual(253);
      expect([".", ".."]).not.toContain(dataKey);
    }
    expect(dataKeys).toContain("report.3f2a9c");

    const { store: again } = store(cluster);
    expect(await again.load()).toEqual(new Map(keys.map((key, i) => [key, i])));
  });

  it("keeps the data under its size limit by dropping the entries set longest ago, counting and logging them", async () => {
    const { store: s, cluster, logger } = store(new InMemoryCluster(), { maxBytes: 2_000 });
    await s.load();
    for (let i = 0; i < 40; i++) s.set(`mark-${i}`, { firedAt: 1_700_000_000_000 + i, until: 1_700_000_600_000 + i });
    s.set("too-big", "x".repeat(5_000));
    await s.flush();
    const data = (await configMap(cluster))?.data ?? {};
    const bytes = Object.entries(data).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    expect(bytes).toBeLessThanOrEqual(2_000);
    expect(Object.keys(data)).toContain("mark-39");
    expect(Object.keys(data)).not.toContain("mark-0");
    expect(Object.keys(data)).not.toContain("too-big");
    expect(s.dropped).toBe(40 - Object.keys(data).length + 1);
    expect(logger.entries.some((e) => e.level === "warn" && /size limit/.test(e.message) && typeof e.fields.dropped === "number")).toBe(true);
    expect(logger.entries.some((e) => e.level === "warn" && e.fields.key === "too-big")).toBe(true);
  });

  it("leaves alone entries it did not write", async () => {
    const cluster = new InMemoryCluster().apply({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "scheduled-jobs", namespace: "robusta" },
      data: { "python-job": '{"job_id": "python-job", "state": {}}' },
    } as ConfigMap);
    const { store: s } = store(cluster);
    expect(await s.load()).toEqual(new Map());
    s.set("mine", true);
    await s.flush();
    expect(Object.keys((await configMap(cluster))?.data ?? {}).sort()).toEqual(["mine", "python-job"]);
  });

  it("starts empty, logging why, when the ConfigMap cannot be read, and saves once it can", async () => {
    const { store: s, cluster, logger } = store();
    cluster.failOn("get", new Error("configmaps is forbidden"));
    expect(await s.load()).toEqual(new Map());
    expect(logger.entries.find((e) => e.level === "error")?.fields.reason).toBe("configmaps is forbidden");
    s.set("a", 1);
    await advance(10_000);
    expect(s.failedWrites).toBe(1);
    cluster.failOn("get", undefined);
    await advance(10_000);
    expect(Object.keys((await configMap(cluster))?.data ?? {})).toEqual(["a"]);
  });
});

describe("the memory state store", () => {
  it("gives back what was set, as JSON", async () => {
    const s = new MemoryStateStore([["a", { at: new Date("2026-01-01T00:00:00Z") }]]);
    s.set("b", 2);
    s.delete("c");
    expect(await s.load()).toEqual(new Map<string, unknown>([["a", { at: "2026-01-01T00:00:00.000Z" }], ["b", 2]]));
  });
});
