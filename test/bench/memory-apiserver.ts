/**
 * The memory benchmark's cluster, in its own process so that its memory and CPU are not the
 * runner's: two loopback fake API servers, one with no pods (for the runner's baseline) and one
 * seeded with the pods, and a driver that changes pods at a steady rate when the parent asks.
 * Seeded: a new one makes the same pods and the same changes.
 *
 * Environment: BENCH_TMP (where to write the kubeconfigs), BENCH_PODS, BENCH_NAMESPACES,
 * BENCH_RATE and BENCH_MEMORY_SECONDS (to size the watch history), BENCH_SEED.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Pod } from "@robusta-ts/sdk";
import { startFakeApiServer, type FakeApiServer } from "../support/fake-apiserver.js";
import { applyChange, clusterPod, pickChange, type ChangeType } from "./memory-cluster.js";
import type { FromApiServer, ToApiServer } from "./memory-ipc.js";
import { random } from "./payloads.js";

const env = (name: string) => Number(process.env[name]);
const [pods, namespaces, rate, seconds, seed] = ["BENCH_PODS", "BENCH_NAMESPACES", "BENCH_RATE", "BENCH_MEMORY_SECONDS", "BENCH_SEED"].map(env) as [number, number, number, number, number];
const send = (message: FromApiServer) => process.send!(message);

const objects = Array.from({ length: pods }, (_, i) => clusterPod(seed, i, namespaces));
const podBytes = Math.round(objects.reduce((sum, pod) => sum + JSON.stringify(pod).length, 0) / pods);
const names = objects.map((pod) => [pod.metadata!.name!, pod.metadata!.namespace!] as const);
// Room for every change of the measured window: a runner whose watch reconnects resumes from the
// history instead of relisting every pod. Bookmarks, as the real server sends them, keep a quiet
// watch's resourceVersion fresh.
const historySize = pods + Math.ceil(rate * seconds * 1.2);
const loaded = await startFakeApiServer({ objects, historySize, bookmarkIntervalMs: 30_000 });
objects.length = 0; // the server holds its own copies
const empty = await startFakeApiServer({ bookmarkIntervalMs: 30_000 });

function kubeconfig(server: FakeApiServer, name: string): string {
  const path = join(process.env.BENCH_TMP!, `${name}.kubeconfig`);
  writeFileSync(path, server.kubeconfig().exportConfig());
  return path;
}

const rand = random(seed ^ 0x5bd1e995);

/** One change to a random pod; retried on another pod when it changes nothing (no event would result). */
function changeOne(byType: Record<ChangeType, number>): boolean {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [name, namespace] = names[Math.floor(rand() * names.length)]!;
    const type = pickChange(rand);
    const before = loaded.resourceVersion;
    const at = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    loaded.modify("v1", "Pod", name, namespace, (pod) => applyChange(pod as unknown as Pod, type, at));
    if (loaded.resourceVersion !== before) {
      byType[type]++;
      return true;
    }
  }
  return false;
}

/** `rate` changes a second for `seconds`, paced on the clock so that a slow tick is made up. */
async function drive(message: ToApiServer): Promise<void> {
  const byType: Record<ChangeType, number> = { readiness: 0, restart: 0, crash_loop: 0, oom_killed: 0 };
  const started = performance.now();
  const total = Math.round(message.rate * message.seconds);
  let changes = 0;
  while (changes < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * message.rate));
    while (changes < due && changeOne(byType)) changes++;
    await sleep(10);
  }
  send({ type: "driven", changes, byType, seconds: (performance.now() - started) / 1000 });
}

process.on("message", (message: ToApiServer) => void drive(message));
// An orphaned server would hold its memory: leave with the parent.
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));

send({
  type: "ready",
  kubeconfigs: { empty: kubeconfig(empty, "empty"), loaded: kubeconfig(loaded, "loaded") },
  pods,
  namespaces,
  podBytes,
  historySize,
});
