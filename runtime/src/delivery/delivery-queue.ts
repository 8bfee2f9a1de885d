/**
 * One sink's bounded delivery queue. Items go in lanes (one per destination): a lane sends its
 * items one at a time, in order, and retries a failed item in place, so a channel that is rate
 * limited waits while the other lanes go on. Every accepted item ends with exactly one outcome
 * (delivered, failed with a reason, or abandoned at shutdown): nothing is lost silently.
 *
 * Retry policy, after a retryable failure of attempt K:
 * - the wait is max(exponential backoff with jitter, the service's Retry-After): never shorter
 *   than Retry-After;
 * - when that wait would end after the retry budget (counted from the item's first attempt), the
 *   backoff part is shortened so one last attempt happens as the budget ends, provided the
 *   Retry-After still fits; otherwise the item fails with "retry budget of Ns spent after K
 *   attempts: <last error>";
 * - errors that are not retryable (see isRetryable) fail at once with their message.
 *
 * A lane waiting to retry does not hold a send slot: `concurrency` bounds sends in flight.
 */
import { errorMessage } from "@robusta-ts/sdk";
import { backoffDelay, resolveBackoff, type Backoff, type BackoffOptions } from "./backoff.js";
import type { DeliveryClock } from "./clock.js";
import { DeliveryError, isRetryable } from "./delivery-error.js";

export type DeliveryOutcome =
  | { readonly result: "delivered"; readonly attempts: number }
  /** Gave up: a permanent error, or the retry budget is spent. */
  | { readonly result: "failed"; readonly attempts: number; readonly reason: string }
  /** The runner shut down first. */
  | { readonly result: "abandoned"; readonly attempts: number; readonly reason: string };

export interface DeliveryQueueOptions<T> {
  /** Items accepted and without an outcome yet (waiting, being sent or waiting to retry), all lanes together; offer() refuses beyond it. */
  readonly capacity: number;
  /** Sends in flight at once (each from a different lane). */
  readonly concurrency: number;
  /** Longest time from an item's first attempt to its last. */
  readonly retryBudgetMs: number;
  /** Defaults: initialMs 1000, maxMs 60000, factor 2, jitter 0.2. */
  readonly backoff?: BackoffOptions;
  readonly clock: DeliveryClock;
  /** Sends one item; throws to fail the attempt (a DeliveryError says if retryable and Retry-After). */
  send(item: T, attempt: number, signal: AbortSignal): Promise<void>;
  /** Called once per item with its final outcome. */
  onOutcome(item: T, outcome: DeliveryOutcome): void;
  /** Called before each retry wait; `attempt` is the attempt that failed. */
  onRetry?(item: T, error: unknown, waitMs: number, attempt: number): void;
  /** For jitter; tests pass a fixed one. */
  readonly random?: () => number;
}

interface Entry<T> {
  readonly item: T;
  done: boolean;
}

type Plan = { readonly waitMs: number } | { readonly reason: string };

export class DeliveryQueue<T> {
  private readonly backoff: Backoff;
  private readonly random: () => number;
  private readonly lanes = new Map<string, Fifo<Entry<T>>>();
  private readonly slots: Slots;
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  /** When close()'s deadline passes; retries due after it are abandoned at once. */
  private closeDeadlineAt = Infinity;
  /** Cancel the close deadline's sleeps once nothing is left. */
  private readonly deadlineTimers = new Set<AbortController>();
  private readonly abort = new AbortController();
  /** Resolves when the queue aborts, so sends and sleeps that ignore the signal are not waited for. */
  private readonly aborted: Promise<typeof ABORTED>;
  private markAborted: () => void = () => undefined;

