import type { Finding } from "@robusta-ts/sdk";

/** Where findings go. `write` may throw: delivery logs and counts the failure, and goes on. */
export interface Sink {
  readonly name: string;
  /** Whether playbooks that name no sinks send here (Robusta's `default: true`). */
  readonly isDefault: boolean;
  write(finding: Finding): Promise<void>;
  /** Flushes and releases what the sink holds. */
  close?(): Promise<void>;
}
