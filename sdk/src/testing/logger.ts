import type { Logger } from "../context.js";

/** One captured log entry. */
export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps what it is told, for assertions. `entries` is shared with its children. */
export class MemoryLogger implements Logger {
  constructor(
    readonly entries: LogEntry[] = [],
    private readonly bindings: Record<string, unknown> = {},
  ) {}

  private log(level: LogEntry["level"], a: Record<string, unknown> | string, b?: string): void {
    const fields = typeof a === "string" ? {} : a;
    const message = typeof a === "string" ? a : (b ?? "");
    this.entries.push({ level, message, fields: { ...this.bindings, ...fields } });
  }

  debug(a: Record<string, unknown> | string, b?: string): void {
    this.log("debug", a, b);
  }
  info(a: Record<string, unknown> | string, b?: string): void {
    this.log("info", a, b);
  }
  warn(a: Record<string, unknown> | string, b?: string): void {
    this.log("warn", a, b);
  }
  error(a: Record<string, unknown> | string, b?: string): void {
    this.log("error", a, b);
  }
  child(bindings: Record<string, unknown>): Logger {
    return new MemoryLogger(this.entries, { ...this.bindings, ...bindings });
  }
}
