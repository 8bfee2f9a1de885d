/**
 * A finding as a Telegram message in HTML parse mode, the way Robusta's telegram sink shows it:
 * the status, severity and title, the links, `Source:`, the description, then each block (tables
 * as presto text in an expandable quote). The text is kept within Telegram's 4096 characters as
 * Telegram counts them (after entity parsing, UTF-16 units): whole blocks that do not fit are left
 * out and a note says how many. Pure.
 */
import type { Block, Finding, TableBlock } from "@robusta-ts/sdk";
import { fileBytes, findingFiles, type AttachedFile } from "../common/files.js";
import { SEVERITY_MARK } from "../common/finding-words.js";
import { prestoTable } from "../common/presto-table.js";
import { blockMarkdown, cutToMeasure, fitMarkdown, type MarkdownOptions } from "../common/render-markdown.js";
import { escapeHtml, TELEGRAM_BLOCK_LIMIT, TELEGRAM_HTML, telegramTextLength, utf16Length } from "./telegram-html.js";

/** Telegram's documented limits for bots (core.telegram.org/bots/api). */
export const TELEGRAM_LIMITS = {
  /** sendMessage `text`, after entity parsing. */
  text: 4096,
  /** sendDocument `caption`, after entity parsing. */
  caption: 1024,
  /** Files bots may upload to Telegram's Bot API server. */
  documentBytes: 50 * 1024 * 1024,
} as const;

/** Table rows shown; the rest are counted. */
const TABLE_ROWS = 20;

export interface TelegramRenderOptions {
  readonly clusterName: string;
  /** Whether the finding's files are sent as documents (and named in the text). */
  readonly sendFiles: boolean;
}

export interface TelegramMessage {
  /** The sendMessage text, HTML parse mode. */
  readonly text: string;
  /** The files to send as documents after it, in order (none without send_files). */
  readonly files: readonly AttachedFile[];
}

/** Robusta's title line: "🔥 firing - 🔴 HIGH - <b>title</b>" (the status for alerts and resolved findings only). */
function titleLine(finding: Finding): string {
  const status =
    finding.status === "resolved" ? "✅ resolved - " : finding.source === "PROMETHEUS" ? "🔥 firing - " : "";
  const title = escapeHtml(cutToMeasure(finding.title, TELEGRAM_BLOCK_LIMIT, utf16Length));
  return `${status}${SEVERITY_MARK[finding.severity]} ${finding.severity} - <b>${title}</b>`;
}

function tableText(block: TableBlock, options: MarkdownOptions): string {
  // Two columns without headers read better as Robusta's key/value lines.
  if (block.headers.length === 0 && block.rows.every((row) => row.length === 2)) return blockMarkdown(block, options);
  const shown = block.rows.slice(0, TABLE_ROWS);
  const more = block.rows.length - shown.length;
  const table = `<blockquote expandable>${TELEGRAM_HTML.codeBlock(prestoTable(block.headers, shown))}</blockquote>`;
  const name = block.name ? `<b>${escapeHtml(block.name)}</b>\n` : "";
  return `${name}${table}${more > 0 ? `\n${more} more row${more === 1 ? "" : "s"}` : ""}`;
}

function blockText(block: Block, options: MarkdownOptions & TelegramRenderOptions): string {
  if (block.type === "table") return tableText(block, options);
  if (block.type !== "file") return blockMarkdown(block, options);
  // Robusta leaves files out of the text; here they are named when they follow as documents.
  if (!options.sendFiles || block.contents === "") return "";
  if (fileBytes(block).length > TELEGRAM_LIMITS.documentBytes) return `📎 <b>${escapeHtml(block.filename)}</b>: over Telegram's 50 MB limit for bots, not sent`;
  return blockMarkdown(block, options);
}

/** The message's sections in Robusta's order; an enrichment's title heads its first block. */
function sections(finding: Finding, options: TelegramRenderOptions): string[] {
  const markdown: MarkdownOptions & TelegramRenderOptions = { ...options, dialect: TELEGRAM_HTML };
  const blocks = finding.enrichments.flatMap((enrichment) =>
    enrichment.blocks
      .map((block) => blockText(block, markdown))
      .filter((text) => text !== "")
      .map((text, i) => (i === 0 && enrichment.title ? `<b>${escapeHtml(enrichment.title)}</b>\n${text}` : text)),
  );
  return [
    titleLine(finding),
    finding.links.map((link) => TELEGRAM_HTML.link(escapeHtml(link.name), link.url)).join(" "),
    `<b>Source:</b> <code>${escapeHtml(options.clusterName)}</code>`,
    finding.description ? TELEGRAM_HTML.fromSlack(finding.description) : "",
    ...blocks,
  ].filter((text) => text !== "");
}

/** The finding's message and the documents that follow it. */
export function renderTelegramMessage(finding: Finding, options: TelegramRenderOptions): TelegramMessage {
  const text = fitMarkdown(sections(finding, options), TELEGRAM_LIMITS.text, { measure: telegramTextLength });
  const files = options.sendFiles ? findingFiles(finding).filter((file) => file.bytes.length <= TELEGRAM_LIMITS.documentBytes) : [];
  return { text, files };
}

/** A document's caption (plain text): the finding's title, and what was cut from the file; within 1024 UTF-16 units. */
export function documentCaption(finding: Finding, file: AttachedFile): string {
  const status = finding.status === "resolved" ? "✅ " : "";
  const caption = `${status}${finding.title}${file.truncated ? `\n${file.truncated}` : ""}`;
  return cutToMeasure(caption, TELEGRAM_LIMITS.caption, utf16Length);
}
