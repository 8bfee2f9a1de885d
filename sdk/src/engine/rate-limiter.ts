/**
 * Robusta's `RateLimiter.mark_and_test`, in bounded memory: Robusta's map grows forever; this one
 * forgets the oldest keys beyond `maxKeys`. A forgotten key can fire again early, never late.
 * Its marks can be saved (`entries`, `onMark`) and restored, so a restarted runner does not
 * notify again about what it already reported.
 */

/** One mark: `key` fired at `firedAt` (epoch ms) and is held back until `until` (epoch ms). */
export interface RateLimitEntry {
  readonly key: string;
  readonly firedAt: number;
  readonly until: number;
}

export class RateLimiter {
  /** By key, oldest mark first. */
  private readonly marks = new Map<string, RateLimitEntry>();
  private readonly listeners = new Set<(entry: RateLimitEntry) => void>();

  constructor(private readonly maxKeys = 50_000) {}

  /** True, and marks `key` as fired at `now`, when it did not fire in the last `seconds`. */
  markAndTest(key: string, seconds: number, now: Date): boolean {
    if (seconds <= 0) return true;
    const at = now.getTime();
    const last = this.marks.get(key);
    if (last !== undefined && at - last.firedAt < seconds * 1000) return false;
    const entry: RateLimitEntry = { key, firedAt: at, until: at + seconds * 1000 };
    this.put(entry);
    for (const listener of this.listeners) listener(entry);
    return true;
  }

  /** Calls `listener` with every new mark; returns the function that stops it. */
  onMark(listener: (entry: RateLimitEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The marks still holding a key back at `now`, oldest first. */
  entries(now: Date): RateLimitEntry[] {
    const at = now.getTime();
    return [...this.marks.values()].filter((entry) => entry.until > at);
  }

  /**
   * Takes back saved marks, skipping those expired at `now` and keeping a newer mark already
   * held; listeners are not told. Returns how many were taken.
   */
  restore(entries: Iterable<RateLimitEntry>, now: Date): number {
    const at = now.getTime();
    const fresh = [...entries].filter((entry) => {
      const held = this.marks.get(entry.key);
      return entry.until > at && (held === undefined || held.firedAt < entry.firedAt);
    });
    // Oldest first, so the eviction order stays by firing time.
    fresh.sort((a, b) => a.firedAt - b.firedAt);
    for (const entry of fresh) this.put({ key: entry.key, firedAt: entry.firedAt, until: entry.until });
    return fresh.length;
  }

  get size(): number {
    return this.marks.size;
  }

  private put(entry: RateLimitEntry): void {
    this.marks.delete(entry.key); // re-insert so Map order stays oldest-first
    this.marks.set(entry.key, entry);
    if (this.marks.size > this.maxKeys) {
      const oldest = this.marks.keys().next().value;
      if (oldest !== undefined) this.marks.delete(oldest);
    }
  }
}
