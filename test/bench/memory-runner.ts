/**
 * The runner under measurement, built as `robusta run` builds it: the real Runtime with the
 * example playbooks, a KubeCluster and the watches their triggers need (Pod) on the cluster of
 * $KUBECONFIG, here a fake API server. Findings go to a sink that only counts, so no I/O is
 * measured. It reports its memory every second; when told the run is over, it waits for the
 * changes to arrive and be dispatched, forces a full GC (--expose-gc) and reports what is retained
 * with its counts. Runs under tsx and bundled by esbuild alike.
 *
 * Environment: KUBECONFIG; BENCH_HEAP_SNAPSHOT, a file to write a heap snapshot to at the end.
 */
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { getHeapSpaceStatistics, getHeapStatistics, writeHeapSnapshot } from "node:v8";
import { collectPlaybooks } from "@robusta-ts/sdk";
import { Runtime, type Sink } from "@robusta-ts/runtime";
import * as alertEnrichment from "../../examples/alert-enrichment/playbooks/index.js";
import * as crashLoops from "../../examples/crash-loops/playbooks/index.js";
import { createWatches, KubeApiClient, KubeCluster, loadKubeConfig } from "../../runtime/src/kubernetes/index.js";
import type { FromRunner, MemorySample, RunnerCounts, ToRunner } from "./memory-ipc.js";

const send = (message: FromRunner) => process.send!(message);
const sample = (): MemorySample => ({ t: Date.now(), ...process.memoryUsage() });
setInterval(() => send({ type: "sample", sample: sample() }), 1000);
// An orphaned runner would hold its memory: leave with the parent.
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));

let dispatched = 0;
let playbookRuns = 0;
let findings = 0;
const countingSink: Sink = {
  name: "counter",
  isDefault: true,
  async write() {
    findings++;
  },
};

const client = new KubeApiClient(loadKubeConfig());
const runtime = new Runtime({
  playbooks: [...collectPlaybooks(crashLoops), ...collectPlaybooks(alertEnrichment)],
  cluster: new KubeCluster(client),
  sinks: [countingSink],
  // The default queue (1,000 events): refusals would show as rejected_queue_full.
  options: { host: "127.0.0.1", port: 0, logLevel: "warn" },
  onDispatched: (_event, result) => {
    dispatched++;
    playbookRuns += result.runs.length;
  },
});
const watches = createWatches(client, runtime.options, runtime.logger, runtime.metrics, (change) => runtime.submit(change));
runtime.addProbe(watches);
await runtime.listen();

const started = performance.now();
const watched = await watches.start(runtime.engine.watchedKinds);
while (watches.notReady().length > 0) await sleep(20);
const syncMs = performance.now() - started;

/** A "kB" field of /proc/self/status, in bytes; undefined off Linux. */
function procStatus(field: string): number | undefined {
  try {
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** The sum of a metric's values whose labels match. */
async function total(metric: { get(): Promise<{ values: { value: number; labels: Record<string, unknown> }[] }> }, labels: Record<string, string> = {}) {
  const { values } = await metric.get();
  return values.filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want)).reduce((sum, v) => sum + v.value, 0);
}

async function counts(): Promise<RunnerCounts> {
  const m = runtime.metrics;
  return {
    watchForwarded: await total(m.watchEvents, { result: "forwarded" }),
    watchFiltered: await total(m.watchEvents, { result: "filtered" }),
    watchRelists: await total(m.watchRelists),
    watchRestarts: await total(m.watchRestarts),
    watchObjects: await total(m.watchObjects),
    intakeAccepted: await total(m.intake, { result: "accepted" }),
    intakeRejected: await total(m.intake, { result: "rejected_queue_full" }),
    dispatched,
    playbookRuns,
    playbookRunsFailed: playbookRuns - (await total(m.playbookRuns, { outcome: "ok" })),
    findings,
  };
}

process.on("message", async (message: ToRunner) => {
  if (message.type !== "finish") return;
  // Every change the driver made must have reached the watch, and everything forwarded must be dispatched.
  const deadline = Date.now() + 30_000;
  const seen = async () => {
    const c = await counts();
    return c.watchForwarded + c.watchFiltered;
  };
  while ((await seen()) < message.expectedChanges && Date.now() < deadline) await sleep(100);
  await runtime.idle();
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(500); // let the GC return freed pages before reading RSS
  const final = sample();
  const heapSpaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, { used: s.space_used_size, committed: s.space_size }]));
  const file = process.env.BENCH_HEAP_SNAPSHOT;
  const [rssAnon, rssFile] = [procStatus("RssAnon"), procStatus("RssFile")];
  send({
    type: "done",
    final,
    maxRss: process.resourceUsage().maxRSS * 1024,
    heapLimit: getHeapStatistics().heap_size_limit,
    ...(rssAnon !== undefined && { rssAnon }),
    ...(rssFile !== undefined && { rssFile }),
    counts: await counts(),
    heapSpaces,
    ...(file && { heapSnapshot: writeHeapSnapshot(file) }),
  });
});

const objects = (await counts()).watchObjects;
send({ type: "synced", sample: sample(), maxRss: process.resourceUsage().maxRSS * 1024, syncMs, objects, watched });
