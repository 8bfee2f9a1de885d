/** A small least-recently-used map whose entries also expire: what sinks remember between sends (per finding, per channel). */

export interface BoundedCacheOptions {
  /** Entries kept at most; the least recently used goes first. */
  readonly maxEntries: number;
  /** How long an entry lives after it was set. */
  readonly ttlMs: number;
  readonly now: () => number;
}

export class BoundedCache<K, V> {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly entries = new Map<K, { readonly value: V; readonly expires: number }>();

  constructor(private readonly options: BoundedCacheOptions) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= this.options.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.options.now() + this.options.ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /** The first live entry whose value matches, without counting it as used. */
  find(predicate: (value: V) => boolean): [K, V] | undefined {
    const now = this.options.now();
    for (const [key, entry] of this.entries) if (entry.expires > now && predicate(entry.value)) return [key, entry.value];
    return undefined;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
