/**
 * Blocks as the unformatted text PagerDuty shows in an alert's `state_message` detail (Robusta's
 * `__to_unformatted_text_for_alerts`): tables in tabulate's "presto" layout, markdown as written
 * but for Slack's links. Pure.
 */
import type { Block, FieldDiff, TableBlock } from "@robusta-ts/sdk";
import { prestoTable as presto } from "../common/presto-table.js";
import { SLACK_LINK } from "../common/slack-markdown.js";

const shown = (value: unknown): string => (value === undefined ? "None" : typeof value === "string" ? value : (JSON.stringify(value) ?? "null"));

/** One changed field: "spec.replicas: 2 ==> 3" (a value that is not there shows as None). */
export const diffLine = (change: FieldDiff): string => `${change.path}: ${shown(change.old)} ==> ${shown(change.new)}`;

/** Slack's <url|text> links as "text (url)": PagerDuty shows details as plain text. */
export const plainLinks = (text: string): string => text.replace(SLACK_LINK, (_, url: string, label: string | undefined) => (label ? `${label} (${url})` : url));

/** A table as tabulate's "presto" format prints it, with the two spaces of room tabulate keeps beside each header. */
export const prestoTable = (block: Pick<TableBlock, "headers" | "rows">): string => presto(block.headers, block.rows, 2);

/** A block's text; blocks with none (files, buttons, dividers, link rows) give "". */
export function blockText(block: Block): string {
  switch (block.type) {
    case "header":
      return block.text;
    case "markdown":
      return plainLinks(block.text);
    case "table":
      return [...(block.name ? [block.name] : []), prestoTable(block)].join("\n");
    case "list":
      return block.items.map(plainLinks).join("\n");
    case "json":
      return JSON.stringify(block.value, null, 2) ?? "null";
    case "diff":
      return block.diffs.map((change) => `* ${diffLine(change)}`).join("\n");
    case "links":
    case "file":
    case "divider":
    case "callback":
      return "";
  }
}
