/**
 * customise_finding's `finding_label_rules`: labels computed from the subject with Prometheus
 * relabelling semantics (the `replace` action).
 */
import { z } from "zod";
import type { FindingSubject } from "../../../findings/finding.js";
import { fullMatchRegex } from "../../../triggers/scope.js";

/** Checked when the parameters are, not when the first finding arrives. */
const compiles = (source: string) => {
  try {
    fullMatchRegex(source);
    return true;
  } catch {
    return false;
  }
};

/** One rule: the schema of a `finding_label_rules` entry. */
export const findingLabelRule = z.object({
  source_fields: z
    .array(z.string())
    .min(1)
    .describe(
      'Subject fields whose values are joined: "name", "kind", "namespace", "node", "container", "labels.<key>", "annotations.<key>" or "namespace_labels.<key>"; a missing one counts as empty.',
    ),
  separator: z.string().default(";").describe("Put between the values of the source fields."),
  regex: z
    .string()
    .default("(.*)")
    .refine(compiles, { message: "must be a valid regular expression" })
    .describe("Must match the whole joined value for the rule to apply (a leading `(?i)` ignores case); its groups are used in the replacement."),
  target_label: z.string().min(1).describe("The label to set."),
  replacement: z
    .string()
    .default("$1")
    .describe("The label's value: `$1` or `${1}` stand for the regex's groups (`$name` for named ones), `$$` for a `$`."),
});

export type FindingLabelRule = z.output<typeof findingLabelRule>;

/** Where a source field's value comes from: the subject, and the labels of its namespace. */
export interface LabelSources {
  readonly subject: FindingSubject;
  readonly namespaceLabels: Readonly<Record<string, string>>;
}

const NAMESPACE_LABELS = "namespace_labels.";

/** Whether any rule reads the subject's namespace's labels, which must be fetched. */
export const needsNamespaceLabels = (rules: readonly FindingLabelRule[]) =>
  rules.some((rule) => rule.source_fields.some((field) => field.startsWith(NAMESPACE_LABELS)));

const own = (values: Readonly<Record<string, string>>, key: string) => (Object.hasOwn(values, key) ? values[key]! : "");

function fieldValue(field: string, sources: LabelSources, labels: Readonly<Record<string, string>>): string {
  const { subject } = sources;
  const dot = field.indexOf(".");
  const key = field.slice(dot + 1);
  switch (dot < 0 ? field : field.slice(0, dot + 1)) {
    case "name":
      return subject.name ?? "";
    case "kind":
      return subject.subjectType ?? "";
    case "namespace":
      return subject.namespace ?? "";
    case "node":
      return subject.node ?? "";
    case "container":
      return subject.container ?? "";
    case "labels.":
      return own(labels, key);
    case "annotations.":
      return own(subject.annotations, key);
    case NAMESPACE_LABELS:
      return own(sources.namespaceLabels, key);
    default:
      return "";
  }
}

/** Go's regexp.Expand, as Prometheus uses it: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(replacement: string, match: RegExpExecArray): string {
  return replacement.replace(/\$(?:\$|\{(\w+)\}|(\w+))/g, (_token, braced?: string, bare?: string) => {
    const ref = braced ?? bare;
    if (ref === undefined) return "$";
    const value = /^\d+$/.test(ref) ? match[Number(ref)] : match.groups?.[ref];
    return value ?? "";
  });
}

/**
 * The labels the rules set, in order: each rule joins its source fields, and when its regex
 * matches all of that sets its target label to the expanded replacement (one that comes out
 * empty sets nothing). A later rule sees the labels an earlier one set, and wins over it.
 */
export function applyLabelRules(rules: readonly FindingLabelRule[], sources: LabelSources): Record<string, string> {
  const labels: Record<string, string> = { ...sources.subject.labels };
  const set: Record<string, string> = {};
  for (const rule of rules) {
    const value = rule.source_fields.map((field) => fieldValue(field, sources, labels)).join(rule.separator);
    const match = fullMatchRegex(rule.regex).exec(value);
    if (!match) continue;
    const result = expand(rule.replacement, match);
    if (result === "") continue;
    labels[rule.target_label] = result;
    set[rule.target_label] = result;
  }
  return set;
}
