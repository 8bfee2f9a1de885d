/**
 * Scope matching, as Robusta's `BaseScopeMatcher`: include and exclude are lists of rules (any
 * rule may match); the attributes of one rule must all match; an attribute's alternatives are
 * regexes matched against the whole value (any may match), or for labels, annotations and
 * namespace_labels, selectors ("app=web.*,tier!=db"). An attribute the finding does not have
 * never matches (and is reported, as Robusta logs a warning).
 */
import type { FindingAttributes } from "./attributes.js";
import type { ScopeParams, ScopeRule } from "./params.js";
import { SCOPE_ATTRIBUTES, SELECTOR_ATTRIBUTES } from "./params.js";
import { fullMatch } from "./regex.js";
import { parseLabelSelector, selectorHolds } from "./selectors.js";

/** Looks up a namespace's labels; undefined when there is no such namespace. */
export type NamespaceLabels = (namespace: string) => Promise<Readonly<Record<string, string>> | undefined>;

/** What scope rules are matched against: the finding's attributes, with its namespace's labels when a rule needs them. */
export type ScopeData = FindingAttributes & { readonly namespace_labels?: Readonly<Record<string, string>> };

/**
 * What the scope says of a finding: excluded by an exclude rule; included by an include rule;
 * not included although there are include rules; or nothing (only exclude rules, none matched).
 */
export type ScopeVerdict =
  | { readonly kind: "excluded"; readonly rule: number }
  | { readonly kind: "included"; readonly rule: number }
  | { readonly kind: "not-included" }
  | { readonly kind: "no-opinion" };

/** Told of an attribute, named in scope or match, that findings do not have. */
export type UnknownAttribute = (attribute: string, where: "scope" | "match") => void;

const known: ReadonlySet<string> = new Set(SCOPE_ATTRIBUTES);

/** Whether any rule of `scope` reads namespace_labels (so the namespace's labels must be looked up). */
export function scopeUsesNamespaceLabels(scope: ScopeParams | undefined): boolean {
  const rules = [...(scope?.include ?? []), ...(scope?.exclude ?? [])];
  return rules.some((rule) => Object.hasOwn(rule, "namespace_labels"));
}

function attributeMatches(attribute: string, alternatives: readonly string[], data: ScopeData, onUnknown: UnknownAttribute): boolean {
  if (!known.has(attribute)) {
    onUnknown(attribute, "scope");
    return false;
  }
  if (SELECTOR_ATTRIBUTES.has(attribute)) {
    const labels = (attribute === "namespace_labels" ? data.namespace_labels : data[attribute as "labels" | "annotations"]) ?? {};
    return alternatives.some((expression) => selectorHolds(parseLabelSelector(expression), labels));
  }
  const value = data[attribute as Exclude<keyof FindingAttributes, "labels" | "annotations">];
  return alternatives.some((regex) => fullMatch(regex).test(value));
}

/** Whether every attribute of `rule` matches `data`. */
export function ruleMatches(rule: ScopeRule, data: ScopeData, onUnknown: UnknownAttribute = () => {}): boolean {
  return Object.entries(rule).every(([attribute, alternatives]) => attributeMatches(attribute, alternatives, data, onUnknown));
}

/** Robusta's scope check: an exclude rule that matches rejects; then an include rule that matches accepts; include rules that all miss reject. */
export function matchesScope(scope: ScopeParams, data: ScopeData, onUnknown: UnknownAttribute = () => {}): ScopeVerdict {
  const excluded = scope.exclude?.findIndex((rule) => ruleMatches(rule, data, onUnknown)) ?? -1;
  if (excluded >= 0) return { kind: "excluded", rule: excluded };
  if (!scope.include) return { kind: "no-opinion" };
  const included = scope.include.findIndex((rule) => ruleMatches(rule, data, onUnknown));
  return included >= 0 ? { kind: "included", rule: included } : { kind: "not-included" };
}
