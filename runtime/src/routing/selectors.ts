/**
 * The two label syntaxes of routing. Scope takes Kubernetes-like selectors with regexes,
 * "app=web.*, tier!=db" (every condition must hold; a missing label never holds, with = or !=).
 * The legacy `match` takes "a=b,c=d", an exact subset of the labels.
 */
import { fullMatch, regexProblem } from "./regex.js";

/** One `key=regex` or `key!=regex` condition of a scope selector. */
export interface LabelCondition {
  readonly key: string;
  readonly negate: boolean;
  /** The regex source; the whole (trimmed) label value must match it. */
  readonly regex: string;
}

const selectorCache = new Map<string, readonly LabelCondition[]>();

/** Parses a scope selector as Robusta does (split on ",", then on the first "="; keys, regexes and values trimmed). Throws on a malformed one. */
export function parseLabelSelector(expression: string): readonly LabelCondition[] {
  const known = selectorCache.get(expression);
  if (known) return known;
  const conditions = expression.split(",").map((part): LabelCondition => {
    const at = part.indexOf("=");
    let key = at < 0 ? "" : part.slice(0, at).trim();
    const negate = key.endsWith("!");
    if (negate) key = key.slice(0, -1).trimEnd();
    if (at < 0 || key === "") throw new Error(`"${part.trim()}" in "${expression}" is not a condition: write key=regex or key!=regex`);
    const regex = part.slice(at + 1).trim();
    const problem = regexProblem(regex, "full");
    if (problem) throw new Error(`${problem} (in "${expression}")`);
    return { key, negate, regex };
  });
  if (selectorCache.size >= 10_000) selectorCache.clear();
  selectorCache.set(expression, conditions);
  return conditions;
}

/** Whether every condition holds on `labels`. */
export function selectorHolds(conditions: readonly LabelCondition[], labels: Readonly<Record<string, string>>): boolean {
  return conditions.every(({ key, negate, regex }) => {
    const value = Object.hasOwn(labels, key) ? labels[key] : undefined;
    if (value === undefined) return false;
    return fullMatch(regex).test(value.trim()) !== negate;
  });
}

/** Parses the legacy "a=b,c=d" into {a: "b", c: "d"}. Throws on a part that is not key=value. */
export function parseLegacyLabels(expression: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of expression.split(",")) {
    const pieces = part.trim().split("=");
    const key = pieces[0]?.trim() ?? "";
    // Robusta logs and ignores such a matcher, which then matches everything; refusing it is safer.
    if (pieces.length !== 2 || key === "" || key.endsWith("!")) {
      throw new Error(`"${part.trim()}" in "${expression}" is not key=value (the legacy match takes exact values; use scope for regexes and !=)`);
    }
    result[key] = pieces[1]!.trim();
  }
  return result;
}
