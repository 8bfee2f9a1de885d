/** A YAML file parsed with positions, so each problem can name its line. */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Scalar } from "yaml";

export interface YamlSource {
  /** The parsed value. */
  readonly value: unknown;
  /** Syntax errors, each with its line. */
  readonly errors: readonly { line: number; message: string }[];
  /** The line of the deepest node on `path` that exists (1-based), if any. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

export function parseYaml(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  return {
    value: doc.errors.length ? undefined : doc.toJS({ maxAliasCount: 100 }),
    errors: doc.errors.map((error) => ({ line: lineAt(error.pos[0]), message: error.message.split("\n")[0]! })),
    lineOf(path) {
      // The key's line reads best: for `restart_count: "x"` that is the line of both.
      for (let depth = path.length; depth > 0; depth--) {
        const parent = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true);
        const key = path[depth - 1];
        let node: Node | Scalar | null | undefined;
        if (isMap(parent)) {
          const pair = parent.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(key));
          node = pair && ((pair.key as Node | null) ?? (pair.value as Node | null));
        } else if (isSeq(parent) && typeof key === "number") {
          node = parent.items[key] as Node | undefined;
        }
        if (node?.range) return lineAt(node.range[0]);
      }
      return undefined;
    },
  };
}
