/**
 * What a figure was measured on (reported with every run, since absolute rps vary a lot between
 * machines and passes), and CPU pinning: server on CPU 0, load generator on CPU 1, so the two do
 * not compete for one core and the server gets exactly one.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";

export interface Machine {
  readonly cpus: number;
  readonly model: string;
  readonly node: string;
  readonly commit: string;
}

const run = (cmd: string, args: string[]) => {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
};

export function describeMachine(): Machine {
  let model = "unknown";
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? model;
  } catch {
    // not Linux: leave it unknown
  }
  const sha = run("git", ["rev-parse", "--short", "HEAD"]) || "unknown";
  const dirty = run("git", ["status", "--porcelain", "--untracked-files=no"]) !== "";
  // cpus() lists the machine's CPUs; nproc would only count those this process may use.
  return { cpus: cpus().length, model, node: process.version, commit: dirty ? `${sha} (uncommitted changes)` : sha };
}

/** Pinning needs taskset and two CPUs. */
export const canPin = spawnSync("taskset", ["-V"], { stdio: "ignore" }).status === 0 && cpus().length >= 2;

/** Moves this process (the load generator), all its threads, to CPU 1. */
export function pinLoadGenerator(): boolean {
  return canPin && spawnSync("taskset", ["-a", "-cp", "1", String(process.pid)], { stdio: "ignore" }).status === 0;
}

/** The command that starts a server child, on CPU 0 when pinning is possible. */
export function serverCommand(args: string[]): [string, string[]] {
  return canPin ? ["taskset", ["-c", "0", process.execPath, ...args]] : [process.execPath, args];
}
