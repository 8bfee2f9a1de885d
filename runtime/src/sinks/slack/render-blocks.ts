/**
 * The SDK's blocks as Slack Block Kit blocks (Robusta's `SlackSender.__to_slack`), each within Slack's
 * limits, plus the files a message uploads. Pure.
 */
import { keepEnd, tableText, type Block, type CallbackBlock, type CallbackChoice, type Finding, type FileBlock, type TableBlock, type TableCell } from "@robusta-ts/sdk";
import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from "@slack/types";
import type { SlackFile } from "./message.js";
import { codeBlock, cutText, escapeKeepingTokens, escapeMrkdwn, inlineCode, oneLine, splitMrkdwn } from "./mrkdwn.js";
import { CALLBACK_ACTION_PREFIX, LINK_ACTION_PREFIX, callbackBlockId, callbackUnavailableId } from "./render-ids.js";
import { SLACK_LIMITS } from "./render-limits.js";

/** Robusta's SLACK_TABLE_COLUMNS_LIMIT: wider tables do not read well in Slack and become files. */
export const TABLE_COLUMNS_LIMIT = 3;
/** Widest a cell is shown in a table drawn in the message. */
const CELL_WIDTH = 80;
/** Longest a diff value is shown. */
const DIFF_VALUE_WIDTH = 300;

/** What rendering one finding's blocks shares. */
export interface BlockRenderContext {
  readonly finding: Finding;
  readonly callbackValue?: ((choice: CallbackChoice, finding: Finding) => string | undefined) | undefined;
  readonly maxLogFileBytes: number;
  /** Files to upload, in the order their blocks appear. */
  readonly files: SlackFile[];
  /** Counters that keep ids unique within the message. */
  readonly ids: { callbackBlocks: number; links: number };
}

/** A mrkdwn section; `text` must already be within the section limit. */
export const section = (text: string, blockId?: string): SectionBlock => ({
  type: "section",
  ...(blockId !== undefined && { block_id: blockId }),
  text: { type: "mrkdwn", text },
});

/** Mrkdwn as sections, split at line boundaries to stay within the section limit. */
export const sections = (text: string): SectionBlock[] => splitMrkdwn(text, SLACK_LIMITS.sectionText).map((piece) => section(piece));

/** A small grey line. */
export const contextLine = (text: string, blockId?: string): ContextBlock => ({
  type: "context",
  ...(blockId !== undefined && { block_id: blockId }),
  elements: [{ type: "mrkdwn", text: cutText(text, SLACK_LIMITS.sectionText) }],
});

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const buttonLabel = (text: string, fallback: string): { type: "plain_text"; text: string; emoji: true } => ({
  type: "plain_text",
  text: cutText(oneLine(text) || fallback, SLACK_LIMITS.buttonText),
  emoji: true,
});

const isButtonUrl = (url: string): boolean => url.length <= SLACK_LIMITS.url && /^https?:\/\//i.test(url) && URL.canParse(url);

/** URL buttons, 25 to an actions block. Links Slack would refuse (not http(s), too long) are left out. */
export function linkActions(links: readonly { readonly text: string; readonly url: string }[], context: BlockRenderContext): ActionsBlock[] {
  const buttons: Button[] = links
    .filter((link) => isButtonUrl(link.url))
    .map((link) => ({ type: "button", text: buttonLabel(link.text, "Link"), url: link.url, action_id: `${LINK_ACTION_PREFIX}:${context.ids.links++}` }));
  return chunk(buttons, SLACK_LIMITS.actionsElements).map((elements) => ({ type: "actions", elements }));
}

function callbackActions(block: CallbackBlock, context: BlockRenderContext): KnownBlock[] {
  if (block.choices.length === 0) return [];
  const n = context.ids.callbackBlocks++;
  const buttons: Button[] = [];
  block.choices.forEach((choice, i) => {
    const value = context.callbackValue?.(choice, context.finding);
    if (value === undefined || value.length > SLACK_LIMITS.buttonValue) return;
    buttons.push({
      type: "button",
      text: buttonLabel(choice.text, choice.action),
      value,
      action_id: `${CALLBACK_ACTION_PREFIX}:${i}`,
      ...(choice.style !== undefined && { style: choice.style }),
    });
  });
  if (buttons.length === 0) {
    const names = block.choices.map((choice) => `*${escapeMrkdwn(oneLine(choice.text))}*`).join(", ");
    return [contextLine(`🔘 ${names}: these buttons need Slack interactivity to be set up for this sink (Socket Mode or a request URL).`, callbackUnavailableId(n))];
  }
  return chunk(buttons, SLACK_LIMITS.actionsElements).map((elements, part) => ({ type: "actions", block_id: callbackBlockId(n, part), elements }));
}

const cellText = (cell: TableCell): string => (cell === null ? "" : oneLine(String(cell)));

const columnsOf = (table: TableBlock): number => Math.max(table.headers.length, ...table.rows.map((row) => row.length), 0);

const nameLine = (table: TableBlock): string | undefined => (table.name ? `*${escapeKeepingTokens(oneLine(table.name))}*` : undefined);

