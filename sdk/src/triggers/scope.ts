/**
 * Robusta's `scope` parameter: include and exclude rules on an object's name, namespace, labels,
 * annotations and attributes (on_prometheus_alert: on an alert's labels and annotations).
 *
 *   scope:
 *     include:
 *       - namespace: [prod, "prod-.*"]          # regex, whole value; any may match
 *         labels: ["app=web.*, tier!=db"]       # every pair in one string (AND); strings are OR
 *     exclude:
 *       - attributes: ["spec.containers[0].name=istio-proxy"]
 *
 * Within a rule every field given must match. Exclude rules are checked first (any match
 * excludes); then, if there are include rules, one must match. Regexes and expressions are
 * compiled when the parameters are parsed, so a bad one fails at load time, naming itself.
 */
import { z } from "zod";
import { getAtPath, parsePath, PathSyntaxError, type PathSegment } from "../kubernetes/object-path.js";

/** `key=regex` or `key!=regex`, matched against labels or annotations. */
export interface LabelCondition {
  readonly key: string;
  readonly negate: boolean;
  readonly regex: RegExp;
}

/** `path=value` or `path!=value`, matched against a leaf of the object, case-insensitively. */
export interface AttributeCondition {
  readonly path: readonly PathSegment[];
  readonly negate: boolean;
  /** Lower-cased. */
  readonly value: string;
}

/** One include or exclude rule, compiled. Each list is OR; the fields of a rule are AND. */
export interface ScopeRule {
  readonly name?: readonly RegExp[];
  readonly namespace?: readonly RegExp[];
  /** Each inner list is one expression string: all its conditions must hold. */
  readonly labels?: readonly (readonly LabelCondition[])[];
  readonly annotations?: readonly (readonly LabelCondition[])[];
  readonly attributes?: readonly (readonly AttributeCondition[])[];
}

/** A parsed `scope`. */
export interface Scope {
  readonly include?: readonly ScopeRule[];
  readonly exclude?: readonly ScopeRule[];
}

/** What a scope is matched against. */
export interface ScopeSubject {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** The raw object `attributes` paths go into. */
  readonly object?: unknown;
}

/**
 * A regex that must match the whole value, as Python's `re.fullmatch`. A leading `(?i)` (Python's
 * inline flag, which JavaScript lacks) makes it case-insensitive. Throws on an invalid regex.
 */
export function fullMatchRegex(source: string): RegExp {
  const insensitive = source.startsWith("(?i)");
  const body = insensitive ? source.slice(4) : source;
  try {
    return new RegExp(`^(?:${body})$`, insensitive ? "i" : "");
  } catch (error) {
    // The engine's message quotes the wrapped pattern; keep only the reason.
    throw new SyntaxError((error as Error).message.replace(/^.*: /, ""));
  }
}

/** Splits "k=v, k2!=v2" into its conditions; the value is everything after the first "=". */
function splitConditions(expression: string, what: string): { key: string; negate: boolean; value: string }[] {
  return expression.split(",").map((part) => {
    const at = part.indexOf("=");
    let key = at < 0 ? "" : part.slice(0, at).trim();
    const negate = key.endsWith("!");
    if (negate) key = key.slice(0, -1).trim();
    if (at < 0 || key === "") {
      throw new Error(`"${part.trim()}" in "${expression}" is not a ${what} condition: write key=value or key!=value`);
    }
    return { key, negate, value: part.slice(at + 1).trim() };
  });
}

function compileRegex(source: string): RegExp {
  try {
    return fullMatchRegex(source);
  } catch (error) {
    throw new Error(`invalid regular expression "${source}": ${(error as Error).message}`);
  }
}

const compileLabels = (expression: string): LabelCondition[] =>
  splitConditions(expression, "label").map(({ key, negate, value }) => {
    try {
      return { key, negate, regex: fullMatchRegex(value) };
    } catch (error) {
      throw new Error(`invalid regular expression "${value}" in "${expression}": ${(error as Error).message}`);
    }
  });

const compileAttributes = (expression: string): AttributeCondition[] =>
  splitConditions(expression, "attribute").map(({ key, negate, value }) => {
    try {
      return { path: parsePath(key), negate, value: value.toLowerCase() };
    } catch (error) {
      throw error instanceof PathSyntaxError ? new Error(`in "${expression}": ${error.message}`) : error;
    }
  });

