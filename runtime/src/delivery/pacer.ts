/**
 * Spaces sends per key (a Slack channel, a Teams webhook) evenly, to stay under the service's rate
 * limit before it has to answer 429: Slack allows about 1 message per second per channel, a Teams
 * webhook 4 requests per second.
 */
import type { DeliveryClock } from "./clock.js";

export interface PacerOptions {
  /** Sends per key per second; they are spaced 1000/perSecond ms apart. */
  readonly perSecond: number;
  readonly clock: DeliveryClock;
  /**
   * Keys remembered at most (default 10000). Keys whose next slot has passed are forgotten first;
   * beyond that the least recently used key loses its spacing.
   */
  readonly maxKeys?: number;
}

export class Pacer {
  private readonly intervalMs: number;
  private readonly maxKeys: number;
  private readonly clock: DeliveryClock;
  /** The earliest time each key may send again, least recently reserved first. */
  private readonly nextSlot = new Map<string, number>();

  /** At most `perSecond` sends per key per second, evenly spaced (interval = 1000/perSecond ms). */
  constructor(options: PacerOptions) {
    const { perSecond, maxKeys = 10_000 } = options;
    if (!Number.isFinite(perSecond) || perSecond <= 0) throw new RangeError(`perSecond must be more than 0, not ${perSecond}`);
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError(`maxKeys must be a whole number of 1 or more, not ${maxKeys}`);
    this.intervalMs = 1000 / perSecond;
    this.maxKeys = maxKeys;
    this.clock = options.clock;
  }

  /** Keys remembered now (bounded by maxKeys). */
  get keys(): number {
    return this.nextSlot.size;
  }

  /**
   * Waits until `key` may send again, and reserves that slot. Concurrent waiters on one key are
   * spaced too, in call order. When `signal` aborts the wait rejects with its reason, and the slot
   * is given back if no later waiter has reserved one after it.
   */
  async wait(key: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot.get(key) ?? now);
    const after = slot + this.intervalMs;
    this.reserve(key, after, now);
    if (slot <= now) return;
    try {
      await this.clock.sleep(slot - now, signal);
    } catch (error) {
      if (this.nextSlot.get(key) === after) this.nextSlot.set(key, slot);
      throw error;
    }
  }

  private reserve(key: string, at: number, now: number): void {
    // Deleting first moves the key to the end: the map stays in least recently reserved order.
    this.nextSlot.delete(key);
    this.nextSlot.set(key, at);
    if (this.nextSlot.size <= this.maxKeys) return;
    for (const [known, next] of this.nextSlot) if (next <= now) this.nextSlot.delete(known);
    for (const known of this.nextSlot.keys()) {
      if (this.nextSlot.size <= this.maxKeys) break;
      this.nextSlot.delete(known);
    }
  }
}
