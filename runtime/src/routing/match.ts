/**
 * The legacy `match` and the whole of Robusta's `Filterable.matches`: scope first, then match.
 *
 *   exclude rule matches          -> reject
 *   include rule matches          -> accept (match is not looked at)
 *   include rules, none matches   -> reject (after match is evaluated, as Robusta does)
 *   otherwise                     -> whatever match says
 *
 * Match values are regexes anchored at the start only (Python's `re.match`: "prod" matches
 * "production"); labels and annotations must contain the given pairs exactly.
 */
import type { FindingAttributes } from "./attributes.js";
import { MATCH_ATTRIBUTES, type MatchParams, type ScopeParams } from "./params.js";
import { prefixMatch } from "./regex.js";
import { matchesScope, type ScopeData, type UnknownAttribute } from "./scope.js";

/** Whether a finding passes, and if not, why. */
export type MatchResult = { readonly accepted: true } | { readonly accepted: false; readonly detail: string };

const ACCEPTED: MatchResult = { accepted: true };
const known: ReadonlySet<string> = new Set(MATCH_ATTRIBUTES);

function valueMatches(value: string | Readonly<Record<string, string>>, expected: string | Readonly<Record<string, string>>): boolean {
  if (typeof value === "string") return typeof expected === "string" && prefixMatch(expected).test(value);
  // Robusta: `expression.items() <= value.items()`, an exact subset.
  return typeof expected !== "string" && Object.entries(expected).every(([key, wanted]) => Object.hasOwn(value, key) && value[key] === wanted);
}

const shown = (expected: string | Readonly<Record<string, string>>) => (typeof expected === "string" ? `"${expected}"` : JSON.stringify(expected));

/** Robusta's legacy match: every attribute given must match one of its alternatives. */
export function matchesLegacy(match: MatchParams, data: FindingAttributes, onUnknown: UnknownAttribute = () => {}): MatchResult {
  const unknown = Object.keys(match).filter((attribute) => !known.has(attribute));
  if (unknown.length > 0) {
    for (const attribute of unknown) onUnknown(attribute, "match");
    return { accepted: false, detail: `match names attributes findings do not have: ${unknown.join(", ")}` };
  }
  for (const [attribute, alternatives] of Object.entries(match)) {
    const value = data[attribute as keyof FindingAttributes];
    if (!alternatives.some((expected) => valueMatches(value, expected))) {
      return { accepted: false, detail: `match.${attribute} wants ${alternatives.map(shown).join(" or ")}` };
    }
  }
  return ACCEPTED;
}

/** Robusta's `Filterable.matches(match, scope)`. */
export function matchesRouting(params: { readonly scope?: ScopeParams | undefined; readonly match?: MatchParams | undefined }, data: ScopeData, onUnknown: UnknownAttribute = () => {}): MatchResult {
  let accept = true;
  if (params.scope) {
    const verdict = matchesScope(params.scope, data, onUnknown);
    if (verdict.kind === "excluded") return { accepted: false, detail: `excluded by scope.exclude[${verdict.rule}]` };
    if (verdict.kind === "included") return ACCEPTED;
    if (verdict.kind === "not-included") accept = false;
  }
  // Evaluated even when the include rules missed, as Robusta does (it may warn of unknown attributes).
  const legacy = params.match ? matchesLegacy(params.match, data, onUnknown) : ACCEPTED;
  return accept ? legacy : { accepted: false, detail: "matches no scope.include rule" };
}
