/** The memory benchmark's report: Markdown tables on stdout, ready to paste into docs/performance.md. */
import { totalmem } from "node:os";
import type { FromApiServer, FromRunner, MemorySample } from "./memory-ipc.js";
import type { Machine } from "./machine.js";

/** The issue's goal for the runner's RSS with 10,000 watched pods and 200 changes/s. */
export const GOAL_MB = 200;

export interface Measured {
  readonly synced: Extract<FromRunner, { type: "synced" }>;
  readonly driven: Extract<FromApiServer, { type: "driven" }> | undefined;
  readonly done: Extract<FromRunner, { type: "done" }>;
  /** The samples from the first change to the end (draining included, the final GC excluded). */
  readonly window: readonly MemorySample[];
  /** The runner's log lines by level and message, with counts. */
  readonly logs: readonly (readonly [string, number])[];
}

export interface ModeResult {
  readonly mode: "tsx" | "bundle";
  /** The same runner against a cluster with no pods: its baseline. */
  readonly idle: Measured;
  readonly loaded: Measured;
}

export interface MemoryRun {
  readonly machine: Machine;
  readonly date: string;
  readonly seconds: number;
  readonly rate: number;
  readonly seed: number;
  readonly pods: number;
  readonly namespaces: number;
  readonly podBytes: number;
  readonly historySize: number;
  readonly bundleBytes: number;
  /** Extra node flags the runner ran with. */
  readonly runnerFlags: readonly string[];
}

const n = (value: number) => Math.round(value).toLocaleString("en-US");
/** MB are 10^6 bytes, as in the goal. */
const mb = (bytes: number) => `${n(bytes / 1e6)} MB`;
const peak = (samples: readonly MemorySample[], field: "rss" | "heapUsed") => Math.max(0, ...samples.map((s) => s[field]));

export function printMemoryReport(run: MemoryRun, results: readonly ModeResult[]): void {
  const { machine } = run;
  const pods = `${n(run.pods)} pods`;
  const columns = results.flatMap((r) => [
    { title: `${r.mode}, no pods`, m: r.idle },
    { title: `${r.mode}, ${pods}`, m: r.loaded },
  ]);
  const out: string[] = [];
  const row = (label: string, cell: (m: Measured) => string) => out.push(`| ${label} | ${columns.map((c) => cell(c.m)).join(" | ")} |`);
  const each = (cell: (r: ModeResult) => string) => results.map((r) => `${r.mode} ${cell(r)}`).join(", ");
  const windowPeak = (r: ModeResult) => peak(r.loaded.window, "rss");
  out.push(
    `Runner memory with ${pods} watched and ${n(run.rate)} pod changes/s for ${run.seconds} s (${run.date})`,
    "",
    `- Machine: ${machine.cpus} CPUs (${machine.model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM and no memory limit (V8 heap limit ${mb(results[0]!.loaded.done.heapLimit)}), Node ${machine.node}, commit ${machine.commit}.`,
    `- Cluster: ${pods} in ${run.namespaces} namespaces, ${n(run.podBytes)} bytes of JSON each on average (managedFields included); watch history ${n(run.historySize)} changes; seed ${run.seed}.`,
    "- Runner: the example playbooks (crash-loops, alert-enrichment), watching Pod, a sink that counts, log level warn, the default queue (1,000 events).",
    `- Runner node flags: ${["--expose-gc", ...run.runnerFlags].join(" ")}. tsx: compiled on load, as the robusta CLI runs; bundle: one ESM file by esbuild with every dependency inside (${mb(run.bundleBytes)}), run by plain node.`,
    "- MB are 10^6 bytes. RSS and heap are process.memoryUsage(), sampled every second in the runner. \"No pods\" is the same runner against an empty cluster, idle for 5 s after its sync.",
    "",
    `| | ${columns.map((c) => c.title).join(" | ")} |`,
    `| --- |${columns.map(() => " --- |").join("")}`,
  );
  row("RSS after the initial sync", (m) => mb(m.synced.sample.rss));
  row("peak RSS up to the end of the sync (kernel high-water mark)", (m) => mb(m.synced.maxRss));
  row("**peak RSS after the sync** (the change window)", (m) => `**${mb(peak(m.window, "rss"))}**`);
  row("peak heap used after the sync", (m) => mb(peak(m.window, "heapUsed")));
  row("peak RSS, whole run (kernel high-water mark)", (m) => mb(m.done.maxRss));
  row("final RSS, after a forced GC", (m) => mb(m.done.final.rss));
  row("final heap used, after a forced GC", (m) => mb(m.done.final.heapUsed));
  row("final V8 heap committed / external", (m) => `${mb(m.done.final.heapTotal)} / ${mb(m.done.final.external)}`);
  row("final RSS anonymous / file-backed", (m) => (m.done.rssAnon === undefined ? "n/a" : `${mb(m.done.rssAnon)} / ${mb(m.done.rssFile ?? 0)}`));
  row("V8 young generation committed", (m) => mb(m.done.heapSpaces.new_space?.committed ?? 0));
  row("V8 old space used / committed", (m) => `${mb(m.done.heapSpaces.old_space?.used ?? 0)} / ${mb(m.done.heapSpaces.old_space?.committed ?? 0)}`);
  const perPod = (r: ModeResult, field: "rss" | "heapUsed") => `${((r.loaded.done.final[field] - r.idle.done.final[field]) / run.pods / 1000).toFixed(1)} kB`;
  out.push(
    "",
    `- Initial sync of ${pods}: ${each((r) => `${(r.loaded.synced.syncMs / 1000).toFixed(1)} s`)}.`,
    `- Per watched pod, final after GC minus no pods: RSS ${each((r) => perPod(r, "rss"))}; heap used ${each((r) => perPod(r, "heapUsed"))}.`,
    `- **Goal, peak RSS ≤ ${GOAL_MB} MB with ${pods} and ${n(run.rate)} changes/s: ${each((r) => (windowPeak(r) <= GOAL_MB * 1e6 ? `met (${mb(windowPeak(r))})` : `not met (${mb(windowPeak(r))})`))}.**`,
    "",
    "What each runner processed (it must have seen every change, and refused none):",
    "",
  );
  for (const r of results) {
    const c = r.loaded.done.counts;
    const d = r.loaded.driven!;
    out.push(
      `- ${r.mode}: ${n(d.changes)} changes made in ${d.seconds.toFixed(1)} s (readiness ${n(d.byType.readiness)}, restart ${n(d.byType.restart)}, crash loop ${n(d.byType.crash_loop)}, OOM kill ${n(d.byType.oom_killed)}); ` +
        `the watch saw ${n(c.watchForwarded + c.watchFiltered)} (forwarded ${n(c.watchForwarded)}, filtered by ADVANCED_FILTERS ${n(c.watchFiltered)}) and holds ${n(c.watchObjects)} pods; ` +
        `dispatched ${n(c.dispatched)} of ${n(c.intakeAccepted)} accepted, queue refusals ${n(c.intakeRejected)}; ` +
        `${n(c.playbookRuns)} playbook runs (${n(c.playbookRunsFailed)} not ok), ${n(c.findings)} findings; relists ${n(c.watchRelists)}, watch restarts ${n(c.watchRestarts)}; ` +
        `log lines: ${r.loaded.logs.map(([line, count]) => `${n(count)} × "${line}"`).join(", ") || "none"}.`,
    );
  }
  process.stdout.write(`${out.join("\n")}\n`);
}
