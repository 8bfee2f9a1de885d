/**
 * `robusta demo`: the runner with the given playbooks against a simulated cluster, playing a
 * short scenario and printing the findings. No cluster, token or network needed.
 */
import type { Finding } from "@robusta-ts/sdk";
import { simulatedCluster } from "../demo/simulated-cluster.js";
import { scenario } from "../demo/scenario.js";
import { loadPlaybookModules } from "../loader.js";
import { optionsFromEnv } from "../options.js";
import { Runtime } from "../runtime.js";
import { ConsoleSink } from "../sinks/console-sink.js";
import { FileSink } from "../sinks/file-sink.js";
import type { Sink } from "../sinks/sink.js";
import { untilSignal } from "./signals.js";

export interface DemoOptions {
  modules: string[];
  serve: boolean;
  findingsFile?: string;
  port: number;
  out?: NodeJS.WritableStream;
}

export async function demo(options: DemoOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const color = out === process.stdout && process.stdout.isTTY === true;
  const print = (line = "") => out.write(`${line}\n`);
  const { playbooks, actions } = await loadPlaybookModules(options.modules);
  const cluster = simulatedCluster();
  const sinks: Sink[] = [new ConsoleSink("console", out, { color })];
  if (options.findingsFile) sinks.push(new FileSink("file", options.findingsFile, "demo"));
  let findings: Finding[] = [];
  const runtime = new Runtime({
    playbooks,
    actions,
    cluster,
    sinks,
    options: { logLevel: "warn", ...optionsFromEnv(), host: "127.0.0.1", port: options.port, clusterName: "demo" },
    onDispatched: (_event, result) => findings.push(...(result.findings.get("console") ?? [])),
  });
  const { url } = await runtime.listen();
  print(`Robusta for TypeScript demo: runner on ${url}, ${playbooks.length} playbooks (${playbooks.map((p) => p.data.name).join(", ")}).`);
  print("The cluster is simulated; the alerts go through the real HTTP endpoint.");
  const steps = scenario(cluster);
  let total = 0;
  for (const [i, step] of steps.entries()) {
    print();
    print(`▶ ${i + 1}/${steps.length}: ${step.title}`);
    print();
    findings = [];
    await step.run(runtime, url);
    await runtime.idle();
    if (findings.length === 0) print("  (no playbook reported anything)\n");
    total += findings.length;
  }
  print(`${total} findings from ${steps.length} steps.${options.findingsFile ? ` Also written as JSON lines to ${options.findingsFile}.` : ""}`);
  if (!options.serve) {
    await runtime.close();
    return 0;
  }
  print();
  print(`The runner keeps serving on ${url}. Try:`);
  const alert = { alerts: [{ status: "firing", labels: { alertname: "KubePodCrashLooping", namespace: "shop", pod: "checkout-5d8f7b9c4-x7k2p" }, annotations: { summary: "Tried by hand" }, startsAt: new Date().toISOString() }] };
  print(`  curl -s ${url}/api/alerts -H 'content-type: application/json' -d '${JSON.stringify(alert)}'`);
  print(`  curl -s ${url}/metrics | grep robusta_`);
  print("Ctrl-C stops it.");
  await untilSignal();
  await runtime.close();
  return 0;
}
