/** Structured JSON logs (pino) on stderr, so stdout stays free for what commands print. */
import { pino } from "pino";
import type { Logger } from "@robusta-ts/sdk";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export function createLogger(level: LogLevel = "info", bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { ...bindings }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}
