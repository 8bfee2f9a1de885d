/**
 * The memory benchmark's child processes, each tracked by PID from spawn to exit and killed on
 * exit, on SIGINT/SIGTERM and on errors, so that none outlives a run. Children talk over IPC.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { stopChild, track } from "./tracked-children.js";
import { canPin } from "./machine.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface Child<In, Out extends { readonly type: string }> {
  readonly pid: number;
  send(message: In): void;
  /** The next message of this type; rejects on timeout or when the child exits first. */
  next<T extends Out["type"]>(type: T, timeoutMs: number): Promise<Extract<Out, { type: T }>>;
  /** Every message of this type, as it comes. */
  on<T extends Out["type"]>(type: T, handler: (message: Extract<Out, { type: T }>) => void): void;
  /** The child's JSON log lines (pino) by level and message, with counts; other stderr lines pass through. */
  readonly logs: ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

/** Runs `node [args]` from the repository root, on CPU `cpu` when pinning is possible. */
export function startChild<In, Out extends { readonly type: string }>(name: string, args: string[], env: Record<string, string>, cpu: number): Child<In, Out> {
  const [command, argv] = canPin ? ["taskset", ["-c", String(cpu), process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "pipe", "ipc"] });
  track(child);
  // A warning per crash-loop finding would bury the progress lines: count log lines instead.
  const logs = new Map<string, number>();
  createInterface(child.stderr!).on("line", (line) => {
    let entry: { level?: number; msg?: string } | undefined;
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      // not a log line
    }
    if (entry?.msg === undefined) return void process.stderr.write(`${line}\n`);
    const key = `${entry.level === 40 ? "warn" : entry.level === 50 ? "error" : `level ${entry.level}`}: ${entry.msg}`;
    logs.set(key, (logs.get(key) ?? 0) + 1);
  });
  return {
    pid: child.pid!,
    logs,
    send: (message) => child.send(message as object),
    next: (type, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`${name} (pid ${child.pid}) sent no "${type}" within ${timeoutMs} ms`)), timeoutMs);
        const onMessage = (message: Out) => message.type === type && done(undefined, message);
        const onExit = (code: number | null, sig: string | null) => done(new Error(`${name} (pid ${child.pid}) exited (${sig ?? code})`));
        function done(error?: Error, message?: Out) {
          clearTimeout(timer);
          child.off("message", onMessage).off("exit", onExit);
          if (error) reject(error);
          else resolve(message as Extract<Out, { type: typeof type }>);
        }
        child.on("message", onMessage).on("exit", onExit);
      }),
    on: (type, handler) => child.on("message", (message: Out) => message.type === type && handler(message as Extract<Out, { type: typeof type }>)),
    stop: () => stopChild(child),
  };
}
