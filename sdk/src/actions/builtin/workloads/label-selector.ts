/**
 * Kubernetes label selectors, matched in code. The cluster is asked only for the `matchLabels`
 * part (every Cluster understands equality), and the whole selector is checked here.
 */
import type { LabelSelector } from "kubernetes-types/meta/v1.js";

/** One requirement of a label or node selector. */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[] | undefined;
}

/** Whether `labels` meet one requirement: In, NotIn, Exists, DoesNotExist, and node selectors' Gt and Lt. */
export function requirementMatches(requirement: SelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const { key, operator, values = [] } = requirement;
  const value = labels[key];
  switch (operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      const [bound] = values;
      if (value === undefined || bound === undefined || !/^-?\d+$/.test(value)) return false;
      return operator === "Gt" ? Number(value) > Number(bound) : Number(value) < Number(bound);
    }
    default:
      return false;
  }
}

/** Whether `labels` match `selector`; an empty selector matches everything, as in Kubernetes. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>> = {}): boolean {
  return (
    Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value) &&
    (selector.matchExpressions ?? []).every((requirement) => requirementMatches(requirement, labels))
  );
}

/** The `matchLabels` of a selector as a label selector string ("app=web,tier=api"); undefined when it has none. */
export function matchLabelsQuery(selector: LabelSelector): string | undefined {
  const terms = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  return terms.length > 0 ? terms.join(",") : undefined;
}
