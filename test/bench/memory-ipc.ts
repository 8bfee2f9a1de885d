/** Messages between the memory benchmark and its two children (the fake API server and the runner). */
import type { ChangeType } from "./memory-cluster.js";

/** process.memoryUsage() at a moment (Date.now()), in bytes. */
export interface MemorySample {
  readonly t: number;
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

export type ToApiServer = { readonly type: "drive"; readonly seconds: number; readonly rate: number };

export type FromApiServer =
  | {
      readonly type: "ready";
      /** Kubeconfig files: a server with no pods (the baseline) and the seeded one. */
      readonly kubeconfigs: { readonly empty: string; readonly loaded: string };
      readonly pods: number;
      readonly namespaces: number;
      /** Average JSON size of a stored pod, managedFields included. */
      readonly podBytes: number;
      readonly historySize: number;
    }
  | { readonly type: "driven"; readonly changes: number; readonly byType: Readonly<Record<ChangeType, number>>; readonly seconds: number };

export type ToRunner = { readonly type: "finish"; readonly expectedChanges: number };

export interface RunnerCounts {
  /** Watch events by result: forwarded to the playbooks, or filtered out (ADVANCED_FILTERS). */
  readonly watchForwarded: number;
  readonly watchFiltered: number;
  readonly watchRelists: number;
  readonly watchRestarts: number;
  /** Pods the watch holds. */
  readonly watchObjects: number;
  readonly intakeAccepted: number;
  readonly intakeRejected: number;
  readonly dispatched: number;
  readonly playbookRuns: number;
  readonly playbookRunsFailed: number;
  readonly findings: number;
}

export type FromRunner =
  | { readonly type: "sample"; readonly sample: MemorySample }
  | {
      readonly type: "synced";
      readonly sample: MemorySample;
      /** The kernel's high-water mark of RSS so far (getrusage): the peak of the sync, bytes. */
      readonly maxRss: number;
      readonly syncMs: number;
      readonly objects: number;
      readonly watched: readonly string[];
    }
  | {
      readonly type: "done";
      /** After draining and a forced full GC: what is retained. */
      readonly final: MemorySample;
      /** The kernel's high-water mark of RSS over the whole process (getrusage), bytes. */
      readonly maxRss: number;
      /** V8's heap size limit, which Node derives from the machine's memory or the container's limit. */
      readonly heapLimit: number;
      /** RSS by kind from /proc/self/status (Linux): anonymous memory, and mapped files (the node binary). */
      readonly rssAnon?: number;
      readonly rssFile?: number;
      readonly counts: RunnerCounts;
      /** Per V8 heap space after the GC: bytes used by objects, and bytes committed (resident or not). */
      readonly heapSpaces: Readonly<Record<string, { readonly used: number; readonly committed: number }>>;
      readonly heapSnapshot?: string;
    };
