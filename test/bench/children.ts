/**
 * Starts server children and stops them by PID. Every child is tracked until it exits, and the
 * parent kills any that are left on exit, on SIGINT/SIGTERM and on errors, so none outlives a run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { stopChild, track } from "./tracked-children.js";
import type { ChildStats, FromChild } from "./child-ipc.js";
import { serverCommand } from "./machine.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STATS_TIMEOUT_MS = 60_000;

export interface ServerChild {
  readonly pid: number;
  readonly url: string;
  /** Asks for the child's counts; it drains its backlog before answering. */
  stats(): Promise<ChildStats>;
  stop(): Promise<void>;
}

function next<T extends FromChild["type"]>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`server child ${child.pid} sent no "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: FromChild) => message.type === type && done(undefined, message as Extract<FromChild, { type: T }>);
    const onExit = (code: number | null, signal: string | null) => done(new Error(`server child ${child.pid} exited (${signal ?? code})`));
    function done(error?: Error, message?: Extract<FromChild, { type: T }>) {
      clearTimeout(timer);
      child.off("message", onMessage).off("exit", onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    child.on("message", onMessage).on("exit", onExit);
  });
}

/** Starts `script` (a file of this directory) with tsx, pinned if possible, and waits for its port. */
export async function startServer(script: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<ServerChild> {
  const [command, args] = serverCommand([...nodeFlags, "--import", "tsx", fileURLToPath(new URL(script, import.meta.url))]);
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  track(child);
  try {
    const { port } = await next(child, "ready", READY_TIMEOUT_MS);
    return {
      pid: child.pid!,
      url: `http://127.0.0.1:${port}`,
      async stats() {
        const reply = next(child, "stats", STATS_TIMEOUT_MS);
        child.send({ type: "stats" });
        return (await reply).stats;
      },
      stop: () => stop(child),
    };
  } catch (error) {
    await stop(child);
    throw error;
  }
}

const stop = stopChild;
