import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { onScheduleType, parseTriggerParams, type ScheduledEvent } from "@robusta-ts/sdk";
import { InMemoryCluster, MemoryLogger } from "@robusta-ts/sdk/testing";
import { Scheduler } from "../src/scheduler/scheduler.js";
import { jobIdOf, type ScheduledPlaybook } from "../src/scheduler/job.js";
import { ConfigMapStateStore } from "../src/state/configmap-store.js";
import { MemoryStateStore } from "../src/state/memory-store.js";
import type { StateStore } from "../src/state/store.js";

const START = "2026-01-01T00:00:00Z";
const SECOND = 1000;

const job = (playbook: string, params: unknown): ScheduledPlaybook => ({ playbook, params: parseTriggerParams(onScheduleType, params) });
const fixed = (seconds_delay: number, repeat?: number, playbook = "report") =>
  job(playbook, { fixed_delay_repeat: { seconds_delay, ...(repeat !== undefined && { repeat }) } });

/** A scheduler on fake time; `runs` records each dispatched event and when it came. */
function scheduler(options: { store?: StateStore; dispatch?: (event: ScheduledEvent) => Promise<void> } = {}) {
  const runs: { at: string; playbook: string; runCount: number; id: string }[] = [];
  const logger = new MemoryLogger();
  const store = options.store ?? new MemoryStateStore();
  const s = new Scheduler({
    clock: { now: () => new Date() },
    store,
    logger,
    initialDelaySec: 120,
    dispatch: async (event) => {
      runs.push({ at: new Date().toISOString(), playbook: event.playbook, runCount: event.runCount, id: event.id });
      await options.dispatch?.(event);
    },
  });
  return { scheduler: s, runs, store, logger };
}

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const at = (offsetSec: number) => new Date(new Date(START).getTime() + offsetSec * SECOND).toISOString();

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the scheduler", () => {
  it("waits the initial delay before the first run, then runs every delay, counting runs", async () => {
    const { scheduler: s, runs } = scheduler();
    await s.update([fixed(60)]);
    await advance(119 * SECOND);
    expect(runs).toEqual([]);
    await advance(1 * SECOND);
    await advance(120 * SECOND);
    expect(runs.map((r) => [r.at, r.playbook, r.runCount])).toEqual([
      [at(120), "report", 0],
      [at(180), "report", 1],
      [at(240), "report", 2],
    ]);
    expect(new Set(runs.map((r) => r.id)).size).toBe(3);
  });

  it("stops a fixed-delay schedule after `repeat` runs and marks it done", async () => {
    const { scheduler: s, runs, store } = scheduler();
    await s.update([fixed(60, 3)]);
    await advance(3600 * SECOND);
    expect(runs.map((r) => r.runCount)).toEqual([0, 1, 2]);
    expect(s.status()).toEqual([{ id: jobIdOf(fixed(60, 3)), playbook: "report", state: expect.objectContaining({ exec_count: 3, job_status: "DONE" }) }]);
    expect((await store.load()).get(jobIdOf(fixed(60, 3)))).toMatchObject({ state: { exec_count: 3, job_status: "DONE" } });
  });

  it("runs a dynamic schedule once per delay period, in turn, then stops", async () => {
    const { scheduler: s, runs } = scheduler();
    await s.update([job("rollout-check", { dynamic_delay_repeat: { delay_periods: [10, 200, 30] } })]);
    await advance(3600 * SECOND);
    // The first period is shorter than the initial delay, which wins.
    expect(runs.map((r) => [r.at, r.runCount])).toEqual([
      [at(120), 0],
      [at(320), 1],
      [at(350), 2],
    ]);
    expect(s.status()[0]?.state.job_status).toBe("DONE");
  });

  it("runs a cron schedule at its times, the first at least the initial delay after start", async () => {
    vi.setSystemTime("2026-01-01T00:04:00Z");
    const { scheduler: s, runs } = scheduler();
    await s.update([job("every-five", { cron_schedule_repeat: { cron_expression: "*/5 * * * *" } })]);
    expect(s.status()[0]?.nextRunAt?.toISOString()).toBe("2026-01-01T00:10:00.000Z");
    await advance(16 * 60 * SECOND);
    expect(runs.map((r) => r.at)).toEqual(["2026-01-01T00:10:00.000Z", "2026-01-01T00:15:00.000Z", "2026-01-01T00:20:00.000Z"]);
  });

  it("after a restart, neither runs early nor forgets the count", async () => {
    const cluster = new InMemoryCluster();
    const storeFor = () => new ConfigMapStateStore({ cluster, name: "scheduled-jobs", namespace: "robusta", logger: new MemoryLogger() });
    const first = scheduler({ store: storeFor() });
    await first.scheduler.update([fixed(600)]);
    await advance(120 * SECOND);
    expect(first.runs.map((r) => r.runCount)).toEqual([0]);
    // The runner restarts at 300 s, 180 s after the run: 420 s of the 600 s delay are left.
    await advance(180 * SECOND);
    first.scheduler.stop();
    await first.store.close();

    const second = scheduler({ store: storeFor() });
    await second.scheduler.update([fixed(600)]);
    await advance(419 * SECOND);
    expect(second.runs).toEqual([]);
    await advance(1 * SECOND);
    expect(second.runs.map((r) => [r.at, r.runCount])).toEqual([[at(720), 1]]);
  });

  it("after a restart long past the due time, still waits the initial delay", async () => {
    const store = new MemoryStateStore();
    const first = scheduler({ store });
    await first.scheduler.update([fixed(60)]);
    await advance(120 * SECOND);
    first.scheduler.stop();
    await advance(3600 * SECOND);

    const second = scheduler({ store });
    await second.scheduler.update([fixed(60)]);
    await advance(119 * SECOND);
    expect(second.runs).toEqual([]);
    await advance(1 * SECOND);
    expect(second.runs.map((r) => r.runCount)).toEqual([1]);
  });

  it("does not run again a schedule that was done before the restart", async () => {
    const store = new MemoryStateStore();
    const first = scheduler({ store });
    await first.scheduler.update([fixed(60, 1)]);
    await advance(600 * SECOND);
    first.scheduler.stop();

    const second = scheduler({ store });
    await second.scheduler.update([fixed(60, 1)]);
    await advance(3600 * SECOND);
    expect(first.runs).toHaveLength(1);
    expect(second.runs).toEqual([]);
  });

  it("starts an edited schedule afresh and forgets the old one's state", async () => {
    const { scheduler: s, runs, store } = scheduler();
    await s.update([fixed(60)]);
    await advance(180 * SECOND);
    expect(runs.map((r) => r.runCount)).toEqual([0, 1]);

    await s.update([fixed(90)]);
    await advance(119 * SECOND);
    expect(runs).toHaveLength(2);
    await advance(1 * SECOND);
    expect(runs.map((r) => [r.at, r.runCount])).toEqual([
      [at(120), 0],
      [at(180), 1],
      [at(300), 0],
    ]);
    expect([...(await store.load()).keys()]).toEqual([jobIdOf(fixed(90))]);
  });

  it("keeps an unchanged schedule's timer and count across reloads", async () => {
    const { scheduler: s, runs } = scheduler();
    await s.update([fixed(60)]);
    await advance(150 * SECOND);
    await s.update([fixed(60), fixed(60, undefined, "other")]);
    await advance(30 * SECOND);
    expect(runs.map((r) => [r.at, r.playbook, r.runCount])).toEqual([
      [at(120), "report", 0],
      [at(180), "report", 1],
    ]);
  });

  it("skips a tick, and counts it, while the playbook's previous run is still going", async () => {
    let finish = () => {};
    const { scheduler: s, runs, logger } = scheduler({
      dispatch: (event) => (event.runCount === 0 ? new Promise<void>((resolve) => (finish = resolve)) : Promise.resolve()),
    });
    await s.update([fixed(60)]);
    await advance(120 * SECOND);
    await advance(60 * SECOND);
    expect(runs.map((r) => r.runCount)).toEqual([0]);
    expect(s.skippedRuns).toBe(1);
    expect(logger.entries.some((e) => e.level === "warn" && /skipped/.test(e.message))).toBe(true);

    finish();
    await advance(60 * SECOND);
    expect(runs.map((r) => [r.at, r.runCount])).toEqual([
      [at(120), 0],
      [at(240), 1],
    ]);
  });

  it("leaves one timer per job however often and however fast update is called", async () => {
    const { scheduler: s, runs } = scheduler();
    await Promise.all([s.update([fixed(60)]), s.update([fixed(60)])]);
    await s.update([fixed(60)]);
    expect(vi.getTimerCount()).toBe(1);
    await advance(120 * SECOND);
    expect(runs).toHaveLength(1);
  });

  it("unschedules removed playbooks and deletes their state", async () => {
    const { scheduler: s, runs, store } = scheduler();
    await s.update([fixed(60), fixed(60, undefined, "other")]);
    await s.update([fixed(60, undefined, "other")]);
    await advance(120 * SECOND);
    expect(runs.map((r) => r.playbook)).toEqual(["other"]);
    expect([...(await store.load()).keys()]).toEqual([jobIdOf(fixed(60, undefined, "other"))]);
  });

  it("stops everything on stop()", async () => {
    const { scheduler: s, runs } = scheduler();
    await s.update([fixed(60), job("cron", { cron_schedule_repeat: { cron_expression: "* * * * *" } })]);
    s.stop();
    await s.update([fixed(30, undefined, "late")]);
    await advance(3600 * SECOND);
    expect(runs).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("waits out delays longer than a timer can hold", async () => {
    const { scheduler: s, runs } = scheduler();
    const monthly = fixed(40 * 24 * 3600);
    await s.update([monthly]);
    await advance(120 * SECOND);
    await advance(30 * 24 * 3600 * SECOND);
    expect(runs).toHaveLength(1);
    await advance(10 * 24 * 3600 * SECOND);
    expect(runs).toHaveLength(2);
  });

  it("logs a failed run and keeps the schedule", async () => {
    const { scheduler: s, runs, logger } = scheduler({ dispatch: async () => Promise.reject(new Error("sink down")) });
    await s.update([fixed(60)]);
    await advance(180 * SECOND);
    expect(runs).toHaveLength(2);
    expect(logger.entries.filter((e) => e.level === "error").map((e) => e.fields.reason)).toEqual(["sink down", "sink down"]);
  });
});