/** Robusta's two-column rendering: "● key `value`". */
function keyValueTable(table: TableBlock): SectionBlock[] {
  const lines = table.rows.map((row) => {
    const value = cellText(row[1] ?? null);
    return `● ${escapeMrkdwn(cellText(row[0] ?? null))}${value ? ` ${inlineCode(value)}` : ""}`;
  });
  return sections([nameLine(table), ...lines].filter((line) => line !== undefined).join("\n"));
}

/** File names keep to one path segment. */
const safeFilename = (name: string): string => cutText(oneLine(name.replace(/[/\\\u0000-\u001f]/g, "-")), 100) || "table";

/** Adds a text file, keeping its end; returns the note on what was cut ("" for nothing), or undefined when nothing is left to send. */
function addTextFile(filename: string, contents: string, context: BlockRenderContext, truncated?: string): string | undefined {
  const { text, cut } = keepEnd(contents, context.maxLogFileBytes);
  if (text.length === 0) return undefined;
  context.files.push({ filename, content: text, title: filename });
  const notes = [truncated, cut].filter((note) => note !== undefined && note !== "");
  return notes.length > 0 ? notes.join("; ") : "";
}

/** A table too wide or too long for the message, as an aligned text file with a line saying so. */
function tableAsFile(table: TableBlock, context: BlockRenderContext): KnownBlock[] {
  const filename = `${safeFilename(table.name ?? "table")}.txt`;
  const rows = table.rows.map((row) => row.map((cell) => (cell === null ? "" : String(cell).replace(/\n/g, " "))));
  const note = addTextFile(filename, tableText({ headers: table.headers, rows }), context);
  if (note === undefined) return [];
  const size = `${table.rows.length} row${table.rows.length === 1 ? "" : "s"} × ${columnsOf(table)} columns`;
  const cut = note ? ` (${escapeMrkdwn(note)})` : "";
  return [section(cutText(`📎 ${nameLine(table) ?? "Table"}: ${size}, attached as ${inlineCode(filename)}${cut}.`, SLACK_LIMITS.sectionText))];
}

function renderTable(table: TableBlock, context: BlockRenderContext): KnownBlock[] {
  if (table.rows.length === 0) return [];
  const columns = columnsOf(table);
  if (table.headers.length === 0 && columns <= 2) return keyValueTable(table);
  if (columns > TABLE_COLUMNS_LIMIT) return tableAsFile(table, context);
  const rows = table.rows.map((row) => row.map((cell) => cutText(cellText(cell), CELL_WIDTH)));
  const text = [nameLine(table), codeBlock(tableText({ headers: table.headers.map((h) => cutText(oneLine(h), CELL_WIDTH)), rows }))]
    .filter((line) => line !== undefined)
    .join("\n");
  // A table split over several sections loses its header row: attach it instead.
  return text.length <= SLACK_LIMITS.sectionText ? [section(text)] : tableAsFile(table, context);
}

function renderFile(block: FileBlock, context: BlockRenderContext): KnownBlock[] {
  const filename = safeFilename(block.filename);
  if (block.encoding === "utf8") {
    if (block.contents.length === 0) return [];
    const note = addTextFile(filename, block.contents, context, block.truncated);
    if (note === undefined) return [];
    return [contextLine(`📎 ${inlineCode(filename)} attached${note ? `: ${escapeMrkdwn(note)}` : ""}`)];
  }
  const bytes = Buffer.from(block.contents, "base64");
  // Slack refuses empty uploads.
  if (bytes.length === 0) return [];
  context.files.push({ filename, content: new Uint8Array(bytes), title: filename });
  return [contextLine(`📎 ${inlineCode(filename)} attached`)];
}

function diffValue(value: unknown): string {
  const text = value === undefined ? "(none)" : typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return escapeMrkdwn(cutText(oneLine(text), DIFF_VALUE_WIDTH));
}

/** One Slack rendering of a block: sections, a header, buttons; files go to `context.files`. */
export function renderBlock(block: Block, context: BlockRenderContext): KnownBlock[] {
  switch (block.type) {
    case "markdown":
      // The SDK's markdown is Slack-flavoured already: kept as written.
      return sections(block.text);
    case "header": {
      const text = oneLine(block.text);
      return text ? [{ type: "header", text: { type: "plain_text", text: cutText(text, SLACK_LIMITS.headerText), emoji: true } }] : [];
    }
    case "divider":
      return [{ type: "divider" }];
    case "list":
      return sections(block.items.map((item) => `• ${escapeKeepingTokens(item)}`).join("\n"));
    case "table":
      return renderTable(block, context);
    case "file":
      return renderFile(block, context);
    case "diff":
      return sections(block.diffs.map((d) => `• *${escapeMrkdwn(oneLine(d.path))}*: ${diffValue(d.old)} :arrow_right: ${diffValue(d.new)}`).join("\n"));
    case "links":
      return linkActions(block.links, context);
    case "callback":
      return callbackActions(block, context);
    case "json":
      return sections(codeBlock(JSON.stringify(block.value, null, 2) ?? "null"));
  }
}
