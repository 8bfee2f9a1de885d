/**
 * The webhook sink's `format: text` body (Robusta's `WebhookSink.__write_text`, §7.5): the title,
 * `name: url` per link, `Source: <cluster>`, the description, then the readable text of the
 * blocks. Each line is sent as Robusta sends it, "\n<line>\n", so lines are separated by a blank
 * line. Pure.
 */
import type { Block, Finding, TableCell } from "@robusta-ts/sdk";
import { robustaTitle } from "../common/finding-words.js";
import { cutToFit } from "../common/render-markdown.js";
import { utf8Bytes } from "./byte-budget.js";

// Slack's <url|text> link; anything else in angle brackets (<@U123> mentions) is left alone.
const SLACK_LINK = /<([^<>|]+)\|([^<>|]+)>/g;

/** Slack-style `<url|text>` links as `text: url`. */
export const clearSlackLinks = (text: string): string => text.replace(SLACK_LINK, (_, url: string, label: string) => `${label}: ${url}`);

const cell = (value: TableCell): string => (value === null ? "" : String(value));
const shown = (value: unknown): string => (typeof value === "string" ? value : (JSON.stringify(value) ?? "null"));

/** A block as lines of plain text; blocks with nothing to read as text (files, buttons, dividers) give none. */
function blockLines(block: Block): string[] {
  switch (block.type) {
    case "header":
      return [block.text];
    case "markdown":
      return [clearSlackLinks(block.text)];
    case "list":
      return block.items.map(clearSlackLinks);
    case "json":
      return [JSON.stringify(block.value, null, 2) ?? ""];
    case "diff":
      return block.diffs.map((change) => `*${change.path}*: ${shown(change.old)} ==> ${shown(change.new)}`);
    case "table": {
      const rows = block.rows.map((row) => row.map(cell));
      const keyValue = block.headers.length === 0 && rows.every((row) => row.length === 2);
      return [
        ...(block.name ? [block.name] : []),
        ...(block.headers.length > 0 ? [block.headers.join(" | ")] : []),
        ...rows.map((row) => (keyValue ? `${row[0]}: ${row[1]}` : row.join(" | "))),
      ];
    }
    case "links":
      return block.links.map((link) => `${link.text}: ${link.url}`);
    case "divider":
    case "file":
    case "callback":
      return [];
  }
}

export { robustaTitle };

/** Every line of the text body, before the size limit, in Robusta's order. */
export function webhookTextLines(finding: Finding, clusterName: string): string[] {
  return [
    robustaTitle(finding),
    ...finding.links.map((link) => `${link.name}: ${link.url}`),
    `Source: ${clusterName}`,
    finding.description ?? "",
    ...finding.enrichments.flatMap((enrichment) => enrichment.blocks.flatMap(blockLines)),
  ].filter((line) => line !== "");
}

/**
 * The text body: lines are added in order while the body stays within `sizeLimit` bytes (UTF-8),
 * stopping at the first that would pass it, as Robusta does. Unlike Robusta, a first line (the
 * title) too long for the limit is cut to fit with "…" rather than leaving the body empty.
 */
export function renderWebhookText(finding: Finding, clusterName: string, sizeLimit: number): string {
  let message = "";
  let size = 0;
  for (const line of webhookTextLines(finding, clusterName)) {
    const piece = `\n${line}\n`;
    const pieceSize = utf8Bytes(piece);
    if (size + pieceSize > sizeLimit) {
      if (message === "") {
        const cut = cutToFit(line, (candidate) => utf8Bytes(candidate) + 2 <= sizeLimit);
        if (cut !== "") message = `\n${cut}\n`;
      }
      break;
    }
    message += piece;
    size += pieceSize;
  }
  return message;
}
