import type { StateStore } from "./store.js";

/** A store that lives as long as the process: for the demo, tests, and runners told not to persist. */
export class MemoryStateStore implements StateStore {
  /** JSON text by key, so values come back as a persistent store would return them. */
  private readonly entries = new Map<string, string>();

  constructor(initial: Iterable<[string, unknown]> = []) {
    for (const [key, value] of initial) this.set(key, value);
  }

  async load(): Promise<Map<string, unknown>> {
    return new Map([...this.entries].map(([key, text]) => [key, JSON.parse(text) as unknown]));
  }

  set(key: string, value: unknown): void {
    this.entries.set(key, JSON.stringify(value));
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
