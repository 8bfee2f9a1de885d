/**
 * Blocks as Adaptive Card elements: everything but file contents, whose size the card's byte
 * budget decides (see render-card.ts). Pure.
 */
import type { Block, DiffBlock, Enrichment, FileBlock, TableBlock, TableCell as CellValue } from "@robusta-ts/sdk";
import type { ActionSet, CardElement, FactSet, Table, TextBlock } from "./adaptive-card.js";
import { teamsMarkdown } from "./teams-markdown.js";

/** Teams shows a handful of card buttons; the rest of a links block becomes markdown links. */
export const MAX_CARD_ACTIONS = 6;
/** Rows shown of a table; the rest are counted in a note. */
export const MAX_TABLE_ROWS = 20;
const MAX_CELL_CHARS = 200;
const MAX_JSON_CHARS = 3000;
const MAX_DIFF_VALUE_CHARS = 200;

/** A file whose shown lines the budget decides, kept in the card as its caption and its last lines. */
export interface FilePart {
  readonly kind: "file";
  readonly filename: string;
  /** The file's last lines, oldest first; the card shows a suffix of them. */
  readonly lines: readonly string[];
  readonly totalLines: number;
  /** Why the file was already cut before it reached the sink (FileBlock.truncated). */
  readonly truncated?: string;
  readonly separator: boolean;
}

export interface ElementPart {
  readonly kind: "element";
  readonly element: CardElement;
}

export type Part = ElementPart | FilePart;

export const text = (value: string, extra: Partial<Omit<TextBlock, "type" | "text" | "wrap">> = {}): TextBlock => ({
  type: "TextBlock",
  text: value,
  wrap: true,
  ...extra,
});

const cut = (value: string, max: number): string => (value.length > max ? `${value.slice(0, max - 1)}…` : value);
const cellText = (cell: CellValue): string => (cell === null ? "" : cut(String(cell), MAX_CELL_CHARS));

