/**
 * A finding as markdown text, in Robusta's order (status and title, source, description, links,
 * then each enrichment), for the chat sinks that take markdown: Discord, Mattermost, Zulip,
 * Datadog, Google Chat, Telegram. Each service's markup differs a little, so the rendering takes
 * a dialect; each service's size limit differs, so `fitMarkdown` keeps whole sections in order
 * while they fit and says what was left out. Pure.
 */
import type { Block, Enrichment, FileBlock, Finding, TableBlock, TableCell } from "@robusta-ts/sdk";
import { SEVERITY_MARK, severityName, statusMark, statusWords } from "./finding-words.js";
import { tailLines } from "./files.js";
import { slackToMarkdown } from "./slack-markdown.js";

/** How one service writes markup. Functions get text already in the dialect unless they say "raw". */
export interface MarkdownDialect {
  /** Raw text (from the cluster) escaped so it reads as itself. */
  escape(raw: string): string;
  bold(text: string): string;
  /** Inline code around raw text. */
  code(raw: string): string;
  /** A code block around raw text (file tails, JSON, wide tables). */
  codeBlock(raw: string): string;
  /** A link; `text` is already escaped. */
  link(text: string, url: string): string;
  /** Slack-flavoured markdown (titles, descriptions, markdown blocks) in this dialect. */
  fromSlack(text: string): string;
  /** Whether the service renders markdown tables; if not, tables are aligned text in a code block. */
  readonly tables: boolean;
}

/** Backslash-escapes what CommonMark would read as markup. */
const escapeCommonMark = (raw: string): string => raw.replace(/[\\`*_~[\]|<>#]/g, "\\$&");

/** A fence longer than any run of backticks in the text, as CommonMark allows. */
function fence(raw: string): string {
  const longest = Math.max(2, ...Array.from(raw.matchAll(/`+/g), (match) => match[0].length));
  return "`".repeat(longest + 1);
}

/** Standard markdown (CommonMark with GitHub tables): Discord, Mattermost, Zulip, Datadog. */
export const COMMONMARK: MarkdownDialect = {
  escape: escapeCommonMark,
  bold: (text) => `**${text}**`,
  code: (raw) => (raw.includes("`") ? `\`\` ${raw} \`\`` : `\`${raw}\``),
  codeBlock: (raw) => `${fence(raw)}\n${raw}\n${fence(raw)}`,
  link: (text, url) => `[${text}](${url})`,
  fromSlack: slackToMarkdown,
  tables: true,
};

/** How files show in the text. */
export type FileMode =
  /** A line naming the file (the sink attaches it). */
  | { readonly mode: "name" }
  /** The file's last `bytes` in a code block (services that cannot take files). */
  | { readonly mode: "tail"; readonly bytes: number };

export interface MarkdownOptions {
  readonly clusterName: string;
  readonly dialect: MarkdownDialect;
  /** Default: a line naming each file. */
  readonly files?: FileMode;
  /** Rows shown of a table; the rest are counted. Default 20. */
  readonly maxTableRows?: number;
}

/** One paragraph of the rendering; `fitMarkdown` keeps or drops whole sections. */
export interface MarkdownSection {
  readonly kind: "status" | "title" | "source" | "description" | "links" | "enrichment";
  readonly text: string;
}

const DEFAULT_TABLE_ROWS = 20;

const cellText = (cell: TableCell): string => (cell === null ? "" : String(cell)).replace(/\s+/g, " ");
const shown = (value: unknown): string => (value === undefined ? "(none)" : typeof value === "string" ? value : (JSON.stringify(value) ?? "null"));

