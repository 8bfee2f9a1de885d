/**
 * Robusta's `RateLimiter.mark_and_test`, in bounded memory: Robusta's map grows forever; this one
 * forgets the oldest keys beyond `maxKeys`. A forgotten key can fire again early, never late.
 */
export class RateLimiter {
  private readonly lastFired = new Map<string, number>();

  constructor(private readonly maxKeys = 50_000) {}

  /** True, and marks `key` as fired at `now`, when it did not fire in the last `seconds`. */
  markAndTest(key: string, seconds: number, now: Date): boolean {
    if (seconds <= 0) return true;
    const at = now.getTime();
    const last = this.lastFired.get(key);
    if (last !== undefined && at - last < seconds * 1000) return false;
    this.lastFired.delete(key); // re-insert so Map order stays oldest-first
    this.lastFired.set(key, at);
    if (this.lastFired.size > this.maxKeys) {
      const oldest = this.lastFired.keys().next().value;
      if (oldest !== undefined) this.lastFired.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.lastFired.size;
  }
}