/**
 * A string or a list of strings (Robusta accepts both), each compiled; always a list after
 * parsing. A string that does not compile is reported at its own index, with what is wrong.
 */
const compiledList = <T>(compile: (source: string) => T) =>
  z.union([z.string(), z.array(z.string()).min(1, "must not be empty")]).transform((value, ctx) => {
    const sources = Array.isArray(value) ? value : [value];
    const compiled: T[] = [];
    sources.forEach((source, i) => {
      try {
        compiled.push(compile(source));
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message, path: Array.isArray(value) ? [i] : [] });
      }
    });
    return compiled;
  });

const regexes = compiledList(compileRegex);

const ruleFields = {
  name: regexes.optional().describe("Regexes; the whole name must match one."),
  namespace: regexes.optional().describe('Regexes; the whole namespace must match one ("" for cluster-scoped objects).'),
  labels: compiledList(compileLabels)
    .optional()
    .describe('Expressions like "app=web.*, tier!=db": every key=regex / key!=regex of one expression must hold (a missing label never does); one expression must.'),
  annotations: compiledList(compileLabels).optional().describe("Expressions as for labels, on annotations."),
  attributes: compiledList(compileAttributes)
    .optional()
    .describe('Expressions like "spec.containers[0].name=bad, status.phase!=Pending": paths into the object, leaf values compared case-insensitively (a missing or non-leaf value never matches); one expression must hold.'),
};

function scopeSchema<Shape extends z.ZodRawShape>(shape: Shape) {
  const fields = Object.keys(shape);
  const rule = z
    .object(shape)
    .strict()
    .superRefine((rule, ctx) => {
      if (Object.keys(rule).length === 0) ctx.addIssue({ code: "custom", message: `a rule needs at least one of ${fields.join(", ")}` });
    })
    .meta({ title: "scope rule" });
  return z
    .object({
      include: z.array(rule).min(1, "must not be empty").optional().describe("Fire only for what matches one of these rules."),
      exclude: z.array(rule).min(1, "must not be empty").optional().describe("Never fire for what matches one of these rules (checked first)."),
    })
    .strict()
    .superRefine((scope, ctx) => {
      if (scope.include === undefined && scope.exclude === undefined) ctx.addIssue({ code: "custom", message: "scope needs include, exclude or both" });
    })
    .meta({ title: "scope" });
}

/** `scope` of Kubernetes triggers: rules on name, namespace, labels, annotations and attributes. */
export const kubernetesScope = scopeSchema(ruleFields);

/** `scope` of on_prometheus_alert: rules on the alert's labels and annotations. */
export const alertScope = scopeSchema({ labels: ruleFields.labels, annotations: ruleFields.annotations });

function labelsHold(conditions: readonly LabelCondition[], labels: Readonly<Record<string, string>> | undefined): boolean {
  return conditions.every(({ key, negate, regex }) => {
    const value = labels?.[key];
    // Robusta: a missing label fails the condition, with = and != alike.
    return value !== undefined && regex.test(value.trim()) !== negate;
  });
}

function attributesHold(conditions: readonly AttributeCondition[], object: unknown): boolean {
  return conditions.every(({ path, negate, value }) => {
    const actual = getAtPath(object, path);
    if (actual === undefined || actual === null || typeof actual === "object") return false;
    return (String(actual).toLowerCase() === value) !== negate;
  });
}

/** Whether `subject` matches every field the rule gives. */
export function ruleMatches(rule: ScopeRule, subject: ScopeSubject): boolean {
  if (rule.name && !rule.name.some((regex) => regex.test(subject.name ?? ""))) return false;
  if (rule.namespace && !rule.namespace.some((regex) => regex.test(subject.namespace ?? ""))) return false;
  if (rule.labels && !rule.labels.some((conditions) => labelsHold(conditions, subject.labels))) return false;
  if (rule.annotations && !rule.annotations.some((conditions) => labelsHold(conditions, subject.annotations))) return false;
  if (rule.attributes && !rule.attributes.some((conditions) => attributesHold(conditions, subject.object))) return false;
  return true;
}

/** Whether `subject` is in scope: no exclude rule matches, and some include rule does if there are any. */
export function scopeMatches(scope: Scope | undefined, subject: ScopeSubject): boolean {
  if (!scope) return true;
  if (scope.exclude?.some((rule) => ruleMatches(rule, subject))) return false;
  return !scope.include || scope.include.some((rule) => ruleMatches(rule, subject));
}
