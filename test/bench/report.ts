/** Turns the rounds of the benchmark into the printed report: medians with min and max. */
import type { Load } from "./load.js";
import type { Machine } from "./machine.js";

/** One server measured once: the load's view and the server child's. */
export interface Run {
  readonly load: Load;
  /** CPU the server used during the measured window, as a fraction of one core. */
  readonly serverCpu: number;
  /** Events accepted but not yet dispatched when the measured window ended. */
  readonly backlog: number;
  /** 2xx answers the load generator saw, warm-up included. */
  readonly answered: number;
  readonly accepted: number;
  readonly dispatched: number;
  readonly playbookRuns: number;
  readonly findings: number;
}

export interface Pairing {
  readonly endpoint: string;
  readonly ceiling: Run[];
  readonly runtime: Run[];
}

export interface Setup {
  readonly machine: Machine;
  readonly pinned: boolean;
  readonly date: string;
  readonly seed: number;
  readonly connections: number;
  readonly warmupS: number;
  readonly durationS: number;
  readonly rounds: number;
}

/** The share of the ceiling the runtime should reach on each endpoint. */
export const AIM = 0.7;

const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
function median(xs: readonly number[]): number {
  const s = sorted(xs);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
const int = (x: number) => Math.round(x).toLocaleString("en-US");
const ms = (x: number) => `${x.toFixed(2)} ms`;
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
/** "median [min – max]" */
const spread = (xs: readonly number[], show: (x: number) => string) =>
  xs.length === 1 ? show(xs[0]!) : `${show(median(xs))} [${show(sorted(xs)[0]!)} – ${show(sorted(xs).at(-1)!)}]`;

/** The runtime's rps over the same round's ceiling rps. */
export const ratios = (p: Pairing) => p.runtime.map((run, i) => run.load.rps / p.ceiling[i]!.load.rps);
export const medianRatio = (p: Pairing) => median(ratios(p));

function refusals(runs: readonly Run[]): string {
  const total: Record<string, number> = {};
  for (const run of runs) for (const [code, n] of Object.entries(run.load.refused)) total[code] = (total[code] ?? 0) + n;
  const errors = runs.reduce((sum, run) => sum + run.load.errors, 0);
  const parts = Object.entries(total).map(([code, n]) => `${int(n)} × ${code}`);
  if (errors) parts.push(`${int(errors)} connection errors`);
  return parts.length ? parts.join(", ") : "none";
}

function dispatchCheck(runs: readonly Run[]): string {
  const accepted = runs.reduce((sum, run) => sum + run.accepted, 0);
  const dispatched = runs.reduce((sum, run) => sum + run.dispatched, 0);
  const unseen = runs.some((run) => run.accepted < run.answered);
  const backlog = Math.max(...runs.map((run) => run.backlog));
  const runsPerEvent = runs.reduce((sum, run) => sum + run.playbookRuns, 0) / Math.max(1, dispatched);
  const findings = runs.reduce((sum, run) => sum + run.findings, 0);
  return [
    dispatched === accepted ? `all ${int(accepted)} accepted events dispatched` : `ONLY ${int(dispatched)} of ${int(accepted)} accepted events dispatched`,
    unseen ? "FEWER accepted than answered 2xx" : "",
    `${runsPerEvent.toFixed(2)} playbook runs/event, ${int(findings)} findings`,
    `backlog at window end ≤ ${int(backlog)}`,
  ]
    .filter(Boolean)
    .join("; ");
}

export function printReport(setup: Setup, pairings: readonly Pairing[]): void {
  const { machine } = setup;
  const out: string[] = [];
  out.push(
    "",
    "Intake throughput: the runtime against a raw node:http + JSON.parse ceiling, same run",
    `machine: ${machine.cpus} CPUs, ${machine.model}; Node ${machine.node}; commit ${machine.commit}; ${setup.date}`,
    `load: autocannon, ${setup.connections} keep-alive connections, closed loop, ${setup.warmupS} s warm-up + ${setup.durationS} s measured, ` +
      `${setup.rounds} rounds (median [min – max]); seed ${setup.seed}`,
    setup.pinned ? "pinning: server on CPU 0, load generator on CPU 1 (taskset)" : "pinning: NOT pinned (needs taskset and 2 CPUs): server and load share the CPUs",
  );
  const col = 34;
  const row = (label: string, a: string, b: string) => out.push(`  ${label.padEnd(16)}${a.padEnd(col)}${b}`);
  for (const p of pairings) {
    out.push("", p.endpoint);
    row("", "ceiling (node:http)", "runtime (50 playbooks)");
    row("2xx req/s", spread(p.ceiling.map((r) => r.load.rps), int), spread(p.runtime.map((r) => r.load.rps), int));
    row("ratio", "", `${spread(ratios(p), pct)}   aim ≥ ${pct(AIM)}: ${medianRatio(p) >= AIM ? "met" : "NOT met"}`);
    for (const [label, pick] of [["p50 latency", (r: Run) => r.load.p50Ms], ["p99 latency", (r: Run) => r.load.p99Ms]] as const) {
      row(label, spread(p.ceiling.map(pick), ms), spread(p.runtime.map(pick), ms));
    }
    row("non-2xx", refusals(p.ceiling), refusals(p.runtime));
    row("server CPU", spread(p.ceiling.map((r) => r.serverCpu), pct), spread(p.runtime.map((r) => r.serverCpu), pct));
    row("load-gen CPU", spread(p.ceiling.map((r) => r.load.cpu), pct), spread(p.runtime.map((r) => r.load.cpu), pct));
    out.push(`  ${"dispatch".padEnd(16)}${dispatchCheck(p.runtime)}`);
  }
  out.push("");
  process.stdout.write(out.join("\n") + "\n");
}
