/**
 * Regexes as Robusta's Python matches them: `re.fullmatch` for scope (the whole value) and
 * `re.match` for the legacy `match` (anchored at the start only). Compiled once and cached, since
 * the same few patterns are matched against every finding.
 */
import { fullMatchRegex } from "@robusta-ts/sdk";

const CACHE_LIMIT = 10_000;
const cache = new Map<string, RegExp>();

function cached(key: string, build: () => RegExp): RegExp {
  let regex = cache.get(key);
  if (regex === undefined) {
    regex = build();
    // Patterns come from configuration, so the cache only outgrows its limit across many reloads.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, regex);
  }
  return regex;
}

/** Like Python's `re.match`: the value must start with a match. A leading `(?i)` ignores case. */
function prefixRegex(source: string): RegExp {
  const insensitive = source.startsWith("(?i)");
  const body = insensitive ? source.slice(4) : source;
  try {
    return new RegExp(`^(?:${body})`, insensitive ? "i" : "");
  } catch (error) {
    // The engine's message quotes the wrapped pattern; keep only the reason.
    throw new SyntaxError((error as Error).message.replace(/^.*: /, ""));
  }
}

/** A regex the whole value must match (Python's `re.fullmatch`). Throws SyntaxError when invalid. */
export const fullMatch = (source: string): RegExp => cached(`full:${source}`, () => fullMatchRegex(source));

/** A regex the value must start with (Python's `re.match`). Throws SyntaxError when invalid. */
export const prefixMatch = (source: string): RegExp => cached(`prefix:${source}`, () => prefixRegex(source));

/** Why `source` is not a valid regex, or undefined when it is. */
export function regexProblem(source: string, anchoring: "full" | "prefix"): string | undefined {
  try {
    if (anchoring === "full") fullMatch(source);
    else prefixMatch(source);
    return undefined;
  } catch (error) {
    return `invalid regular expression "${source}": ${(error as Error).message}`;
  }
}
