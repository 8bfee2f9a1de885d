/**
 * Intake throughput benchmark (npm run bench). For each intake endpoint and round, it starts a
 * server child, loads it from this process and stops it: first the raw node:http ceiling, then
 * the real Runtime with 50 playbooks. It prints the runtime's rate as a share of the same round's
 * ceiling, since absolute rates vary widely between runs on shared machines. Never fails on a
 * figure: it measures.
 *
 * Environment: BENCH_WARMUP_S (2), BENCH_DURATION_S (6), BENCH_CONNECTIONS (16), BENCH_ROUNDS (3),
 * BENCH_SEED, BENCH_ONLY (handle | alerts), BENCH_CPU_PROF (a directory: the runtime children
 * write V8 CPU profiles there, for Chrome DevTools or any .cpuprofile viewer).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { startServer } from "./children.js";
import { load } from "./load.js";
import { canPin, describeMachine, pinLoadGenerator } from "./machine.js";
import { alertBodies, DEFAULT_SEED, kubewatchBodies } from "./payloads.js";
import { printReport, type Pairing, type Run } from "./report.js";

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

const warmupS = setting("BENCH_WARMUP_S", 2);
const durationS = setting("BENCH_DURATION_S", 6);
const connections = setting("BENCH_CONNECTIONS", 16);
const rounds = setting("BENCH_ROUNDS", 3);
const seed = setting("BENCH_SEED", DEFAULT_SEED);
/** Distinct bodies per endpoint, cycled by every connection. */
const POOL = 32;
const CEILING = "ceiling-server.ts";
const RUNTIME = "runtime-server.ts";

const size = (bodies: readonly string[]) =>
  Math.round(bodies.reduce((sum, b) => sum + Buffer.byteLength(b), 0) / bodies.length).toLocaleString("en-US");
const handle = kubewatchBodies(seed, POOL);
const alerts = alertBodies(seed, POOL);
const endpoints = [
  { id: "handle", path: "/api/handle", bodies: handle, title: `POST /api/handle: kubewatch CloudEvent, Pod update, ${size(handle)} bytes on average` },
  { id: "alerts", path: "/api/alerts", bodies: alerts, title: `POST /api/alerts: Alertmanager v4 webhook, 1 alert, ${size(alerts)} bytes on average` },
].filter((e) => !process.env.BENCH_ONLY || e.id === process.env.BENCH_ONLY);

/** One server, one endpoint: warm up, measure, then check that what was accepted was dispatched. */
async function measure(script: string, endpoint: (typeof endpoints)[number]): Promise<Run> {
  const profile = process.env.BENCH_CPU_PROF && script === RUNTIME ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const server = await startServer(script, { BENCH_SEED: String(seed), BENCH_POOL: String(POOL) }, profile);
  try {
    const warm = await load(server.url, endpoint.path, endpoint.bodies, connections, warmupS);
    const before = await server.stats();
    const started = performance.now();
    const measured = await load(server.url, endpoint.path, endpoint.bodies, connections, durationS);
    const wallMicros = (performance.now() - started) * 1000;
    const atEnd = await server.stats();
    // Requests cut off at the end of the window are still being answered: let them land.
    await sleep(300);
    const final = await server.stats();
    return {
      load: measured,
      serverCpu: (atEnd.cpuMicros - before.cpuMicros) / wallMicros,
      backlog: atEnd.backlog,
      answered: warm.ok + measured.ok,
      accepted: final.accepted,
      dispatched: final.dispatched,
      playbookRuns: final.playbookRuns,
      findings: final.findings,
    };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const pinned = canPin && pinLoadGenerator();
  const pairings: Pairing[] = endpoints.map((e) => ({ endpoint: e.title, ceiling: [], runtime: [] }));
  for (let round = 1; round <= rounds; round++) {
    for (const [i, endpoint] of endpoints.entries()) {
      // Ceiling then runtime, back to back, so each ratio compares runs under the same conditions.
      for (const [side, script] of [["ceiling", CEILING], ["runtime", RUNTIME]] as const) {
        const run = await measure(script, endpoint);
        pairings[i]![side].push(run);
        const refused = Object.values(run.load.refused).reduce((a, b) => a + b, 0);
        process.stderr.write(`round ${round}/${rounds} ${endpoint.path} ${side}: ${Math.round(run.load.rps)} req/s${refused ? `, ${refused} non-2xx` : ""}\n`);
      }
    }
  }
  printReport({ machine, pinned, date: new Date().toISOString().slice(0, 10), seed, connections, warmupS, durationS, rounds }, pairings);
}

await main();
