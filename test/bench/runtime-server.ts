/**
 * The system under test: the real Runtime with the benchmark's 50 playbooks, an in-memory cluster
 * holding the pods the alerts name, and a sink that only counts, so no I/O is measured.
 */
import { InMemoryCluster } from "@robusta-ts/sdk/testing";
import { Runtime, type Sink } from "@robusta-ts/runtime";
import { serveParent } from "./child-ipc.js";
import { benchPod, DEFAULT_SEED } from "./payloads.js";
import { benchPlaybooks } from "./playbooks.js";

const seed = Number(process.env.BENCH_SEED ?? DEFAULT_SEED);
const pool = Number(process.env.BENCH_POOL ?? 32);

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

const runtime = new Runtime({
  playbooks: benchPlaybooks,
  cluster: new InMemoryCluster().apply(...Array.from({ length: pool }, (_, i) => benchPod(seed, i))),
  sinks: [countingSink],
  // A queue that never fills during a run: shedding would make throughput meaningless.
  // Alert dedup off: the load cycles through 32 bodies, whose repeats dedup would drop before
  // dispatch, measuring the drop instead of the pipeline.
  options: { host: "127.0.0.1", port: 0, queueCapacity: 1_000_000, logLevel: "warn", alertDedupTtlSeconds: 0 },
  onDispatched: (_event, result) => {
    dispatched++;
    playbookRuns += result.runs.length;
  },
});

const { port } = await runtime.listen();

serveParent(port, {
  accepted: async () => {
    const { values } = await runtime.metrics.intake.get();
    return values.filter((v) => v.labels.result === "accepted").reduce((sum, v) => sum + v.value, 0);
  },
  dispatched: () => dispatched,
  playbookRuns: () => playbookRuns,
  findings: () => findings,
  idle: () => runtime.idle(),
});
