import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RateLimiter } from "@robusta-ts/sdk";
import { FakeClock, InMemoryCluster, MemoryLogger } from "@robusta-ts/sdk/testing";
import { ConfigMapStateStore } from "../src/state/configmap-store.js";
import { MemoryStateStore } from "../src/state/memory-store.js";
import { persistRateLimits } from "../src/state/rate-limit-persistence.js";

const KEY = "CrashLoopBackoffTrigger_crash-report/demo:web";
const HOUR = 3600;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("persisted rate limits", () => {
  it("survive a restart: the restored limiter refuses a key inside its window and allows it after", async () => {
    const cluster = new InMemoryCluster();
    const clock = new FakeClock("2026-01-01T00:00:00Z");
    const storeFor = () => new ConfigMapStateStore({ cluster, name: "robusta-rate-limits", namespace: "robusta", logger: new MemoryLogger() });

    const before = new RateLimiter();
    const store = storeFor();
    await persistRateLimits({ limiter: before, store, clock, logger: new MemoryLogger() });
    expect(before.markAndTest(KEY, 4 * HOUR, clock.now())).toBe(true);
    await store.close();

    clock.advance(1 * HOUR * 1000);
    const after = new RateLimiter();
    const persistence = await persistRateLimits({ limiter: after, store: storeFor(), clock, logger: new MemoryLogger() });
    expect(persistence.restored).toBe(1);
    expect(after.markAndTest(KEY, 4 * HOUR, clock.now())).toBe(false);
    expect(after.markAndTest("some-other-key", 4 * HOUR, clock.now())).toBe(true);
    clock.advance(3 * HOUR * 1000);
    expect(after.markAndTest(KEY, 4 * HOUR, clock.now())).toBe(true);
  });

  it("skips marks that expired while the runner was down, and deletes them", async () => {
    const clock = new FakeClock("2026-01-01T00:00:00Z");
    const store = new MemoryStateStore();
    const first = new RateLimiter();
    await persistRateLimits({ limiter: first, store, clock, logger: new MemoryLogger() });
    first.markAndTest("short", 60, clock.now());
    first.markAndTest("long", 4 * HOUR, clock.now());

    clock.advance(10 * 60 * 1000);
    const second = new RateLimiter();
    const { restored } = await persistRateLimits({ limiter: second, store, clock, logger: new MemoryLogger() });
    expect(restored).toBe(1);
    expect([...(await store.load()).keys()]).toEqual(["long"]);
    expect(second.markAndTest("short", 60, clock.now())).toBe(true);
  });

  it("prunes expired marks from the store as new ones come in", async () => {
    const clock = new FakeClock("2026-01-01T00:00:00Z");
    const store = new MemoryStateStore();
    const limiter = new RateLimiter();
    await persistRateLimits({ limiter, store, clock, logger: new MemoryLogger(), pruneIntervalMs: 60_000 });
    limiter.markAndTest("old", 30, clock.now());
    clock.advance(2 * 60 * 1000);
    limiter.markAndTest("new", 30, clock.now());
    expect([...(await store.load()).keys()]).toEqual(["new"]);
  });

  it("stops saving marks once stopped", async () => {
    const clock = new FakeClock();
    const store = new MemoryStateStore();
    const limiter = new RateLimiter();
    const persistence = await persistRateLimits({ limiter, store, clock, logger: new MemoryLogger() });
    persistence.stop();
    limiter.markAndTest("after-stop", 60, clock.now());
    expect(await store.load()).toEqual(new Map());
  });
});

describe("the rate limiter's saved form", () => {
  it("lists live marks with their window end, and a restore keeps a newer mark it already holds", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const limiter = new RateLimiter();
    limiter.markAndTest("a", 60, now);
    limiter.markAndTest("b", 600, now);
    const later = new Date(now.getTime() + 120_000);
    expect(limiter.entries(later)).toEqual([{ key: "b", firedAt: now.getTime(), until: now.getTime() + 600_000 }]);

    expect(limiter.restore([{ key: "b", firedAt: now.getTime() - 500_000, until: now.getTime() + 100_000 }], later)).toBe(0);
    expect(limiter.markAndTest("b", 600, new Date(now.getTime() + 599_000))).toBe(false);
  });

  it("stays bounded when restoring more marks than it holds", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const limiter = new RateLimiter(3);
    const marks = Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, firedAt: now.getTime() + i, until: now.getTime() + 60_000 }));
    limiter.restore(marks, now);
    expect(limiter.size).toBe(3);
    // The newest marks are the ones kept.
    expect(limiter.markAndTest("k4", 60, now)).toBe(false);
    expect(limiter.markAndTest("k0", 60, now)).toBe(true);
  });
});
