/** The parameters every sink type takes, to spread into each type's own schema. */
import { z } from "zod";
import { routingParamsShape, type RoutingParams } from "../routing/params.js";
import type { SinkBase } from "./sink.js";

export const sinkBaseParams = {
  name: z.string().min(1).describe("Unique; playbooks name sinks by it."),
  default: z.boolean().default(true).describe("Whether playbooks that name no sinks send here."),
  ...routingParamsShape,
};

type BaseParamsOutput = { name: string; default: boolean } & RoutingParams;

/** The shared settings of a validated sink entry, as sink constructors take them. */
export function sinkBaseOf(params: BaseParamsOutput): SinkBase {
  const routing = Object.fromEntries(Object.keys(routingParamsShape).map((key) => [key, (params as Record<string, unknown>)[key]]));
  return { name: params.name, isDefault: params.default, routing: routing as RoutingParams };
}
