import type { Finding } from "@robusta-ts/sdk";
import { renderFindingText, type TextOptions } from "./render-text.js";
import type { RoutingParams } from "../routing/params.js";
import type { Sink } from "./sink.js";

/** Prints findings readably, for a terminal. */
export class ConsoleSink implements Sink {
  constructor(
    readonly name: string,
    private readonly out: NodeJS.WritableStream = process.stdout,
    private readonly options: TextOptions = { color: process.stdout.isTTY === true },
    readonly isDefault = true,
    readonly routing?: RoutingParams,
  ) {}

  async write(finding: Finding): Promise<void> {
    this.out.write(`${renderFindingText(finding, this.options)}\n\n`);
  }
}
