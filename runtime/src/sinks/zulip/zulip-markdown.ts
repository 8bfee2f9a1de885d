/**
 * Zulip's markdown as a dialect. Zulip is CommonMark-like (Python-Markdown underneath), but only
 * Python-Markdown's escapable characters take a backslash: escaping `<` or `~` as CommonMark does
 * would show the backslash. Zulip escapes HTML itself, so `<` needs nothing. Pure.
 */
import { COMMONMARK, cutToMeasure, type MarkdownDialect } from "../common/render-markdown.js";

/** Longest raw text one code block or markdown text may take, in characters: well under a message's 10000. */
export const ZULIP_BLOCK_LIMIT = 4000;

const cut = (raw: string): string => cutToMeasure(raw, ZULIP_BLOCK_LIMIT);

export const ZULIP_MARKDOWN: MarkdownDialect = {
  ...COMMONMARK,
  // `*` and `#` also keep @**mentions** and #**stream** links from forming.
  escape: (raw) => raw.replace(/[\\`*_[\]>#|]/g, "\\$&"),
  codeBlock: (raw) => COMMONMARK.codeBlock(cut(raw)),
  fromSlack: (text) => COMMONMARK.fromSlack(cut(text)),
};
