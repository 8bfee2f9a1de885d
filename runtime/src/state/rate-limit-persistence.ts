/**
 * Keeps the engine's rate-limit marks in a StateStore, so a restarted runner does not notify
 * again about a crash loop it reported an hour ago. Marks are written through the store (which
 * batches writes); expired ones are skipped at start and pruned from the store as time passes.
 */
import type { Clock, Logger, RateLimitEntry, RateLimiter } from "@robusta-ts/sdk";
import { z } from "zod";
import type { StateStore } from "./store.js";

export interface RateLimitPersistenceOptions {
  readonly limiter: RateLimiter;
  readonly store: StateStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often expired marks are looked for, as marks come in; default 10 minutes. */
  readonly pruneIntervalMs?: number;
  /** Marks tracked for pruning at most; default 50 000, the limiter's own bound. */
  readonly maxKeys?: number;
}

/** What is saved per key. */
const savedMark = z.object({ firedAt: z.number(), until: z.number() });

export interface RateLimitPersistence {
  /** Marks taken back at start. */
  readonly restored: number;
  /** Stops saving new marks; flushing and closing the store is up to its owner. */
  stop(): void;
}

/** Loads saved marks into `limiter`, then saves each new mark. Call before the first event. */
export async function persistRateLimits(options: RateLimitPersistenceOptions): Promise<RateLimitPersistence> {
  const { limiter, store, clock, logger } = options;
  const pruneIntervalMs = options.pruneIntervalMs ?? 10 * 60_000;
  const maxKeys = options.maxKeys ?? 50_000;
  const now = clock.now().getTime();
  /** When each saved mark expires, by key, oldest first: what pruning walks. */
  const untilByKey = new Map<string, number>();
  const fresh: RateLimitEntry[] = [];
  for (const [key, value] of await store.load()) {
    const parsed = savedMark.safeParse(value);
    if (!parsed.success || parsed.data.until <= now) {
      store.delete(key);
      continue;
    }
    fresh.push({ key, ...parsed.data });
  }
  fresh.sort((a, b) => a.firedAt - b.firedAt);
  for (const { key, until } of fresh) untilByKey.set(key, until);
  const restored = limiter.restore(fresh, new Date(now));
  if (restored > 0) logger.info({ marks: restored }, "restored rate limits");

  let lastPrune = now;
  const prune = (at: number) => {
    lastPrune = at;
    for (const [key, until] of untilByKey) {
      if (until > at) continue;
      untilByKey.delete(key);
      store.delete(key);
    }
  };
  const stop = limiter.onMark((entry) => {
    store.set(entry.key, { firedAt: entry.firedAt, until: entry.until });
    untilByKey.delete(entry.key); // re-insert: oldest first
    untilByKey.set(entry.key, entry.until);
    if (untilByKey.size > maxKeys) {
      // Forget the oldest, as the limiter itself does; the store drops it too.
      const [oldest] = untilByKey.keys();
      if (oldest !== undefined) {
        untilByKey.delete(oldest);
        store.delete(oldest);
      }
    }
    if (entry.firedAt - lastPrune >= pruneIntervalMs) prune(entry.firedAt);
  });
  return { restored, stop };
}
