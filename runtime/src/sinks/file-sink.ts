/** Robusta's `file_sink`: each finding as one line of JSON, appended to a file or written to standard output. */
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Finding } from "@robusta-ts/sdk";
import { z } from "zod";
import type { RoutingParams } from "../routing/params.js";
import { sinkBaseOf, sinkBaseParams } from "./base-params.js";
import { findingToJson } from "./finding-json.js";
import type { Sink, SinkBuildEnv } from "./sink.js";

export const fileSinkParams = z
  .object({
    ...sinkBaseParams,
    file_name: z
      .string()
      .min(1)
      .optional()
      .describe("The JSON-lines file findings are appended to (its directory is created). Without it, lines go to standard output."),
  })
  .strict();

/** A validated `file_sink` entry. */
export type FileSinkParams = z.output<typeof fileSinkParams>;

export interface FileSinkOptions {
  readonly routing?: RoutingParams;
  /** Where lines go when there is no file name. Default: standard output. */
  readonly out?: NodeJS.WritableStream;
}

/**
 * Writes each finding as one line of JSON (`findingToJson`). Robusta writes `json.dumps(indent=2)`
 * and leaves file blocks out; here each finding is one compact line, file blocks included, so the
 * output is JSON Lines.
 */
export class FileSink implements Sink {
  readonly routing?: RoutingParams;
  private readonly out: NodeJS.WritableStream;
  private ready: Promise<unknown> | undefined;
  // Writes are chained so lines never interleave and keep their order.
  private tail: Promise<void> = Promise.resolve();

  /** With no `fileName`, lines go to `options.out` (standard output). */
  constructor(
    readonly name: string,
    readonly fileName: string | undefined,
    private readonly clusterName: string,
    readonly isDefault = true,
    options: FileSinkOptions = {},
  ) {
    if (options.routing !== undefined) this.routing = options.routing;
    this.out = options.out ?? process.stdout;
  }

  write(finding: Finding): Promise<void> {
    const line = `${JSON.stringify(findingToJson(finding, this.clusterName))}\n`;
    const next = this.tail.then(() => (this.fileName === undefined ? this.print(line) : this.append(this.fileName, line)));
    this.tail = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.tail;
  }

  private async append(fileName: string, line: string): Promise<void> {
    // A failed mkdir is not remembered: the next write tries again.
    this.ready ??= mkdir(dirname(fileName), { recursive: true }).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    await this.ready;
    await appendFile(fileName, line);
  }

  private print(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.out.write(line, (error?: Error | null) => (error ? reject(error) : resolve()));
    });
  }
}

export const fileSinkType = {
  description: "Writes each finding as one JSON line, appended to a file or to standard output.",
  params: fileSinkParams,
  create: (params: FileSinkParams, env: SinkBuildEnv): Sink => {
    const base = sinkBaseOf(params);
    return new FileSink(base.name, params.file_name, env.clusterName, base.isDefault, { routing: base.routing });
  },
};
