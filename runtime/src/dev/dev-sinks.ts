/**
 * `robusta dev` prints findings instead of sending them: each configured sink is stood in for by
 * a console sink of the same name, default flag and routing (scope, matchers, grouping), so a
 * developer sees what would go where without posting to Slack from a laptop.
 */
import type { Finding } from "@robusta-ts/sdk";
import type { RoutingParams } from "../routing/params.js";
import { sinkBaseOf } from "../sinks/base-params.js";
import { renderFindingText } from "../sinks/render-text.js";
import type { Sink } from "../sinks/sink.js";
import type { SinkConfig } from "../sinks/sinks-config.js";

/** Prints each finding, headed by the sink it stands in for when there are several. */
export class StandInSink implements Sink {
  constructor(
    readonly name: string,
    readonly isDefault: boolean,
    readonly routing: RoutingParams | undefined,
    private readonly out: NodeJS.WritableStream,
    private readonly options: { readonly color: boolean; readonly labelled: boolean },
  ) {}

  async write(finding: Finding): Promise<void> {
    const label = this.options.labelled ? `→ ${this.name}\n` : "";
    this.out.write(`${label}${renderFindingText(finding, { color: this.options.color })}\n\n`);
  }
}

/** The stand-ins for a configuration's sinks. */
export function standInSinks(configs: readonly SinkConfig[], out: NodeJS.WritableStream, color: boolean): Sink[] {
  return configs.map((config) => {
    const base = sinkBaseOf(config.params as Parameters<typeof sinkBaseOf>[0]);
    return new StandInSink(base.name, base.isDefault, base.routing, out, { color, labelled: configs.length > 1 });
  });
}