/** Links as buttons (Action.OpenUrl), the ones past MAX_CARD_ACTIONS as markdown links. */
export function linkElements(links: readonly { readonly text: string; readonly url: string }[]): CardElement[] {
  const valid = links.filter((link) => /^https?:\/\//i.test(link.url));
  if (valid.length === 0) return [];
  const buttons: ActionSet = {
    type: "ActionSet",
    actions: valid.slice(0, MAX_CARD_ACTIONS).map((link) => ({ type: "Action.OpenUrl", title: cut(link.text, 60), url: link.url })),
  };
  const rest = valid.slice(MAX_CARD_ACTIONS);
  return rest.length === 0 ? [buttons] : [buttons, text(rest.map((link) => `- [${link.text}](${link.url})`).join("\r"))];
}

function tableElements(block: TableBlock): CardElement[] {
  const out: CardElement[] = [];
  if (block.name) out.push(text(`**${block.name}**`));
  const rows = block.rows.slice(0, MAX_TABLE_ROWS);
  const columns = Math.max(block.headers.length, ...rows.map((row) => row.length));
  if (block.headers.length === 0 && columns === 2) {
    const facts: FactSet = { type: "FactSet", facts: rows.map((row) => ({ title: cellText(row[0] ?? null), value: cellText(row[1] ?? null) })) };
    out.push(facts);
  } else if (columns > 0) {
    const cells = (values: readonly CellValue[], bold: boolean) =>
      Array.from({ length: columns }, (_, i) => ({ type: "TableCell" as const, items: [text(cellText(values[i] ?? null), bold ? { weight: "Bolder" } : {})] }));
    const table: Table = {
      type: "Table",
      columns: Array.from({ length: columns }, () => ({ width: 1 })),
      firstRowAsHeader: block.headers.length > 0,
      rows: [...(block.headers.length > 0 ? [block.headers] : []), ...rows].map((row, i) => ({
        type: "TableRow" as const,
        cells: cells(row, i === 0 && block.headers.length > 0),
      })),
    };
    out.push(table);
  }
  const hidden = block.rows.length - rows.length;
  if (hidden > 0) out.push(text(`… and ${hidden} more row${hidden === 1 ? "" : "s"}`, { isSubtle: true, size: "Small" }));
  return out;
}

const showValue = (value: unknown): string => (value === undefined ? "(none)" : cut(typeof value === "string" ? value : JSON.stringify(value), MAX_DIFF_VALUE_CHARS));

function diffElements(block: DiffBlock): CardElement[] {
  const target = [block.namespace, block.name].filter(Boolean).join("/");
  const header = text(`**${block.kind} ${target}**: ${block.diffs.length} change${block.diffs.length === 1 ? "" : "s"}`);
  if (block.diffs.length === 0) return [header];
  return [header, text(block.diffs.map((d) => `- **${d.path}**: ${showValue(d.old)} → ${showValue(d.new)}`).join("\r"))];
}

function jsonElement(value: unknown): TextBlock {
  const pretty = JSON.stringify(value, null, 2) ?? "null";
  const shown = pretty.length > MAX_JSON_CHARS ? `${pretty.slice(0, MAX_JSON_CHARS)}\n… (${pretty.length - MAX_JSON_CHARS} more characters)` : pretty;
  return text(shown.split("\n").join("\n\n"), { fontType: "Monospace" });
}

/** A line of a file as the card shows it: tabs (which markdown drops) as spaces, very long lines cut. */
const MAX_LINE_CHARS = 500;
function fileLine(line: string): string {
  const flat = line.replace(/\t/g, "    ").trimEnd();
  return flat.length > MAX_LINE_CHARS ? `${flat.slice(0, MAX_LINE_CHARS - 1)}…` : flat;
}

/**
 * A text file's last lines, at most `maxChars` of them from the end: no more could fit a card of
 * that many bytes, so a 5 MB log is never split whole.
 */
export function filePart(block: FileBlock, maxChars: number, separator: boolean): FilePart {
  const contents = block.contents.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
  const totalLines = contents === "" ? 0 : contents.split("\n").length;
  let tail = contents.length > maxChars ? contents.slice(-maxChars) : contents;
  // A tail that starts mid-line drops that partial line.
  if (tail.length < contents.length) tail = tail.slice(tail.indexOf("\n") + 1);
  const lines = tail === "" ? [] : tail.split("\n").map(fileLine);
  return { kind: "file", filename: block.filename, lines, totalLines, ...(block.truncated !== undefined && { truncated: block.truncated }), separator };
}

export interface BlockContext {
  /** Uploaded files: filename → URL (app mode). Files listed here are linked, not shown. */
  readonly fileLinks?: ReadonlyMap<string, string>;
  /** Whether text files not linked show their last lines. */
  readonly showFiles: boolean;
  /** Upper bound on a file's characters worth keeping (the card's byte budget). */
  readonly maxFileChars: number;
}

function fileParts(block: FileBlock, context: BlockContext): Part[] {
  const link = context.fileLinks?.get(block.filename);
  if (link !== undefined) return [{ kind: "element", element: text(`📎 [${block.filename}](${link})`) }];
  if (block.encoding !== "utf8") {
    const bytes = Buffer.from(block.contents, "base64").length;
    return [{ kind: "element", element: text(`📎 **${block.filename}** (${formatBytes(bytes)}): files can't be attached to this card`, { isSubtle: true }) }];
  }
  if (!context.showFiles) return [{ kind: "element", element: text(`📄 **${block.filename}** (not shown: send_files is off)`, { isSubtle: true }) }];
  return [filePart(block, context.maxFileChars, false)];
}

const formatBytes = (bytes: number): string => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`);

export function blockParts(block: Block, context: BlockContext): Part[] {
  const element = (e: CardElement): Part => ({ kind: "element", element: e });
  switch (block.type) {
    case "markdown": {
      const converted = teamsMarkdown(block.text).trim();
      return converted ? [element(text(converted))] : [];
    }
    case "header":
      return [element(text(`**${block.text}**`, { size: "Medium" }))];
    case "divider":
      return [element(text(" ", { separator: true, size: "Small" }))];
    case "list":
      return block.items.length === 0 ? [] : [element(text(block.items.map((item) => `- ${teamsMarkdown(item).replace(/\n+/g, " ")}`).join("\r")))];
    case "table":
      return tableElements(block).map(element);
    case "file":
      return fileParts(block, context);
    case "diff":
      return diffElements(block).map(element);
    case "links":
      return linkElements(block.links).map(element);
    case "callback":
      return [element(text(`Buttons aren't supported in Microsoft Teams (${block.choices.map((choice) => choice.text).join(", ")}).`, { isSubtle: true, size: "Small" }))];
    case "json":
      return [element(jsonElement(block.value))];
  }
}

/** One enrichment: its title, then its blocks. */
export function enrichmentParts(enrichment: Enrichment, context: BlockContext): Part[] {
  const heading = enrichment.title ? `**${enrichment.title}**` : undefined;
  const blocks = enrichment.blocks.flatMap((block) => blockParts(block, context));
  // A table named like its enrichment (Robusta's alert labels) would say the title twice.
  const first = blocks[0];
  const repeated = first?.kind === "element" && first.element.type === "TextBlock" && first.element.text === heading;
  const parts: Part[] = [...(heading ? [{ kind: "element" as const, element: text(heading) }] : []), ...(repeated ? blocks.slice(1) : blocks)];
  return separated(parts);
}

/** The parts with a line above the first, setting the enrichment apart from the one before. */
function separated(parts: readonly Part[]): Part[] {
  const [first, ...rest] = parts;
  if (first === undefined) return [];
  const marked: Part = first.kind === "file" ? { ...first, separator: true } : { kind: "element", element: { ...first.element, separator: true } as CardElement };
  return [marked, ...rest];
}