function tableText(block: TableBlock, options: MarkdownOptions): string {
  const { dialect } = options;
  const limit = options.maxTableRows ?? DEFAULT_TABLE_ROWS;
  const rows = block.rows.slice(0, limit).map((row) => row.map(cellText));
  const more = block.rows.length - rows.length;
  const name = block.name ? `${dialect.bold(dialect.escape(block.name))}\n` : "";
  const note = more > 0 ? `\n${more} more row${more === 1 ? "" : "s"}` : "";
  // Two columns and no headers: Robusta's key/value lines.
  if (block.headers.length === 0 && rows.every((row) => row.length === 2)) {
    return name + rows.map(([key, value]) => `• ${dialect.bold(dialect.escape(key ?? ""))}: ${dialect.escape(value ?? "")}`).join("\n") + note;
  }
  const width = Math.max(block.headers.length, ...rows.map((row) => row.length));
  const headers = block.headers.length > 0 ? [...block.headers] : Array.from({ length: width }, () => "");
  if (dialect.tables) {
    const line = (cells: readonly string[]) => `| ${Array.from({ length: width }, (_, i) => dialect.escape(cells[i] ?? "")).join(" | ")} |`;
    // A blank line first: a table cannot interrupt a paragraph everywhere.
    return (name ? `${name}\n` : "") + [line(headers), `|${" --- |".repeat(width)}`, ...rows.map(line)].join("\n") + note;
  }
  const all = [headers, ...rows];
  const widths = Array.from({ length: width }, (_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) => widths.map((w, i) => (cells[i] ?? "").padEnd(w)).join("  ").trimEnd();
  const lines = block.headers.length > 0 ? [line(headers), ...rows.map(line)] : rows.map(line);
  return name + dialect.codeBlock(lines.join("\n")) + note;
}

function fileText(block: FileBlock, options: MarkdownOptions): string {
  const { dialect } = options;
  const files = options.files ?? { mode: "name" };
  const label = `📎 ${dialect.bold(dialect.escape(block.filename))}${block.truncated ? ` (${dialect.escape(block.truncated)})` : ""}`;
  if (files.mode === "name" || block.encoding !== "utf8" || block.contents === "") return label;
  const tail = tailLines(block.contents, files.bytes);
  return `${label}${tail.cut ? " (last lines)" : ""}\n${dialect.codeBlock(tail.text.replace(/\n+$/, ""))}`;
}

/** A block as text in the dialect; blocks with nothing to show here (buttons, dividers) give "". */
export function blockMarkdown(block: Block, options: MarkdownOptions): string {
  const { dialect } = options;
  switch (block.type) {
    case "markdown":
      return dialect.fromSlack(block.text);
    case "header":
      return dialect.bold(dialect.escape(block.text));
    case "list":
      return block.items.map((item) => `• ${dialect.fromSlack(item)}`).join("\n");
    case "table":
      return tableText(block, options);
    case "file":
      return fileText(block, options);
    case "diff":
      return [
        dialect.bold(dialect.escape(`${block.kind} ${block.namespace ? `${block.namespace}/` : ""}${block.name}`)),
        ...block.diffs.map((change) => `• ${dialect.code(change.path)}: ${dialect.escape(shown(change.old))} → ${dialect.escape(shown(change.new))}`),
      ].join("\n");
    case "links":
      return block.links.map((link) => dialect.link(dialect.escape(link.text), link.url)).join(" · ");
    case "json":
      return dialect.codeBlock(JSON.stringify(block.value, null, 2) ?? "null");
    case "divider":
    case "callback":
      return "";
  }
}

/** An enrichment as one section: its title, then its blocks, a blank line apart. */
export function enrichmentMarkdown(enrichment: Enrichment, options: MarkdownOptions): string {
  const blocks = enrichment.blocks
    .map((block) => blockMarkdown(block, options))
    .filter((text) => text !== "")
    .join("\n\n");
  return enrichment.title ? `${options.dialect.bold(options.dialect.escape(enrichment.title))}\n${blocks}` : blocks;
}

/** The status line: "🔥 **Prometheus Alert Firing** 🔴 **High**". */
export function statusMarkdown(finding: Finding, dialect: MarkdownDialect): string {
  return `${statusMark(finding)} ${dialect.bold(statusWords(finding))} ${SEVERITY_MARK[finding.severity]} ${dialect.bold(severityName(finding.severity))}`;
}

/** The finding's sections, in Robusta's order; empty ones are left out. */
export function markdownSections(finding: Finding, options: MarkdownOptions): MarkdownSection[] {
  const { dialect } = options;
  const sections: MarkdownSection[] = [
    { kind: "status", text: statusMarkdown(finding, dialect) },
    { kind: "title", text: dialect.bold(dialect.fromSlack(finding.title)) },
    { kind: "source", text: `${dialect.bold("Source:")} ${dialect.code(options.clusterName)}` },
    { kind: "description", text: finding.description ? dialect.fromSlack(finding.description) : "" },
    { kind: "links", text: finding.links.map((link) => dialect.link(dialect.escape(link.name), link.url)).join(" · ") },
    ...finding.enrichments.map((enrichment) => ({ kind: "enrichment" as const, text: enrichmentMarkdown(enrichment, options) })),
  ];
  return sections.filter((section) => section.text !== "");
}

export interface FitOptions {
  /** The size of a text as the service counts it. Default: characters (code points). */
  readonly measure?: (text: string) => number;
  /** Joins sections. Default a blank line. */
  readonly separator?: string;
  /** The note added when sections were left out. Default "✂️ N more sections did not fit." */
  readonly note?: (omitted: number) => string;
}

export const codePoints = (text: string): number => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};

