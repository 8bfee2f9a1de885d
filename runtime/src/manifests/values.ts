/**
 * Values as Helm computes them: the chart's defaults, then each values file, then each --set,
 * maps merged key by key, lists and scalars replaced, null removing a key. Then validated.
 */
import { readFile } from "node:fs/promises";
import YAML from "yaml";
import { z } from "zod";
import { DEFAULT_VALUES } from "./defaults.js";
import { chartValuesSchema, type ChartValues } from "./values-schema.js";

/** A values file or --set that is not valid; the message says where and what. */
export class ValuesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ValuesError";
  }
}

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Helm's coalescing of two values trees. */
export function mergeValues(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(out[key])) out[key] = mergeValues(out[key] as Json, value);
    else out[key] = value;
  }
  return out;
}

/** A --set value read as YAML, except that a fraction stays text, as Helm keeps it (`--set runner.image.tag=1.5`). */
function setValue(raw: string): unknown {
  if (raw === "") return "";
  let value: unknown;
  try {
    value = YAML.parse(raw);
  } catch {
    return raw;
  }
  return typeof value === "number" && !Number.isInteger(value) ? raw : value;
}

/**
 * `a.b.c=value` as a values tree. The value is read as YAML (numbers, booleans, null, `[a, b]`
 * lists, `{k: v}` maps); Helm's list syntax `{a,b}` (no colon) is a list too.
 */
export function parseSet(assignment: string): Json {
  const at = assignment.indexOf("=");
  if (at <= 0) throw new ValuesError(`--set ${assignment}: write key=value, e.g. --set runner.image.tag=1.2.0`);
  const path = assignment.slice(0, at).split(".");
  if (path.some((part) => part === "")) throw new ValuesError(`--set ${assignment}: the key has an empty part`);
  const raw = assignment.slice(at + 1);
  const helmList = /^\{([^{}:]*)\}$/.exec(raw.trim());
  const value = helmList ? helmList[1]!.split(",").map((item) => item.trim()).filter(Boolean).map(setValue) : setValue(raw);
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Json;
}

/** Validates merged values, listing every problem with its path. */
export function validateValues(values: unknown, where: string): ChartValues {
  const result = chartValuesSchema.safeParse(values);
  if (result.success) return result.data;
  throw new ValuesError(`invalid values (${where}):\n${result.error.issues.map((i) => `  - ${i.path.join(".") || "(top)"}: ${i.message}`).join("\n")}`);
}

const fileShape = z.record(z.string(), z.unknown()).nullable();

/** The chart's defaults merged with the files and assignments, in order, validated. */
export async function loadValues(files: readonly string[], sets: readonly string[]): Promise<ChartValues> {
  let values: Json = structuredClone(DEFAULT_VALUES) as Json;
  for (const file of files) {
    const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new ValuesError(`cannot read the values file ${file}: ${error.code ?? error.message}`);
    });
    const doc = YAML.parseDocument(text);
    if (doc.errors.length > 0) throw new ValuesError(`${file}: ${doc.errors[0]!.message}`);
    const parsed = fileShape.safeParse(doc.toJS());
    if (!parsed.success) throw new ValuesError(`${file}: a values file must be a mapping of keys, like the chart's values.yaml`);
    values = mergeValues(values, parsed.data ?? {});
  }
  for (const set of sets) values = mergeValues(values, parseSet(set));
  return validateValues(values, [...files, ...sets.map((s) => `--set ${s}`)].join(", ") || "the chart's defaults");
}
