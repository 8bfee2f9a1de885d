/**
 * A StateStore kept in one ConfigMap, written sparingly: changes are gathered in memory and sent
 * as one merge patch at most once per interval (and on flush/close), since every write is an
 * API-server and etcd write. The data is kept under the ConfigMap size limit by dropping the
 * entries set longest ago. Entries it did not write (another tool's keys) are left alone.
 */
import type { Cluster, Logger } from "@robusta-ts/sdk";
import { errorMessage } from "@robusta-ts/sdk";
import { dataKeyOf, decodeEntry, encodeEntry } from "./configmap-keys.js";
import type { StateStore } from "./store.js";
import { systemTimers, type TimerHandle, type Timers } from "./timers.js";

export interface ConfigMapStateStoreOptions {
  readonly cluster: Cluster;
  readonly name: string;
  readonly namespace: string;
  readonly logger: Logger;
  /** Pending changes are written at most this often; default 10 s. */
  readonly writeIntervalMs?: number;
  /**
   * Bytes of data (keys and values) kept at most; beyond it the entries set longest ago are
   * dropped. Default 900 KiB: a ConfigMap holds 1 MiB in all, metadata included.
   */
  readonly maxBytes?: number;
  readonly timers?: Timers;
}

interface Stored {
  readonly key: string;
  readonly text: string;
  readonly bytes: number;
}

const statusOf = (error: unknown) => (error as { statusCode?: unknown; code?: unknown }).statusCode ?? (error as { code?: unknown }).code;
const isNotFound = (error: unknown) => statusOf(error) === 404 || /not found/i.test(errorMessage(error));
const isConflict = (error: unknown) => statusOf(error) === 409 || /already exists|conflict/i.test(errorMessage(error));

export class ConfigMapStateStore implements StateStore {
  private readonly cluster: Cluster;
  private readonly logger: Logger;
  private readonly timers: Timers;
  private readonly intervalMs: number;
  private readonly maxBytes: number;
  /** By data key, the entry set longest ago first. */
  private readonly data = new Map<string, Stored>();
  private bytes = 0;
  /** Data keys changed or deleted since the last successful write. */
  private readonly dirty = new Set<string>();
  /** Whether the ConfigMap is known to exist; undefined until read. */
  private exists: boolean | undefined;
  private timer: TimerHandle | undefined;
  private writes: Promise<void> = Promise.resolve();
  private closed = false;
  private droppedSinceWrite = 0;
  private droppedTotal = 0;
  private failures = 0;

  constructor(private readonly options: ConfigMapStateStoreOptions) {
    this.cluster = options.cluster;
    this.logger = options.logger.child({ configMap: `${options.namespace}/${options.name}` });
    this.timers = options.timers ?? systemTimers;
    this.intervalMs = options.writeIntervalMs ?? 10_000;
    this.maxBytes = options.maxBytes ?? 900 * 1024;
  }

  /** Entries dropped to stay under the size limit, since start. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** Writes that failed in a row (0 once one succeeds). */
  get failedWrites(): number {
    return this.failures;
  }

  async load(): Promise<Map<string, unknown>> {
    try {
      const configMap = (await this.cluster.get("ConfigMap", this.options.name, this.options.namespace)) as
        | { data?: Record<string, string> }
        | undefined;
      this.exists = configMap !== undefined;
      let foreign = 0;
      for (const [dataKey, text] of Object.entries(configMap?.data ?? {})) {
        const entry = decodeEntry(text);
        if (!entry || dataKeyOf(entry.key) !== dataKey) {
          foreign++;
          continue;
        }
        if (!this.data.has(dataKey)) this.store(dataKey, { key: entry.key, text, bytes: byteSize(dataKey, text) });
      }
      if (foreign > 0) this.logger.warn({ entries: foreign }, "left alone ConfigMap entries this runner did not write");
      this.enforceLimit();
    } catch (error) {
      this.logger.error({ reason: errorMessage(error) }, "could not read saved state; starting without it");
    }
    return new Map([...this.data.values()].map((stored) => [stored.key, decodeEntry(stored.text)!.value]));
  }

