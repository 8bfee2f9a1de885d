/** What every sink class holds from its shared settings, so each sink only writes how it sends. */
import type { Finding } from "@robusta-ts/sdk";
import type { RoutingParams } from "../../routing/params.js";
import type { DeliveryOptions, MessageRef, Sink, SinkBase } from "../sink.js";

export abstract class BaseSink implements Sink {
  readonly name: string;
  readonly isDefault: boolean;
  readonly routing: RoutingParams;

  constructor(base: SinkBase) {
    this.name = base.name;
    this.isDefault = base.isDefault;
    this.routing = base.routing;
  }

  abstract write(finding: Finding, options?: DeliveryOptions): Promise<MessageRef | void>;
}
