import { describe, expect, it } from "vitest";
import { VirtualDeliveryClock, type DeliveryClock } from "../../src/delivery/clock.js";
import { DeliveryError } from "../../src/delivery/delivery-error.js";
import { DeliveryQueue, type DeliveryOutcome, type DeliveryQueueOptions } from "../../src/delivery/delivery-queue.js";
import { ManualClock, deferred, settle, type Deferred } from "./manual-clock.js";

const middle = () => 0.5; // jitter of ±20 % around the curve: 0.5 lands on it

interface Retry {
  readonly item: string;
  readonly error: unknown;
  readonly waitMs: number;
  readonly attempt: number;
}

type Setup = Partial<Omit<DeliveryQueueOptions<string>, "send" | "onOutcome" | "onRetry">> & {
  readonly clock: DeliveryClock;
  send(item: string, attempt: number, signal: AbortSignal): Promise<void>;
};

function harness(setup: Setup) {
  const outcomes = new Map<string, DeliveryOutcome>();
  const retries: Retry[] = [];
  const queue = new DeliveryQueue<string>({
    capacity: 100,
    concurrency: 4,
    retryBudgetMs: 10 * 60_000,
    random: middle,
    ...setup,
    onOutcome: (item, outcome) => {
      expect(outcomes.has(item), `a second outcome for ${item}`).toBe(false);
      outcomes.set(item, outcome);
    },
    onRetry: (item, error, waitMs, attempt) => retries.push({ item, error, waitMs, attempt }),
  });
  return { queue, outcomes, retries };
}

/** A sink that answers 429 with Retry-After until `until`, then takes everything. */
function rateLimitedSink(clock: DeliveryClock, until: number) {
  const delivered: string[] = [];
  const attempts: { item: string; at: number }[] = [];
  const send = async (item: string) => {
    const now = clock.now();
    attempts.push({ item, at: now });
    if (now < until) throw new DeliveryError("Slack answered 429", { retryable: true, status: 429, retryAfterMs: until - now });
    delivered.push(item);
  };
  return { send, delivered, attempts };
}