  set(key: string, value: unknown): void {
    const dataKey = dataKeyOf(key);
    const text = encodeEntry(key, value);
    if (this.data.get(dataKey)?.text === text) return;
    const stored: Stored = { key, text, bytes: byteSize(dataKey, text) };
    if (stored.bytes > this.maxBytes) {
      this.logger.warn({ key, bytes: stored.bytes, maxBytes: this.maxBytes }, "state entry too large to save; dropped");
      this.droppedTotal++;
      this.delete(key);
      return;
    }
    this.store(dataKey, stored);
    this.dirty.add(dataKey);
    this.enforceLimit();
    this.schedule();
  }

  delete(key: string): void {
    const dataKey = dataKeyOf(key);
    const stored = this.data.get(dataKey);
    if (!stored) return;
    this.data.delete(dataKey);
    this.bytes -= stored.bytes;
    this.dirty.add(dataKey);
    this.schedule();
  }

  flush(): Promise<void> {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    // One write at a time, in order; `write` never rejects.
    this.writes = this.writes.then(() => this.write());
    return this.writes;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private store(dataKey: string, stored: Stored): void {
    const previous = this.data.get(dataKey);
    if (previous) this.bytes -= previous.bytes;
    this.data.delete(dataKey); // re-insert: most recently set last
    this.data.set(dataKey, stored);
    this.bytes += stored.bytes;
  }

  /** Drops the entries set longest ago until the data fits. */
  private enforceLimit(): void {
    for (const [dataKey, stored] of this.data) {
      if (this.bytes <= this.maxBytes) break;
      this.data.delete(dataKey);
      this.bytes -= stored.bytes;
      this.dirty.add(dataKey);
      this.droppedSinceWrite++;
      this.droppedTotal++;
    }
  }

  private schedule(): void {
    if (this.timer !== undefined || this.closed || this.dirty.size === 0) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.intervalMs);
  }

  private async write(): Promise<void> {
    if (this.dirty.size === 0) return;
    const keys = [...this.dirty];
    this.dirty.clear();
    const changes: Record<string, string | null> = {};
    for (const dataKey of keys) changes[dataKey] = this.data.get(dataKey)?.text ?? null;
    try {
      await this.apply(changes);
      this.failures = 0;
      if (this.droppedSinceWrite > 0) {
        this.logger.warn(
          { dropped: this.droppedSinceWrite, droppedInAll: this.droppedTotal, maxBytes: this.maxBytes },
          "dropped the oldest state entries to stay under the ConfigMap size limit",
        );
        this.droppedSinceWrite = 0;
      }
    } catch (error) {
      for (const dataKey of keys) this.dirty.add(dataKey);
      this.failures++;
      this.logger.warn(
        { reason: errorMessage(error), failures: this.failures, retryInMs: this.intervalMs },
        "could not save state; will retry",
      );
      this.schedule();
    }
  }

  /**
   * Creates the ConfigMap when it is missing, patches it otherwise. A 404 on patch (deleted under
   * us) or a 409 on create (created by someone else meanwhile) re-reads and tries again, once each.
   */
  private async apply(changes: Record<string, string | null>): Promise<void> {
    // After a lost race to create it, our entries may never have been saved: send them all.
    let all = false;
    const retried = { create: false, patch: false };
    for (;;) {
      let creating = false;
      try {
        if (this.exists !== true) {
          this.exists = (await this.cluster.get("ConfigMap", this.options.name, this.options.namespace)) !== undefined;
          if (!this.exists) {
            creating = true;
            await this.cluster.create({
              apiVersion: "v1",
              kind: "ConfigMap",
              metadata: { name: this.options.name, namespace: this.options.namespace },
              data: this.allData(),
            });
            this.exists = true;
            this.logger.info("created the ConfigMap that keeps state");
            return;
          }
        }
        const data = all ? { ...changes, ...this.allData() } : changes;
        await this.cluster.patch("ConfigMap", this.options.name, this.options.namespace, { data }, "merge");
        return;
      } catch (error) {
        const step = creating ? "create" : "patch";
        if (retried[step] || !(creating ? isConflict(error) : isNotFound(error))) throw error;
        retried[step] = true;
        all ||= creating;
        this.exists = undefined;
      }
    }
  }

  private allData(): Record<string, string> {
    return Object.fromEntries([...this.data].map(([dataKey, stored]) => [dataKey, stored.text]));
  }
}

function byteSize(dataKey: string, text: string): number {
  return Buffer.byteLength(dataKey) + Buffer.byteLength(text);
}
