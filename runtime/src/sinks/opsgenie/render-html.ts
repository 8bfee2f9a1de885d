/**
 * Blocks as the HTML Opsgenie shows in an alert's description (Robusta's `Transformer.to_html`):
 * Slack markdown as HTML, headers in <strong>, tables as HTML tables, diffs as
 * "<b>path</b>: old ==> new". Pure.
 */
import type { Block, Enrichment, TableBlock, TableCell } from "@robusta-ts/sdk";
import { escapeHtml } from "../common/render-html.js";
import { SLACK_BOLD, SLACK_LINK } from "../common/slack-markdown.js";

export { escapeHtml };

/** A link. */
export const htmlLink = (text: string, url: string): string => `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`;

/** Plain stretches of Slack markdown: *bold*, `code`, line breaks. */
const inlineHtml = (raw: string): string =>
  escapeHtml(raw)
    .replace(SLACK_BOLD, "$1<b>$2</b>")
    .replace(/`([^`\n]+)`/g, "<code>$1</code>")
    .replace(/\n/g, "<br/>");

/** Slack-flavoured markdown (what findings hold) as HTML. */
export function slackToHtml(text: string): string {
  let html = "";
  let at = 0;
  for (const match of text.matchAll(SLACK_LINK)) {
    html += inlineHtml(text.slice(at, match.index)) + htmlLink(match[2] || match[1]!, match[1]!);
    at = match.index + match[0].length;
  }
  return html + inlineHtml(text.slice(at));
}

const cell = (value: TableCell): string => escapeHtml(value === null ? "" : String(value));
const shown = (value: unknown): string => (value === undefined ? "None" : typeof value === "string" ? value : (JSON.stringify(value) ?? "null"));

function tableHtml(block: TableBlock): string {
  const name = block.name ? `<p>${escapeHtml(block.name)}</p>` : "";
  const head = block.headers.length > 0 ? `<thead><tr>${block.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>` : "";
  const body = block.rows.map((row) => `<tr>${row.map((value) => `<td>${cell(value)}</td>`).join("")}</tr>`).join("");
  return `${name}<table>${head}<tbody>${body}</tbody></table>`;
}

/** A block as HTML; blocks Opsgenie cannot show (files, buttons) give "". */
export function blockHtml(block: Block): string {
  switch (block.type) {
    case "markdown":
      return block.text ? `<p>${slackToHtml(block.text)}</p>` : "";
    case "header":
      return `<strong>${escapeHtml(block.text)}</strong>`;
    case "list":
      return `<ul>${block.items.map((item) => `<li>${slackToHtml(item)}</li>`).join("")}</ul>`;
    case "table":
      return tableHtml(block);
    case "json":
      return `<pre>${escapeHtml(JSON.stringify(block.value, null, 2) ?? "null")}</pre>`;
    case "diff":
      return block.diffs.map((change) => `<p><b>${escapeHtml(change.path)}</b>: ${escapeHtml(shown(change.old))} ==&gt; ${escapeHtml(shown(change.new))}</p>`).join("\n");
    case "links":
      return block.links.map((link) => htmlLink(link.text, link.url)).join(" ");
    case "divider":
      return "-------------------";
    case "file":
    case "callback":
      return "";
  }
}

/** An enrichment as HTML: its title in <strong>, then its blocks, a line apart. */
export function enrichmentHtml(enrichment: Enrichment): string {
  return [...(enrichment.title ? [`<strong>${escapeHtml(enrichment.title)}</strong>`] : []), ...enrichment.blocks.map(blockHtml)].filter((html) => html !== "").join("\n");
}
