/**
 * `sinksConfig` in Robusta's shape: a list of `{ <type>_sink: { name, ... } }`. Each sink type
 * has its own schema; more types come with their sinks.
 */
import { z } from "zod";
import { ConsoleSink } from "./console-sink.js";
import { FileSink } from "./file-sink.js";
import type { Sink } from "./sink.js";

const base = {
  name: z.string().min(1).describe("Unique; playbooks name sinks by it."),
  default: z.boolean().default(true).describe("Whether playbooks that name no sinks send here."),
};

export const sinkConfigSchema = z.union([
  z.object({ console_sink: z.object({ ...base }).strict() }).strict(),
  z
    .object({
      file_sink: z
        .object({ ...base, file_name: z.string().min(1).describe("The JSON-lines file findings are appended to.") })
        .strict(),
    })
    .strict(),
]);

export const sinksConfigSchema = z
  .array(sinkConfigSchema)
  .superRefine((sinks, ctx) => {
    const seen = new Set<string>();
    sinks.forEach((entry, i) => {
      const name = Object.values(entry)[0]!.name;
      if (seen.has(name)) ctx.addIssue({ code: "custom", path: [i], message: `sink name "${name}" is used twice` });
      seen.add(name);
    });
  });

export type SinksConfig = z.input<typeof sinksConfigSchema>;

/** Builds the sinks a validated config describes. */
export function createSinks(config: z.output<typeof sinksConfigSchema>, clusterName: string): Sink[] {
  return config.map((entry): Sink => {
    if ("console_sink" in entry) return new ConsoleSink(entry.console_sink.name, process.stdout, { color: process.stdout.isTTY === true }, entry.console_sink.default);
    const { name, file_name, default: isDefault } = entry.file_sink;
    return new FileSink(name, file_name, clusterName, isDefault);
  });
}