const defaultNote = (omitted: number): string => `✂️ ${omitted} more section${omitted === 1 ? "" : "s"} did not fit.`;

/**
 * Joins sections in order while the text stays within `limit`; a section that does not fit is left
 * out (later, smaller ones are still tried) and a note says how many were. A first section too long
 * even alone is cut at the end with "…".
 */
export function fitMarkdown(sections: readonly string[], limit: number, options: FitOptions = {}): string {
  const measure = options.measure ?? codePoints;
  const separator = options.separator ?? "\n\n";
  const note = options.note ?? defaultNote;
  const all = sections.join(separator);
  if (measure(all) <= limit) return all;

  const kept: string[] = [];
  let omitted = 0;
  const fits = (parts: readonly string[], dropped: number) => measure([...parts, ...(dropped > 0 ? [note(dropped)] : [])].join(separator)) <= limit;
  for (const section of sections) {
    // Every candidate keeps room for the note, since something is left out.
    if (fits([...kept, section], Math.max(omitted, 1))) kept.push(section);
    else if (kept.length === 0) kept.push(cutToMeasure(section, limit - measure(separator + note(sections.length)), measure));
    else omitted++;
  }
  // The note's count may have grown a digit since the last section was kept.
  while (omitted > 0 && kept.length > 1 && !fits(kept, omitted)) {
    kept.pop();
    omitted++;
  }
  return [...kept, ...(omitted > 0 ? [note(omitted)] : [])].join(separator);
}

/**
 * The longest start of `text` (whole code points, so no character is split) that, followed by
 * "…", `fits`; "" when not even one character does. `fits` must be monotonic: if a candidate
 * fits, every shorter one does.
 */
export function cutToFit(text: string, fits: (candidate: string) => boolean): string {
  const points = Array.from(text);
  let low = 0; // a count known to fit (0: nothing)
  let high = points.length; // counts above `high` are known not to fit
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(`${points.slice(0, mid).join("")}…`)) low = mid;
    else high = mid - 1;
  }
  return low === 0 ? "" : `${points.slice(0, low).join("")}…`;
}

/** `text` when it measures at most `limit`, else its longest start (whole code points) that, with "…", does. */
export function cutToMeasure(text: string, limit: number, measure: (text: string) => number = codePoints): string {
  return measure(text) <= limit ? text : cutToFit(text, (candidate) => measure(candidate) <= limit);
}

/** The whole finding as markdown within `limit` (as `measure` counts). */
export function renderMarkdown(finding: Finding, options: MarkdownOptions, limit: number, fit: FitOptions = {}): string {
  return fitMarkdown(
    markdownSections(finding, options).map((section) => section.text),
    limit,
    fit,
  );
}
