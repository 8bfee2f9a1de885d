/**
 * Size limits on what an enrichment may carry, applied as it is added, so one huge log or table
 * can never make a finding undeliverable. What is cut is said in the finding: a file's
 * `truncated`, a note after a table turned into a file, a marker at the end of long text.
 */
import { file, markdown, type Block, type FileBlock, type TableBlock, type TableCell } from "./blocks.js";

export interface BlockLimits {
  /** A table with more rows becomes a text file. */
  readonly maxTableRows: number;
  /** A table whose text is longer (in characters) becomes a text file. */
  readonly maxTableChars: number;
  /** A file larger than this (in bytes) keeps only its end: logs crash at the end. */
  readonly maxFileBytes: number;
  /** Markdown longer than this (in characters) is cut, keeping its start. */
  readonly maxMarkdownChars: number;
}

/** Room for a full Slack message and well under Teams' 28 KB once rendered; files as Robusta's 1000 KB log limit. */
export const DEFAULT_BLOCK_LIMITS: BlockLimits = {
  maxTableRows: 50,
  maxTableChars: 6_000,
  maxFileBytes: 1_000 * 1024,
  maxMarkdownChars: 6_000,
};

const cellText = (cell: TableCell): string => (cell === null ? "" : String(cell));

/** A table as aligned plain text, as `kubectl get` prints one. */
export function tableText(table: Pick<TableBlock, "headers" | "rows">): string {
  const lines = [...(table.headers.length > 0 ? [table.headers] : []), ...table.rows].map((row) => row.map(cellText));
  const widths: number[] = [];
  for (const line of lines) line.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return lines.map((line) => line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd()).join("\n") + "\n";
}

/** "Pods on node-1" → "pods-on-node-1". */
const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "") || "table";

/** Keeps the end of `text` within `maxBytes`, starting at a line boundary where it can. */
export function keepEnd(text: string, maxBytes: number): { text: string; cut?: string } {
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return { text };
  const tail = Buffer.from(text).subarray(bytes - maxBytes).toString();
  // Start at a line boundary, unless the last line alone is longer than the limit: then keep its end.
  const newline = tail.indexOf("\n");
  const kept = newline >= 0 && newline < tail.length - 1 ? tail.slice(newline + 1) : tail;
  return { text: kept, cut: `the first ${bytes - Buffer.byteLength(kept)} bytes were cut to keep the last ${Math.round(maxBytes / 1024)} KB` };
}

function boundTable(table: TableBlock, limits: BlockLimits): Block[] {
  const text = tableText(table);
  if (table.rows.length <= limits.maxTableRows && text.length <= limits.maxTableChars) return [table];
  const name = table.name ?? "table";
  const filename = `${slug(name)}.txt`;
  const attached = boundFile(file(filename, text), limits);
  return [markdown(`*${name}*: ${table.rows.length} rows, too many to show here; attached as \`${filename}\`.`), attached];
}

function boundFile(block: FileBlock, limits: BlockLimits): FileBlock {
  if (block.encoding !== "utf8") {
    // Binary files cannot be cut meaningfully; they are small (graphs). Sinks refuse what they cannot send.
    return block;
  }
  const { text, cut } = keepEnd(block.contents, limits.maxFileBytes);
  if (cut === undefined) return block;
  return { ...block, contents: text, truncated: block.truncated ? `${block.truncated}; ${cut}` : cut };
}

/** Applies the limits to each block: big tables become files, files keep their end, long text is cut. */
export function boundBlocks(blocks: readonly Block[], limits: BlockLimits = DEFAULT_BLOCK_LIMITS): Block[] {
  return blocks.flatMap((block): Block[] => {
    switch (block.type) {
      case "table":
        return boundTable(block, limits);
      case "file":
        return [boundFile(block, limits)];
      case "markdown":
        if (block.text.length <= limits.maxMarkdownChars) return [block];
        return [markdown(`${block.text.slice(0, limits.maxMarkdownChars)}\n… (${block.text.length - limits.maxMarkdownChars} more characters cut)`)];
      default:
        return [block];
    }
  });
}