describe("DeliveryQueue retries", () => {
  it("delivers every item, in order per lane, after 30 s of 429 with Retry-After, never retrying early", async () => {
    const clock = new VirtualDeliveryClock();
    const start = clock.now();
    const sink = rateLimitedSink(clock, start + 30_000);
    const { queue, outcomes, retries } = harness({ clock, send: sink.send, concurrency: 2 });

    const alerts = ["alerts-1", "alerts-2", "alerts-3", "alerts-4"];
    const ops = ["ops-1", "ops-2", "ops-3"];
    for (const item of alerts) expect(queue.offer(item, "#alerts")).toBe(true);
    for (const item of ops) expect(queue.offer(item, "#ops")).toBe(true);
    await queue.idle();

    expect(sink.delivered.filter((item) => item.startsWith("alerts"))).toEqual(alerts);
    expect(sink.delivered.filter((item) => item.startsWith("ops"))).toEqual(ops);
    for (const item of [...alerts, ...ops]) expect(outcomes.get(item)?.result).toBe("delivered");
    expect(retries.length).toBeGreaterThan(0);
    // The first wait is the service's 30 s, not the 1 s backoff.
    expect(retries[0]).toMatchObject({ item: "alerts-1", waitMs: 30_000, attempt: 1 });
    for (const retry of retries) {
      expect(retry.error).toBeInstanceOf(DeliveryError);
      expect(retry.waitMs).toBeGreaterThanOrEqual((retry.error as DeliveryError).retryAfterMs!);
    }
    // Retry-After said "when the outage ends": no item was tried again before that.
    for (const item of [...alerts, ...ops]) {
      const retried = sink.attempts.filter((attempt) => attempt.item === item).slice(1);
      for (const attempt of retried) expect(attempt.at).toBeGreaterThanOrEqual(start + 30_000);
    }
  });

  it("waits the backoff when it is longer than Retry-After", async () => {
    const clock = new VirtualDeliveryClock();
    let calls = 0;
    const { queue, outcomes, retries } = harness({
      clock,
      send: async () => {
        if (++calls === 1) throw new DeliveryError("Teams answered 429", { retryable: true, status: 429, retryAfterMs: 200 });
      },
    });
    queue.offer("a", "webhook");
    await queue.idle();
    expect(retries.map((retry) => retry.waitMs)).toEqual([1000]);
    expect(outcomes.get("a")).toEqual({ result: "delivered", attempts: 2 });
  });

  it("grows the backoff exponentially up to its cap, then makes one last attempt as the budget ends", async () => {
    const clock = new VirtualDeliveryClock();
    const start = clock.now();
    const attemptTimes: number[] = [];
    const { queue, outcomes, retries } = harness({
      clock,
      retryBudgetMs: 40_000,
      backoff: { initialMs: 1000, factor: 2, maxMs: 8000 },
      send: async () => {
        attemptTimes.push(clock.now() - start);
        throw new Error("ECONNRESET");
      },
    });
    queue.offer("a", "#alerts");
    await queue.idle();

    expect(retries.map((retry) => retry.waitMs)).toEqual([1000, 2000, 4000, 8000, 8000, 8000, 8000, 1000]);
    expect(retries.map((retry) => retry.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(attemptTimes.at(-1)).toBe(40_000);
    expect(outcomes.get("a")).toEqual({ result: "failed", attempts: 9, reason: "retry budget of 40s spent after 9 attempts: ECONNRESET" });
  });

  it("spreads waits with jitter within ±20 %", async () => {
    const waitsWith = async (random: () => number) => {
      const clock = new VirtualDeliveryClock();
      let calls = 0;
      const { queue, retries } = harness({
        clock,
        random,
        send: async () => {
          if (++calls <= 2) throw new Error("ECONNRESET");
        },
      });
      queue.offer("a", "#alerts");
      await queue.idle();
      return retries.map((retry) => retry.waitMs);
    };
    expect(await waitsWith(() => 0)).toEqual([800, 1600]);
    expect(await waitsWith(() => 0.75)).toEqual([1100, 2200]);
  });

  it("fails a permanent error at once, with its reason", async () => {
    const clock = new VirtualDeliveryClock();
    let calls = 0;
    const { queue, outcomes, retries } = harness({
      clock,
      send: async () => {
        calls++;
        throw new DeliveryError("Slack answered 404: channel_not_found", { retryable: false, status: 404 });
      },
    });
    queue.offer("a", "#gone");
    await queue.idle();
    expect(outcomes.get("a")).toEqual({ result: "failed", attempts: 1, reason: "Slack answered 404: channel_not_found" });
    expect(calls).toBe(1);
    expect(retries).toEqual([]);
    expect(clock.sleeps).toEqual([]);
  });

  it("fails when the retry budget is spent, naming the budget and the last error", async () => {
    const clock = new VirtualDeliveryClock();
    const { queue, outcomes, retries } = harness({
      clock,
      retryBudgetMs: 5000,
      send: async (_item, attempt) => {
        throw new Error(`attempt ${attempt}: socket hang up`);
      },
    });
    queue.offer("a", "#alerts");
    await queue.idle();
    // 1 s, 2 s, then the 4 s backoff is cut to the 2 s left.
    expect(retries.map((retry) => retry.waitMs)).toEqual([1000, 2000, 2000]);
    expect(outcomes.get("a")).toEqual({
      result: "failed",
      attempts: 4,
      reason: "retry budget of 5s spent after 4 attempts: attempt 4: socket hang up",
    });
  });

  it("fails at once when the service asks to wait longer than the budget has left", async () => {
    const clock = new VirtualDeliveryClock();
    const { queue, outcomes } = harness({
      clock,
      retryBudgetMs: 10_000,
      send: async () => {
        throw new DeliveryError("Slack answered 429", { retryable: true, status: 429, retryAfterMs: 60_000 });
      },
    });
    queue.offer("a", "#alerts");
    await queue.idle();
    expect(outcomes.get("a")).toEqual({
      result: "failed",
      attempts: 1,
      reason: "retry budget of 10s spent after 1 attempt (the service asked to wait 60s): Slack answered 429",
    });
    expect(clock.sleeps).toEqual([]);
  });
});

describe("DeliveryQueue lanes", () => {
  it("refuses items beyond its capacity, counting every lane, and takes them again once there is room", async () => {
    const clock = new VirtualDeliveryClock();
    const release = deferred();
    const { queue, outcomes } = harness({ clock, capacity: 2, send: () => release.promise });
    expect(queue.offer("a", "#one")).toBe(true);
    expect(queue.offer("b", "#two")).toBe(true);
    expect(queue.offer("c", "#three")).toBe(false);
    expect(queue.offer("c", "#one")).toBe(false);
    expect(queue.size).toBe(2);
    release.resolve();
    await queue.idle();
    expect(queue.size).toBe(0);
    expect(queue.offer("c", "#three")).toBe(true);
    await queue.idle();
    expect([...outcomes.keys()].sort()).toEqual(["a", "b", "c"]);
  });

  it("keeps sending other lanes while one waits to retry, even with one send at a time", async () => {
    const clock = new ManualClock();
    let down = true;
    const delivered: string[] = [];
    const { queue, outcomes } = harness({
      clock,
      concurrency: 1,
      send: async (item) => {
        if (item.startsWith("down") && down) throw new DeliveryError("Slack answered 429", { retryable: true, status: 429, retryAfterMs: 30_000 });
        delivered.push(item);
      },
    });
    queue.offer("down-1", "#down");
    queue.offer("down-2", "#down");
    queue.offer("up-1", "#up");
    queue.offer("up-2", "#up");
    await settle();

    expect(delivered).toEqual(["up-1", "up-2"]);
    expect(outcomes.has("down-1")).toBe(false);
    expect(clock.pending).toEqual([30_000]);
    expect(queue.size).toBe(2);

    down = false;
    await clock.advance(30_000);
    await queue.idle();
    expect(delivered).toEqual(["up-1", "up-2", "down-1", "down-2"]);
    expect(outcomes.get("down-1")).toEqual({ result: "delivered", attempts: 2 });
  });

  it("sends a lane's items one at a time in order, retrying in place", async () => {
    const clock = new VirtualDeliveryClock();
    const log: string[] = [];
    const { queue } = harness({
      clock,
      send: async (item, attempt) => {
        log.push(`${item}#${attempt}`);
        if (item === "2" && attempt < 3) throw new Error("ECONNRESET");
      },
    });
    for (const item of ["1", "2", "3", "4"]) queue.offer(item, "#alerts");
    await queue.idle();
    expect(log).toEqual(["1#1", "2#1", "2#2", "2#3", "3#1", "4#1"]);
  });

  it("never has more sends in flight than its concurrency, nor two from one lane", async () => {
    const clock = new VirtualDeliveryClock();
    const gates = new Map<string, Deferred>();
    const inFlight = new Set<string>();
    let most = 0;
    const { queue, outcomes } = harness({
      clock,
      concurrency: 2,
      send: async (item) => {
        inFlight.add(item);
        most = Math.max(most, inFlight.size);
        const gate = deferred();
        gates.set(item, gate);
        await gate.promise;
        inFlight.delete(item);
      },
    });
    queue.offer("a-1", "#a");
    queue.offer("a-2", "#a");
    queue.offer("b-1", "#b");
    queue.offer("c-1", "#c");
    await settle();
    expect([...inFlight]).toEqual(["a-1", "b-1"]);

    gates.get("a-1")!.resolve();
    await settle();
    // The slot goes to the lane that was waiting for one; a-2 queues behind it.
    expect([...inFlight].sort()).toEqual(["b-1", "c-1"]);

    gates.get("b-1")!.resolve();
    await settle();
    expect([...inFlight].sort()).toEqual(["a-2", "c-1"]);

    gates.get("c-1")!.resolve();
    gates.get("a-2")!.resolve();
    await queue.idle();
    expect(most).toBe(2);
    expect(outcomes.size).toBe(4);
  });

  it("keeps delivering when onOutcome and onRetry throw", async () => {
    const clock = new VirtualDeliveryClock();
    const delivered: string[] = [];
    let calls = 0;
    const queue = new DeliveryQueue<string>({
      capacity: 10,
      concurrency: 1,
      retryBudgetMs: 60_000,
      clock,
      random: middle,
      send: async (item) => {
        if (++calls === 1) throw new Error("ECONNRESET");
        delivered.push(item);
      },
      onOutcome: () => {
        throw new Error("observer broke");
      },
      onRetry: () => {
        throw new Error("observer broke");
      },
    });
    queue.offer("a", "#alerts");
    queue.offer("b", "#alerts");
    queue.offer("c", "#other");
    await queue.idle();
    expect(delivered.sort()).toEqual(["a", "b", "c"]);
    expect(queue.size).toBe(0);
  });

  it("idle() resolves at once when empty and otherwise once every item has its outcome", async () => {
    const clock = new VirtualDeliveryClock();
    const release = deferred();
    const { queue, outcomes } = harness({ clock, send: () => release.promise });
    await queue.idle();

    queue.offer("a", "#alerts");
    let idle = false;
    void queue.idle().then(() => (idle = true));
    await settle();
    expect(idle).toBe(false);
    expect(queue.size).toBe(1);

    release.resolve();
    await settle();
    expect(idle).toBe(true);
    expect(outcomes.get("a")?.result).toBe("delivered");
  });
});

describe("DeliveryQueue.close", () => {
  it("abandons what is left at the deadline, with reasons, even a send that ignores its signal", async () => {
    const clock = new ManualClock();
    let signal: AbortSignal | undefined;
    const { queue, outcomes } = harness({
      clock,
      concurrency: 1,
      send: (item, _attempt, sendSignal) => {
        signal = sendSignal;
        return new Promise(() => undefined); // hangs for good
      },
    });
    queue.offer("a", "#one");
    queue.offer("b", "#two");
    queue.offer("c", "#two");
    await settle();

    let closed = false;
    const closing = queue.close(5000).then(() => (closed = true));
    expect(queue.offer("d", "#three")).toBe(false);
    await clock.advance(4999);
    expect(closed).toBe(false);
    expect(outcomes.size).toBe(0);

    await clock.advance(1);
    await closing;
    expect(signal?.aborted).toBe(true);
    expect(outcomes.get("a")).toEqual({ result: "abandoned", attempts: 1, reason: "runner shut down during attempt 1" });
    expect(outcomes.get("b")).toEqual({ result: "abandoned", attempts: 0, reason: "runner shut down before it was sent" });
    expect(outcomes.get("c")).toEqual({ result: "abandoned", attempts: 0, reason: "runner shut down before it was sent" });
    expect(queue.size).toBe(0);
  });

  it("keeps retrying until the deadline, and stops its deadline timer once everything is delivered", async () => {
    const clock = new ManualClock();
    let calls = 0;
    const { queue, outcomes } = harness({
      clock,
      send: async () => {
        if (++calls === 1) throw new DeliveryError("Slack answered 429", { retryable: true, status: 429, retryAfterMs: 2000 });
      },
    });
    queue.offer("a", "#alerts");
    await settle();

    const closing = queue.close(10_000);
    expect(clock.pending).toEqual([2000, 10_000]);
    await clock.advance(2000);
    await closing;
    expect(outcomes.get("a")).toEqual({ result: "delivered", attempts: 2 });
    expect(clock.pending).toEqual([]);
  });

  it("abandons at once a retry that would come after the deadline", async () => {
    const clock = new ManualClock();
    const answer = deferred();
    const { queue, outcomes } = harness({ clock, send: () => answer.promise });
    queue.offer("a", "#alerts");
    await settle();

    const closing = queue.close(10_000);
    answer.reject(new DeliveryError("Slack answered 429", { retryable: true, status: 429, retryAfterMs: 60_000 }));
    await closing;
    expect(outcomes.get("a")).toEqual({
      result: "abandoned",
      attempts: 1,
      reason: "runner shut down before the retry due in 60s: Slack answered 429",
    });
  });

  it("abandons a retry wait still running at the deadline, naming the last error", async () => {
    const clock = new ManualClock();
    const { queue, outcomes } = harness({
      clock,
      send: async () => {
        throw new Error("ECONNRESET");
      },
    });
    queue.offer("a", "#alerts");
    await settle();
    expect(clock.pending).toEqual([1000]);

    const closing = queue.close(500);
    await clock.advance(500);
    await closing;
    expect(outcomes.get("a")).toEqual({
      result: "abandoned",
      attempts: 1,
      reason: "runner shut down while waiting to retry after 1 attempt: ECONNRESET",
    });
  });

  it("with deadline 0 abandons everything at once", async () => {
    const clock = new VirtualDeliveryClock();
    const { queue, outcomes } = harness({ clock, concurrency: 1, send: () => new Promise(() => undefined) });
    for (const item of ["a", "b", "c"]) queue.offer(item, "#alerts");
    await settle();

    await queue.close(0);
    expect([...outcomes.values()].map((outcome) => outcome.result)).toEqual(["abandoned", "abandoned", "abandoned"]);
    expect(outcomes.get("a")?.attempts).toBe(1);
    expect(queue.size).toBe(0);
    await queue.idle();
  });

  it("resolves at once when nothing is queued", async () => {
    const clock = new ManualClock();
    const { queue } = harness({ clock, send: async () => undefined });
    await queue.close(30_000);
    expect(clock.pending).toEqual([]);
    expect(queue.offer("a", "#alerts")).toBe(false);
  });
});
