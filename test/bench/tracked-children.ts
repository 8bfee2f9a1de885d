/**
 * Every child process a benchmark starts, tracked by PID from spawn to exit: the parent kills any
 * that are left on exit and on SIGINT/SIGTERM, so none outlives a run.
 */
import type { ChildProcess } from "node:child_process";

const STOP_TIMEOUT_MS = 3_000;
const live = new Set<ChildProcess>();

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    if (live.has(child)) process.kill(child.pid!, name);
  } catch {
    // it exited meanwhile
  }
}

process.on("exit", () => {
  for (const child of live) signal(child, "SIGKILL");
});
for (const name of ["SIGINT", "SIGTERM"] as const) {
  process.on(name, () => process.exit(name === "SIGINT" ? 130 : 143)); // the exit handler kills the children
}

/** Tracks a child until it exits. */
export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL if it has not exited after 3 s; resolves once it has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (!live.has(child)) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signal(child, "SIGTERM");
  const timer = setTimeout(() => signal(child, "SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
