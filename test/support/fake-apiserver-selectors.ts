/**
 * labelSelector and fieldSelector, parsed the way the API server reads them. A malformed
 * selector, or a field label the kind does not support, throws SelectorError, which the server
 * answers with 400 BadRequest as the real one does.
 */

export class SelectorError extends Error {}

type Labels = Readonly<Record<string, string>> | undefined;
export type Matcher = (obj: { metadata: { labels?: Labels } } & Record<string, unknown>) => boolean;

/** Splits on commas outside parentheses: "a in (x,y),b" -> ["a in (x,y)", "b"]. */
function requirements(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      out.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  out.push(selector.slice(start));
  return out.map((r) => r.trim()).filter((r) => r !== "");
}

/** Equality (=, ==, !=), set (in, notin) and existence (key, !key) requirements, all ANDed. */
export function parseLabelSelector(selector: string): Matcher {
  const tests = requirements(selector).map((req): ((labels: Labels) => boolean) => {
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
    if (m) {
      const [, key, op, list] = m as unknown as [string, string, string, string];
      const values = new Set(list.split(",").map((v) => v.trim()));
      // notin, like !=, also matches objects without the label.
      return op === "in" ? (l) => l?.[key] !== undefined && values.has(l[key]) : (l) => l?.[key] === undefined || !values.has(l[key]);
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(req);
    if (m) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      return op === "!=" ? (l) => l?.[key] !== value : (l) => l?.[key] === value;
    }
    m = /^(!?)([\w./-]+)$/.exec(req);
    if (m) {
      const [, not, key] = m as unknown as [string, string, string];
      return not ? (l) => l?.[key] === undefined : (l) => l?.[key] !== undefined;
    }
    throw new SelectorError(`unable to parse requirement: ${JSON.stringify(req)}`);
  });
  return (obj) => tests.every((t) => t(obj.metadata.labels));
}

/** The value of a dotted field label, as the server's field sets render it ("" when absent). */
function fieldValue(obj: Record<string, unknown>, path: string): string {
  let at: unknown = obj;
  for (const part of path.split(".")) at = at !== null && typeof at === "object" ? (at as Record<string, unknown>)[part] : undefined;
  return at === undefined || at === null ? "" : String(at);
}

/** field=value, field==value, field!=value, ANDed; only metadata.name, metadata.namespace and the kind's own fields. */
export function parseFieldSelector(selector: string, kindFields: readonly string[]): Matcher {
  const supported = new Set(["metadata.name", "metadata.namespace", ...kindFields]);
  const tests = requirements(selector).map((req): ((obj: Record<string, unknown>) => boolean) => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(req);
    if (!m) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${req}'`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    if (!supported.has(field)) throw new SelectorError(`field label not supported: ${field}`);
    return op === "!=" ? (obj) => fieldValue(obj, field) !== value : (obj) => fieldValue(obj, field) === value;
  });
  return (obj) => tests.every((t) => t(obj));
}
