/**
 * Telegram's HTML parse mode (core.telegram.org/bots/api#html-style): <b>, <i>, <code>, <pre>,
 * <a href>, <blockquote>, with only &, < and > escaped in text. Everything here emits tags in
 * pairs and escapes all text, so what it builds always parses. Pure.
 */
import { cutToMeasure, type MarkdownDialect } from "../common/render-markdown.js";

/** Longest raw text one block (a code block, a markdown text) may show, in UTF-16 units: well under a message's 4096. */
export const TELEGRAM_BLOCK_LIMIT = 3500;

/** Text escaped for Telegram HTML. */
export const escapeHtml = (raw: string): string => raw.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const escapeAttribute = (raw: string): string => escapeHtml(raw).replace(/"/g, "&quot;");

/** The length Telegram limits: the text after entity parsing (tags gone, each entity one character), in UTF-16 units. */
export const telegramTextLength = (html: string): number =>
  html.replace(/<[^>]*>/g, "").replace(/&(?:lt|gt|amp|quot|#\d+|#x[\da-f]+);/gi, "&").length;

/** UTF-16 units: what Telegram counts in plain text (captions sent without a parse mode). */
export const utf16Length = (text: string): number => text.length;

const cutRaw = (raw: string): string => cutToMeasure(raw, TELEGRAM_BLOCK_LIMIT, utf16Length);

/** A link; Telegram only takes web links in <a>, so anything else is shown as text. */
function link(text: string, url: string): string {
  return /^https?:\/\//i.test(url) ? `<a href="${escapeAttribute(url)}">${text}</a>` : `${text} (${escapeHtml(url)})`;
}

// What Slack-flavoured markdown a playbook may write, in the order tried at each position.
const MARKUP = new RegExp(
  [
    /```\n?([\s\S]*?)\n?```/.source, // 1: code block
    /`([^`\n]+)`/.source, // 2: inline code
    /<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>/.source, // 3, 4: Slack link
    /\[([^\]\n]+)\]\(((?:https?|mailto):[^)\s]+)\)/.source, // 5, 6: markdown link
    /\*\*(?!\s)([^*\n]+?)\*\*/.source, // 7: **bold**
    /(?<![*\w])\*(?![\s*])([^*\n]*?[^\s*])\*(?![*\w])/.source, // 8: Slack *bold*
    /(?<![_\w])_(?![\s_])([^_\n]*?[^\s_])_(?![_\w])/.source, // 9: _italic_
  ].join("|"),
  "g",
);

/** Slack-flavoured markdown (*bold*, _italic_, `code`, <url|text>, [text](url)) as Telegram HTML; the rest is escaped. */
export function slackToTelegramHtml(text: string): string {
  const source = cutRaw(text);
  let html = "";
  let last = 0;
  for (const match of source.matchAll(MARKUP)) {
    html += escapeHtml(source.slice(last, match.index));
    last = match.index + match[0].length;
    const [, block, code, slackUrl, slackLabel, mdLabel, mdUrl, bold, slackBold, italic] = match;
    if (block !== undefined) html += `<pre>${escapeHtml(block)}</pre>`;
    else if (code !== undefined) html += `<code>${escapeHtml(code)}</code>`;
    else if (slackUrl !== undefined) html += link(escapeHtml(slackLabel || slackUrl), slackUrl);
    else if (mdUrl !== undefined) html += link(escapeHtml(mdLabel!), mdUrl);
    else html += bold !== undefined || slackBold !== undefined ? `<b>${escapeHtml((bold ?? slackBold)!)}</b>` : `<i>${escapeHtml(italic!)}</i>`;
  }
  return html + escapeHtml(source.slice(last));
}

/** Telegram's HTML as a markdown dialect; long code blocks are cut to TELEGRAM_BLOCK_LIMIT with "…". */
export const TELEGRAM_HTML: MarkdownDialect = {
  escape: escapeHtml,
  bold: (text) => `<b>${text}</b>`,
  code: (raw) => `<code>${escapeHtml(raw)}</code>`,
  codeBlock: (raw) => `<pre>${escapeHtml(cutRaw(raw))}</pre>`,
  link,
  fromSlack: slackToTelegramHtml,
  tables: false,
};
