/**
 * A finding as an HTML document, for sinks whose service shows HTML: mail today, ServiceNow's
 * description later. Robusta's order (status and severity, title, source, description, links,
 * then each enrichment: tables as HTML tables, diffs, JSON and code as <pre>, files named as
 * attached). Styles are inline, as e-mail clients drop <style> blocks; everything that comes
 * from the cluster is escaped, and only http(s) and mailto links become links. Pure.
 */
import type { Block, Enrichment, FileBlock, Finding, TableBlock, TableCell } from "@robusta-ts/sdk";
import { SEVERITY_MARK, STATUS_COLORS, robustaTitle, severityName, statusMark, statusWords } from "./finding-words.js";
import { SLACK_BOLD, SLACK_LINK } from "./slack-markdown.js";

export interface HtmlOptions {
  readonly clusterName: string;
  /** Robusta's `with_header`: the status line, the title, the source and the links. Default true. */
  readonly header?: boolean;
  /** Rows shown of a table; the rest are counted. Default: all. */
  readonly maxTableRows?: number;
  /** Plain-text paragraphs added last, e.g. what was left out to fit a size limit. */
  readonly notes?: readonly string[];
}

/** One part of the document; a sink fitting a size limit keeps or drops whole sections. */
export interface HtmlSection {
  readonly kind: "status" | "title" | "source" | "description" | "links" | "enrichment" | "note";
  readonly html: string;
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif";
const MONO = "SFMono-Regular,Menlo,Consolas,'Courier New',monospace";
const STYLE = {
  body: `margin:0;padding:16px;background:#ffffff;color:#1d1c1d;font-family:${FONT};font-size:14px;line-height:1.45`,
  section: "margin:0 0 12px 0",
  title: "margin:0 0 12px 0;font-size:18px;font-weight:bold",
  enrichment: "margin:16px 0 6px 0;padding-bottom:2px;border-bottom:1px solid #e1e1e1;font-size:16px;font-weight:bold",
  heading: "margin:8px 0 6px 0;font-size:15px;font-weight:bold",
  code: `font-family:${MONO};font-size:12px;background:#f6f6f6;border:1px solid #e1e1e1;border-radius:3px;padding:1px 4px;color:#c01e5a`,
  pre: `font-family:${MONO};font-size:12px;background:#f6f6f6;border:1px solid #e1e1e1;border-radius:4px;padding:8px;margin:6px 0;white-space:pre-wrap;word-break:break-word`,
  table: "border-collapse:collapse;margin:6px 0;font-size:13px",
  th: "border:1px solid #d0d0d0;background:#f3f3f3;padding:4px 8px;text-align:left;vertical-align:top",
  td: "border:1px solid #d0d0d0;padding:4px 8px;text-align:left;vertical-align:top",
  button: "display:inline-block;margin:0 6px 6px 0;padding:4px 10px;border:1px solid #c8c8c8;border-radius:4px;color:#1d1c1d;text-decoration:none;font-weight:bold",
  link: "color:#1264a3",
  old: "color:#b42318;text-decoration:line-through",
  new: "color:#067647",
  muted: "color:#616061",
  hr: "border:0;border-top:1px solid #e1e1e1;margin:12px 0",
} as const;

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text escaped for HTML content and attribute values. */
export const escapeHtml = (raw: string): string => raw.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

/** Whether a URL may be a link: http(s) and mailto only (no javascript: or data:). */
const linkable = (url: string): boolean => /^(https?:\/\/|mailto:)/i.test(url.trim());

/** A link, or the escaped text alone when the URL is not one we link to. `html` is already HTML. */
function anchor(html: string, url: string, style: string = STYLE.link): string {
  return linkable(url) ? `<a href="${escapeHtml(url.trim())}" style="${style}">${html}</a>` : html;
}

/** Inline Slack markup in escaped text: *bold* and **bold**. */
const emphasis = (escaped: string): string => escaped.replace(/\*\*([^*\n]+)\*\*/g, "<b>$1</b>").replace(SLACK_BOLD, "$1<b>$2</b>");

/** Text with Slack links and bold, no code. */
function inlineHtml(raw: string): string {
  let html = "";
  let last = 0;
  for (const match of raw.matchAll(SLACK_LINK)) {
    const [whole, url, label] = match;
    html += emphasis(escapeHtml(raw.slice(last, match.index)));
    html += anchor(label ? emphasis(escapeHtml(label)) : escapeHtml(url!), url!);
    last = match.index + whole.length;
  }
  return (html + emphasis(escapeHtml(raw.slice(last)))).replace(/\r?\n/g, "<br>");
}

/**
 * Slack-flavoured markdown (what findings hold: *bold*, `code`, ```blocks```, <url|text>) as
 * HTML, everything else escaped; line breaks are kept.
 */
export function slackToHtml(text: string): string {
  return text
    .split("```")
    .map((part, i) => {
      // Odd parts are inside a ``` fence.
      if (i % 2 === 1) return `<pre style="${STYLE.pre}">${escapeHtml(part.replace(/^\n|\n$/g, ""))}</pre>`;
      return part
        .split("`")
        .map((piece, j) => (j % 2 === 1 ? `<code style="${STYLE.code}">${escapeHtml(piece)}</code>` : inlineHtml(piece)))
        .join("");
    })
    .join("");
}

const cellText = (cell: TableCell): string => (cell === null ? "" : String(cell));
const shown = (value: unknown): string => (value === undefined ? "(none)" : typeof value === "string" ? value : (JSON.stringify(value) ?? "null"));
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;

function tableHtml(block: TableBlock, options: HtmlOptions): string {
  const limit = options.maxTableRows ?? Number.POSITIVE_INFINITY;
  const rows = block.rows.slice(0, limit);
  const more = block.rows.length - rows.length;
  const name = block.name ? `<div style="${STYLE.heading}">${escapeHtml(block.name)}</div>` : "";
  const note = more > 0 ? `<div style="${STYLE.muted}">${plural(more, "more row")}</div>` : "";
  // Two columns and no headers: Robusta's key/value table, keys as row headers.
  const keyValue = block.headers.length === 0 && rows.every((row) => row.length === 2);
  const head = block.headers.length > 0 ? `<tr>${block.headers.map((header) => `<th style="${STYLE.th}">${escapeHtml(header)}</th>`).join("")}</tr>` : "";
  const body = rows
    .map((row) => {
      const cells = row.map((cell, i) => {
        const tag = keyValue && i === 0 ? "th" : "td";
        return `<${tag} style="${tag === "th" ? STYLE.th : STYLE.td}">${escapeHtml(cellText(cell))}</${tag}>`;
      });
      return `<tr>${cells.join("")}</tr>`;
    })
    .join("");
  return `${name}<table style="${STYLE.table}">${head}${body}</table>${note}`;
}

function fileHtml(block: FileBlock): string {
  const truncated = block.truncated ? ` <span style="${STYLE.muted}">(${escapeHtml(block.truncated)})</span>` : "";
  return `<p style="${STYLE.section}">📎 See attachment <b>${escapeHtml(block.filename)}</b>${truncated}</p>`;
}

function diffHtml(block: Extract<Block, { type: "diff" }>): string {
  const target = `${block.kind} ${block.namespace ? `${block.namespace}/` : ""}${block.name}`;
  const changes = block.diffs.map(
    (change) =>
      `<li><code style="${STYLE.code}">${escapeHtml(change.path)}</code>: ` +
      `<span style="${STYLE.old}">${escapeHtml(shown(change.old))}</span> → <span style="${STYLE.new}">${escapeHtml(shown(change.new))}</span></li>`,
  );
  return `<div style="${STYLE.heading}">${escapeHtml(target)}</div><ul style="margin:0;padding-left:20px">${changes.join("")}</ul>`;
}

const buttons = (links: readonly { readonly text: string; readonly url: string }[]): string =>
  `<div>${links.map((link) => anchor(escapeHtml(link.text), link.url, STYLE.button)).join("")}</div>`;

/** A block as HTML; blocks with nothing to show here (buttons that run actions) give "". */
export function blockHtml(block: Block, options: HtmlOptions): string {
  switch (block.type) {
    case "markdown":
      return block.text === "" ? "" : `<div style="${STYLE.section}">${slackToHtml(block.text)}</div>`;
    case "header":
      return `<div style="${STYLE.heading}">${escapeHtml(block.text)}</div>`;
    case "list":
      return `<ul style="margin:0 0 12px 0;padding-left:20px">${block.items.map((item) => `<li>${slackToHtml(item)}</li>`).join("")}</ul>`;
    case "table":
      return tableHtml(block, options);
    case "file":
      return fileHtml(block);
    case "diff":
      return diffHtml(block);
    case "links":
      return buttons(block.links);
    case "json":
      return `<pre style="${STYLE.pre}">${escapeHtml(JSON.stringify(block.value, null, 2) ?? "null")}</pre>`;
    case "divider":
      return `<hr style="${STYLE.hr}">`;
    case "callback":
      return "";
  }
}

/** An enrichment: its title, then its blocks. */
export function enrichmentHtml(enrichment: Enrichment, options: HtmlOptions): string {
  const blocks = enrichment.blocks.map((block) => blockHtml(block, options)).join("");
  if (blocks === "") return "";
  const title = enrichment.title ? `<div style="${STYLE.enrichment}">${escapeHtml(enrichment.title)}</div>` : "";
  return `<div style="${STYLE.section}">${title}${blocks}</div>`;
}

/** The status line: "🔥 Prometheus Alert Firing · 🔴 High", on the status colour. */
function statusHtml(finding: Finding): string {
  const color = STATUS_COLORS[finding.status];
  return (
    `<div style="${STYLE.section};padding:4px 8px;border-left:4px solid ${color}">` +
    `${statusMark(finding)} <b>${escapeHtml(statusWords(finding))}</b> · ${SEVERITY_MARK[finding.severity]} <b>${severityName(finding.severity)}</b></div>`
  );
}

/** The finding's sections, in Robusta's order; empty ones are left out. */
export function htmlSections(finding: Finding, options: HtmlOptions): HtmlSection[] {
  const header = options.header ?? true;
  const sections: HtmlSection[] = [
    ...(header
      ? [
          { kind: "status" as const, html: statusHtml(finding) },
          { kind: "title" as const, html: `<div style="${STYLE.title}">${slackToHtml(finding.title)}</div>` },
          { kind: "source" as const, html: `<div style="${STYLE.section}"><b>Source:</b> <code style="${STYLE.code}">${escapeHtml(options.clusterName)}</code></div>` },
        ]
      : []),
    { kind: "description", html: finding.description ? `<div style="${STYLE.section}">${slackToHtml(finding.description)}</div>` : "" },
    { kind: "links", html: header && finding.links.length > 0 ? buttons(finding.links.map((link) => ({ text: link.name, url: link.url }))) : "" },
    ...finding.enrichments.map((enrichment) => ({ kind: "enrichment" as const, html: enrichmentHtml(enrichment, options) })),
    ...(options.notes ?? []).map((note) => ({ kind: "note" as const, html: `<p style="${STYLE.section};${STYLE.muted}">${escapeHtml(note)}</p>` })),
  ];
  return sections.filter((section) => section.html !== "");
}

/** A complete HTML document around `body` (already HTML); `title` is plain text. */
export function htmlDocument(title: string, body: string): string {
  return (
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title></head>\n<body style="${STYLE.body}">\n${body}\n</body></html>\n`
  );
}

/** The whole finding as an HTML document; its <title> is the title as Robusta shows it ("[RESOLVED] ..."). */
export function renderHtml(finding: Finding, options: HtmlOptions): string {
  const body = htmlSections(finding, options)
    .map((section) => section.html)
    .join("\n");
  return htmlDocument(robustaTitle(finding), body);
}