  constructor(private readonly options: DeliveryQueueOptions<T>) {
    const { capacity, concurrency, retryBudgetMs } = options;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number of 1 or more, not ${capacity}`);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a whole number of 1 or more, not ${concurrency}`);
    if (!Number.isFinite(retryBudgetMs) || retryBudgetMs < 0) throw new RangeError(`retryBudgetMs must be 0 or more, not ${retryBudgetMs}`);
    this.backoff = resolveBackoff(options.backoff);
    this.random = options.random ?? Math.random;
    this.slots = new Slots(concurrency);
    this.aborted = new Promise((resolve) => {
      this.markAborted = () => resolve(ABORTED);
    });
  }

  /** Queues `item` on `lane` (items of one lane are sent one at a time, in order). False when full or closed. */
  offer(item: T, lane: string): boolean {
    if (this.closed || this.pending >= this.options.capacity) return false;
    this.pending++;
    const entry: Entry<T> = { item, done: false };
    const existing = this.lanes.get(lane);
    if (existing) {
      existing.push(entry);
    } else {
      const items = new Fifo<Entry<T>>();
      items.push(entry);
      this.lanes.set(lane, items);
      void this.runLane(lane, items);
    }
    return true;
  }

  /** Items waiting or being sent (including those waiting to retry). */
  get size(): number {
    return this.pending;
  }

  /** Resolves when nothing is waiting or being sent. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops taking items; keeps sending (and retrying) until `deadlineMs` from now, then aborts what
   * is left: each gets the outcome "abandoned". A retry that would come after the deadline is
   * abandoned at once. Resolves when everything has an outcome.
   */
  close(deadlineMs: number): Promise<void> {
    this.closed = true;
    const deadline = Math.max(0, deadlineMs);
    this.closeDeadlineAt = Math.min(this.closeDeadlineAt, this.options.clock.now() + deadline);
    if (deadline === 0) {
      this.abortAll();
    } else if (this.pending > 0) {
      const timer = new AbortController();
      this.deadlineTimers.add(timer);
      void this.options.clock
        .sleep(deadline, timer.signal)
        .then(
          () => {
            if (!timer.signal.aborted) this.abortAll();
          },
          () => undefined,
        )
        .finally(() => this.deadlineTimers.delete(timer));
    }
    return this.idle();
  }

  /** Sends a lane's items in order until it is empty, then forgets it. */
  private async runLane(name: string, items: Fifo<Entry<T>>): Promise<void> {
    try {
      for (let entry = items.shift(); entry !== undefined; entry = items.shift()) {
        const outcome = await this.deliver(entry.item).catch(
          (error: unknown): DeliveryOutcome => ({ result: "failed", attempts: 0, reason: `delivery queue error: ${errorMessage(error)}` }),
        );
        this.settle(entry, outcome);
      }
    } finally {
      // No await between finding the lane empty and forgetting it, so no offer lands in between.
      this.lanes.delete(name);
    }
  }

  private async deliver(item: T): Promise<DeliveryOutcome> {
    const { clock } = this.options;
    let firstAttemptAt: number | undefined;
    let lastError: unknown;
    for (let attempt = 1; ; attempt++) {
      const previous = attempt - 1;
      if (!(await this.slots.acquire())) return abandonedBefore(previous, lastError);
      firstAttemptAt ??= clock.now();
      let result: { readonly error?: unknown; readonly ok: boolean } | typeof ABORTED;
      try {
        result = await Promise.race([this.attempt(item, attempt), this.aborted]);
      } finally {
        this.slots.release();
      }
      if (result !== ABORTED && result.ok) return { result: "delivered", attempts: attempt };
      if (result === ABORTED || this.abort.signal.aborted) {
        return { result: "abandoned", attempts: attempt, reason: `runner shut down during attempt ${attempt}` };
      }
      lastError = result.error;
      if (!isRetryable(lastError)) return { result: "failed", attempts: attempt, reason: errorMessage(lastError) };
      const plan = this.plan(lastError, attempt, firstAttemptAt);
      if ("reason" in plan) return { result: "failed", attempts: attempt, reason: plan.reason };
      if (clock.now() + plan.waitMs > this.closeDeadlineAt) {
        return { result: "abandoned", attempts: attempt, reason: `runner shut down before the retry due in ${seconds(plan.waitMs)}: ${errorMessage(lastError)}` };
      }
      try {
        this.options.onRetry?.(item, lastError, plan.waitMs, attempt);
      } catch {
        // A failing observer must not stop delivery.
      }
      if (!(await this.sleep(plan.waitMs))) return abandonedBefore(attempt, lastError);
    }
  }

  /** One attempt; resolves with its error instead of rejecting. */
  private async attempt(item: T, attempt: number): Promise<{ readonly error?: unknown; readonly ok: boolean }> {
    try {
      await this.options.send(item, attempt, this.abort.signal);
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** When to try again after `error` on attempt `attempt`, or why not to. */
  private plan(error: unknown, attempt: number, firstAttemptAt: number): Plan {
    const budget = this.options.retryBudgetMs;
    const left = firstAttemptAt + budget - this.options.clock.now();
    const retryAfter = error instanceof DeliveryError ? (error.retryAfterMs ?? 0) : 0;
    const waitMs = Math.max(backoffDelay(this.backoff, attempt, this.random), retryAfter);
    if (waitMs <= left) return { waitMs };
    // Backoff is ours to shorten, Retry-After is not: one last attempt as the budget ends, if allowed.
    if (left > 0 && retryAfter <= left) return { waitMs: left };
    const asked = retryAfter > left ? ` (the service asked to wait ${seconds(retryAfter)})` : "";
    return { reason: `retry budget of ${seconds(budget)} spent after ${attempts(attempt)}${asked}: ${errorMessage(error)}` };
  }

  /** True when the wait ran out, false when the queue aborted first. */
  private async sleep(ms: number): Promise<boolean> {
    const slept = this.options.clock.sleep(ms, this.abort.signal).then(
      () => true,
      () => false,
    );
    const result = await Promise.race([slept, this.aborted]);
    return result === true && !this.abort.signal.aborted;
  }

  private settle(entry: Entry<T>, outcome: DeliveryOutcome): void {
    if (entry.done) return;
    entry.done = true;
    this.pending--;
    try {
      this.options.onOutcome(entry.item, outcome);
    } catch {
      // A failing observer must not stop delivery.
    }
    if (this.pending === 0) {
      for (const timer of this.deadlineTimers) timer.abort();
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Aborts sends and waits in progress (their lanes settle them) and abandons everything waiting. */
  private abortAll(): void {
    if (this.abort.signal.aborted) return;
    this.abort.abort(new Error("delivery queue closed"));
    this.markAborted();
    this.slots.abortAll();
    for (const items of this.lanes.values()) {
      for (let entry = items.shift(); entry !== undefined; entry = items.shift()) {
        this.settle(entry, { result: "abandoned", attempts: 0, reason: "runner shut down before it was sent" });
      }
    }
  }
}

const ABORTED = Symbol("aborted");

function abandonedBefore(attemptsMade: number, lastError: unknown): DeliveryOutcome {
  const reason =
    attemptsMade === 0
      ? "runner shut down before it was sent"
      : `runner shut down while waiting to retry after ${attempts(attemptsMade)}: ${errorMessage(lastError)}`;
  return { result: "abandoned", attempts: attemptsMade, reason };
}

function attempts(count: number): string {
  return `${count} attempt${count === 1 ? "" : "s"}`;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/** Send slots: at most `limit` held at once; waiters are served first come, first served. */
class Slots {
  private held = 0;
  private readonly waiters = new Fifo<(granted: boolean) => void>();
  private aborted = false;

  constructor(private readonly limit: number) {}

  /** Resolves true with a slot, or false once aborted. */
  acquire(): Promise<boolean> {
    if (this.aborted) return Promise.resolve(false);
    if (this.held < this.limit) {
      this.held++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.aborted ? undefined : this.waiters.shift();
    if (next) next(true); // the slot passes on, still held
    else this.held--;
  }

  abortAll(): void {
    this.aborted = true;
    for (let next = this.waiters.shift(); next !== undefined; next = this.waiters.shift()) next(false);
  }
}

/** A first-in, first-out list whose shift() does not copy the array. */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined; // let it be collected
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
