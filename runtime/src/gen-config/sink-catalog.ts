/**
 * What gen-config knows about each sink type, read from the sink's own zod schema: its
 * parameters, which of them are required, their descriptions (the prompts' help) and which are
 * secrets. Nothing here is a second copy of a sink's parameters.
 */
import { parse as parseYamlValue } from "yaml";
import type { z } from "zod";
import { SINK_TYPES, type SinkTypeName } from "../sinks/sinks-config.js";
import { isSecretParam } from "./secrets.js";

/** One parameter of a sink type. */
export interface SinkParam {
  readonly key: string;
  readonly description: string;
  readonly secret: boolean;
  readonly schema: z.ZodType;
}

/**
 * Sink types whose schema requires "one of several modes" rather than fixed keys: gen-config sets
 * up the common mode; the other is reachable with --set.
 */
const MODE_PARAMS: Partial<Record<SinkTypeName, readonly string[]>> = {
  ms_teams_sink: ["webhook_url"],
  ms_teams_graph_sink: ["tenant_id", "client_id", "client_secret", "team_id", "channel_id"],
};

/** Every sink type by its YAML key. */
export const SINK_TYPE_NAMES = Object.keys(SINK_TYPES) as SinkTypeName[];

/** "slack" for "slack_sink": what users type and default sink names are made of. */
export const shortName = (type: SinkTypeName): string => type.replace(/_sink$/, "");

/** Names people use for a sink type that are not its key. */
const ALIASES: Readonly<Record<string, SinkTypeName>> = { teams: "ms_teams_sink", msteams: "ms_teams_sink", email: "mail_sink", servicenow: "service_now_sink" };

/** The sink type a user named, as "slack" or "slack_sink"; undefined when there is none. */
export function sinkTypeOf(name: string): SinkTypeName | undefined {
  const key = name.trim().toLowerCase().replace(/-/g, "_");
  if (Object.hasOwn(ALIASES, key)) return ALIASES[key];
  const full = key.endsWith("_sink") ? key : `${key}_sink`;
  return (SINK_TYPE_NAMES as string[]).includes(full) ? (full as SinkTypeName) : undefined;
}

/** The first clause of a sink type's description, for a one-line list. */
export function sinkSummary(type: SinkTypeName): string {
  const text = SINK_TYPES[type].description;
  const clause = (/^.*?(?=[,:;.](?:\s|$)| \()/.exec(text)?.[0] ?? text).trim();
  return clause.length > 78 ? `${clause.slice(0, 77)}…` : clause;
}

function shapeOf(type: SinkTypeName): Record<string, z.ZodType> {
  // Every sink's params is a z.object (refinements keep the shape reachable in zod 4).
  return (SINK_TYPES[type].params as unknown as { shape: Record<string, z.ZodType> }).shape;
}

/** A parameter of a sink type, or undefined when the type has no such key. */
export function sinkParam(type: SinkTypeName, key: string): SinkParam | undefined {
  const schema = Object.hasOwn(shapeOf(type), key) ? shapeOf(type)[key] : undefined;
  if (!schema) return undefined;
  const description = schema.description ?? "";
  return { key, description, secret: isSecretParam(key, description), schema };
}

/** Every parameter key of a sink type, for messages. */
export const sinkParamKeys = (type: SinkTypeName): string[] => Object.keys(shapeOf(type));

/** The parameters gen-config asks for: the required ones (those with no default), except `name`. */
export function requiredParams(type: SinkTypeName): SinkParam[] {
  const keys = MODE_PARAMS[type] ?? Object.entries(shapeOf(type)).filter(([, schema]) => !schema.safeParse(undefined).success).map(([key]) => key);
  return keys.filter((key) => key !== "name").map((key) => sinkParam(type, key)!);
}

export type ParsedValue = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/**
 * A parameter's value from what was typed: the text itself when the parameter takes it, else the
 * text read as YAML (numbers, booleans, lists, `{...}` maps). The value kept is the one written
 * to the values file, not the schema's output, so defaults and transforms stay the runner's.
 */
export function parseParamValue(param: SinkParam, text: string): ParsedValue {
  const asText = param.schema.safeParse(text);
  if (asText.success) return { ok: true, value: text };
  let yaml: unknown;
  try {
    yaml = parseYamlValue(text);
  } catch {
    yaml = text;
  }
  if (yaml !== text && yaml !== null && param.schema.safeParse(yaml).success) return { ok: true, value: yaml };
  return { ok: false, message: asText.error.issues.map((issue) => issue.message).join("; ") };
}
