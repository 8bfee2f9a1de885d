import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Finding } from "@robusta-ts/sdk";
import { findingToJson } from "./finding-json.js";
import type { Sink } from "./sink.js";

/** Appends each finding as one line of JSON (Robusta's file_sink). */
export class FileSink implements Sink {
  private ready: Promise<unknown> | undefined;
  // Appends are chained so lines never interleave.
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly fileName: string,
    private readonly clusterName: string,
    readonly isDefault = true,
  ) {}

  write(finding: Finding): Promise<void> {
    // A failed mkdir is not remembered: the next write tries again.
    this.ready ??= mkdir(dirname(this.fileName), { recursive: true }).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    const line = `${JSON.stringify(findingToJson(finding, this.clusterName))}\n`;
    const next = this.tail.then(async () => {
      await this.ready;
      await appendFile(this.fileName, line);
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.tail;
  }
}
