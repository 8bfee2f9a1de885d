/**
 * Memory benchmark (npm run bench:memory): the runner's resident memory while it watches 10,000
 * realistic pods that change 200 times a second. A fake API server child holds the pods and makes
 * the changes; the runner child is the real Runtime with the example playbooks, KubeCluster and
 * the Pod watch, and samples its own memory every second. The runner is measured twice, run with
 * tsx as the CLI runs it and bundled by esbuild into one ESM file as an image would ship it; each
 * time first with no pods (its baseline), then with the pods. Never fails on a figure: it measures.
 *
 * Environment: BENCH_MEMORY_SECONDS (60, the change window), BENCH_PODS (10000),
 * BENCH_NAMESPACES (50), BENCH_RATE (200 changes/s), BENCH_SEED, BENCH_ONLY (tsx | bundle),
 * BENCH_HEAP_SNAPSHOT (a directory: the runners write a heap snapshot there after the final GC),
 * BENCH_RUNNER_FLAGS (extra node flags for the runner only, e.g. "--max-semi-space-size=8").
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { startChild, type Child } from "./memory-children.js";
import type { FromApiServer, FromRunner, MemorySample, ToApiServer, ToRunner } from "./memory-ipc.js";
import { printMemoryReport, type Measured, type ModeResult } from "./memory-report.js";
import { describeMachine } from "./machine.js";
import { DEFAULT_SEED } from "./payloads.js";

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

const seconds = setting("BENCH_MEMORY_SECONDS", 60);
const pods = Math.round(setting("BENCH_PODS", 10_000));
const namespaces = Math.round(setting("BENCH_NAMESPACES", 50));
const rate = setting("BENCH_RATE", 200);
const seed = setting("BENCH_SEED", DEFAULT_SEED);
const snapshots = process.env.BENCH_HEAP_SNAPSHOT ? resolve(process.env.BENCH_HEAP_SNAPSHOT) : undefined;
const runnerFlags = (process.env.BENCH_RUNNER_FLAGS ?? "").split(/\s+/).filter(Boolean);
/** How long the baseline runner idles after its (empty) sync before its final sample. */
const IDLE_SECONDS = 5;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const progress = (line: string) => process.stderr.write(`${line}\n`);
const n = (value: number) => value.toLocaleString("en-US");
// The children run on CPU 0 (runner) and 1 (API server) when pinning is possible.
const RUNNER_CPU = 0;
const APISERVER_CPU = 1;

type ApiServer = Child<ToApiServer, FromApiServer>;

/** The runner bundled as a production image would ship it: one ESM file, dependencies included. */
async function bundle(dir: string): Promise<{ file: string; bytes: number }> {
  const file = join(dir, "runner.mjs");
  await build({
    entryPoints: [here("memory-runner.ts")],
    outfile: file,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "es2022", // as playbooks are compiled: lowers the standard decorators
    // Bundled CommonJS dependencies require() Node's built-ins, which ESM has no require for.
    banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
    logLevel: "error",
  });
  return { file, bytes: statSync(file).size };
}

/** One runner from start to its final sample: synced, then idle (no driver) or through the change window. */
async function measure(mode: ModeResult["mode"], args: string[], kubeconfig: string, label: string, driver?: ApiServer): Promise<Measured> {
  const env: Record<string, string> = { KUBECONFIG: kubeconfig };
  if (snapshots) env.BENCH_HEAP_SNAPSHOT = join(snapshots, `${mode}-${label.replace(/\W+/g, "-")}.heapsnapshot`);
  const runner = startChild<ToRunner, FromRunner>(`runner (${mode}, ${label})`, ["--expose-gc", ...runnerFlags, ...args], env, RUNNER_CPU);
  const samples: MemorySample[] = [];
  runner.on("sample", (message) => samples.push(message.sample));
  try {
    const synced = await runner.next("synced", 180_000);
    progress(`${mode}, ${label}: synced ${n(synced.objects)} pods in ${(synced.syncMs / 1000).toFixed(1)} s`);
    const windowStart = Date.now();
    let driven: Extract<FromApiServer, { type: "driven" }> | undefined;
    if (driver) {
      driver.send({ type: "drive", seconds, rate });
      driven = await driver.next("driven", (seconds + 60) * 1000);
      progress(`${mode}, ${label}: ${n(driven.changes)} changes in ${driven.seconds.toFixed(1)} s`);
    } else await sleep(IDLE_SECONDS * 1000);
    const done = runner.next("done", 90_000);
    runner.send({ type: "finish", expectedChanges: driven?.changes ?? 0 });
    const result = await done;
    const window = samples.filter((s) => s.t >= windowStart && s.t < result.final.t);
    return { synced, driven, done: result, window, logs: [...runner.logs] };
  } finally {
    await runner.stop();
  }
}

/** The fake API server child, seeded: each one makes the same pods and changes, so every runner sees the same run. */
async function startCluster(tmp: string): Promise<{ apiserver: ApiServer; cluster: Extract<FromApiServer, { type: "ready" }> }> {
  progress(`starting the fake API server with ${n(pods)} pods in ${namespaces} namespaces`);
  const env = { BENCH_TMP: tmp, BENCH_PODS: String(pods), BENCH_NAMESPACES: String(namespaces), BENCH_RATE: String(rate), BENCH_MEMORY_SECONDS: String(seconds), BENCH_SEED: String(seed) };
  const apiserver: ApiServer = startChild("fake API server", ["--import", "tsx", here("memory-apiserver.ts")], env, APISERVER_CPU);
  return { apiserver, cluster: await apiserver.next("ready", 180_000) };
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const tmp = mkdtempSync(join(tmpdir(), "robusta-bench-memory-"));
  process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
  if (snapshots) mkdirSync(snapshots, { recursive: true });
  const bundled = await bundle(tmp);

  const modes: { mode: ModeResult["mode"]; args: string[] }[] = [
    { mode: "tsx", args: ["--import", "tsx", here("memory-runner.ts")] },
    { mode: "bundle", args: [bundled.file] },
  ];
  const results: ModeResult[] = [];
  let cluster: Extract<FromApiServer, { type: "ready" }> | undefined;
  for (const { mode, args } of modes.filter((m) => !process.env.BENCH_ONLY || m.mode === process.env.BENCH_ONLY)) {
    const started = await startCluster(tmp);
    cluster = started.cluster;
    try {
      const idle = await measure(mode, args, cluster.kubeconfigs.empty, "no pods");
      const loaded = await measure(mode, args, cluster.kubeconfigs.loaded, `${pods} pods`, started.apiserver);
      results.push({ mode, idle, loaded });
    } finally {
      await started.apiserver.stop();
    }
  }
  if (!cluster) throw new Error(`BENCH_ONLY must be tsx or bundle, not "${process.env.BENCH_ONLY}"`);

  printMemoryReport(
    {
      machine,
      date: new Date().toISOString().slice(0, 10),
      seconds,
      rate,
      seed,
      pods,
      namespaces,
      podBytes: cluster.podBytes,
      historySize: cluster.historySize,
      bundleBytes: bundled.bytes,
      runnerFlags,
    },
    results,
  );
  if (snapshots) progress(`heap snapshots in ${snapshots}`);
}

await main();
