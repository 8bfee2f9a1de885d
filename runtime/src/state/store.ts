/** Small state the runner keeps across restarts: schedule run counts, rate-limit marks. */

/**
 * A key-value store of JSON values. Reads happen once, at start (`load`); writes are cheap calls
 * that a persistent store saves later, in batches: `set` and `delete` never fail or block, and a
 * store that cannot save logs it and tries again.
 */
export interface StateStore {
  /** Every saved entry. Call once, before the first `set` or `delete`; a store that cannot be read logs it and returns what it has. */
  load(): Promise<Map<string, unknown>>;
  /** Sets an entry; `value` must survive JSON. */
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** Saves what is pending now; never rejects. */
  flush(): Promise<void>;
  /** Saves what is pending and stops any timer. Later `set` and `delete` are kept in memory only. */
  close(): Promise<void>;
}
