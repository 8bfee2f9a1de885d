/**
 * `sinksConfig` in Robusta's shape: a list of `{ <type>_sink: { name, ... } }`. Each sink type
 * has its own schema, looked up by its key, so a mistake is reported against that type's
 * parameters (not as "no union member matched"). More types come with their sinks.
 */
import { z } from "zod";
import { ConsoleSink } from "./console-sink.js";
import { FileSink } from "./file-sink.js";
import type { Sink } from "./sink.js";

/** Parameters every sink takes. */
export const sinkBaseParams = {
  name: z.string().min(1).describe("Unique; playbooks name sinks by it."),
  default: z.boolean().default(true).describe("Whether playbooks that name no sinks send here."),
};

/** Each sink type: its YAML key, what it is, its parameters and how it is built. */
export const SINK_TYPES = {
  console_sink: {
    description: "Prints findings readably on the runner's standard output.",
    params: z.object({ ...sinkBaseParams }).strict(),
    create: (p: { name: string; default: boolean }): Sink =>
      new ConsoleSink(p.name, process.stdout, { color: process.stdout.isTTY === true }, p.default),
  },
  file_sink: {
    description: "Appends each finding as one JSON line to a file.",
    params: z.object({ ...sinkBaseParams, file_name: z.string().min(1).describe("The JSON-lines file findings are appended to.") }).strict(),
    create: (p: { name: string; default: boolean; file_name: string }, clusterName: string): Sink =>
      new FileSink(p.name, p.file_name, clusterName, p.default),
  },
} as const;

export type SinkTypeName = keyof typeof SINK_TYPES;

/** One validated sink entry. */
export interface SinkConfig {
  readonly type: SinkTypeName;
  readonly params: { readonly name: string; readonly default: boolean } & Readonly<Record<string, unknown>>;
}

const isSinkType = (key: string): key is SinkTypeName => Object.hasOwn(SINK_TYPES, key);

/** The `sinksConfig` list: each entry names one known sink type; names are unique. */
export const sinksConfigSchema = z
  .array(z.record(z.string(), z.unknown()))
  .transform((entries, ctx): SinkConfig[] => {
    const sinks: SinkConfig[] = [];
    const seen = new Set<string>();
    entries.forEach((entry, i) => {
      const keys = Object.keys(entry);
      if (keys.length !== 1) {
        ctx.addIssue({ code: "custom", path: [i], message: `name exactly one sink type, like {console_sink: {name: console}}; got ${keys.length ? keys.join(", ") : "none"}` });
        return;
      }
      const type = keys[0]!;
      if (!isSinkType(type)) {
        ctx.addIssue({ code: "custom", path: [i, type], message: `unknown sink type "${type}" (this runner has: ${Object.keys(SINK_TYPES).join(", ")})` });
        return;
      }
      const parsed = SINK_TYPES[type].params.safeParse(entry[type] ?? {});
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: [i, type, ...issue.path], message: issue.message });
        return;
      }
      if (seen.has(parsed.data.name)) {
        ctx.addIssue({ code: "custom", path: [i, type, "name"], message: `sink name "${parsed.data.name}" is used twice` });
        return;
      }
      seen.add(parsed.data.name);
      sinks.push({ type, params: parsed.data });
    });
    return sinks;
  });

export type SinksConfig = z.input<typeof sinksConfigSchema>;

/** Builds the sinks a validated config describes. */
export function createSinks(config: readonly SinkConfig[], clusterName: string): Sink[] {
  return config.map(({ type, params }) => (SINK_TYPES[type].create as (p: unknown, cluster: string) => Sink)(params, clusterName));
}

/** Whether two sink entries configure the same sink: an unchanged sink is kept across reloads. */
export const sameSink = (a: SinkConfig, b: SinkConfig): boolean => a.type === b.type && JSON.stringify(a.params) === JSON.stringify(b.params);
