/**
 * Slack mrkdwn text: escaping what comes from the cluster, moving mentions, and cutting text to
 * Slack's limits without leaving a code fence open. Pure string functions.
 */

const FENCE = "```";

/** Escapes the three characters Slack parses as markup (`&`, `<`, `>`), for text that means itself. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// Slack's own tokens (links, user/channel mentions, special mentions, dates) and entities already escaped.
const SLACK_TOKEN = /<(?:https?:\/\/|mailto:|tel:|@[UW]|#C|!)[^<>\n]*>|&(?:amp|lt|gt);/g;

/**
 * Escapes `&`, `<`, `>` except where they form a Slack token (`<https://…|text>`, `<@U…>`, `<!here>`,
 * `<!date^…>`) or an entity: for text such as titles and descriptions, which may carry links and
 * mentions on purpose but also stray `<` from an alert's annotations.
 */
export function escapeKeepingTokens(text: string): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(SLACK_TOKEN)) {
    out += escapeMrkdwn(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeMrkdwn(text.slice(last));
}

// User, group and special mentions; `<!date^…>` and links are not mentions.
const MENTION = /<(?:@[UW][A-Z0-9]+|!(?:here|channel|everyone)|!subteam\^[A-Z0-9]+)(?:\|[^<>\n]*)?>/g;

/** Splits the mention tokens out of `text` (Robusta moves them to the end of the title). */
export function extractMentions(text: string): { text: string; mentions: string[] } {
  const mentions = [...text.matchAll(MENTION)].map((match) => match[0]);
  if (mentions.length === 0) return { text, mentions };
  return { text: text.replace(MENTION, "").replace(/[ \t]{2,}/g, " ").trim(), mentions };
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** The first `length` UTF-16 units of `text`, one less when that would split a surrogate pair. */
function safeSlice(text: string, length: number): string {
  return length > 0 && isHighSurrogate(text.charCodeAt(length - 1)) ? text.slice(0, length - 1) : text.slice(0, length);
}

/** Cuts `text` to at most `max` characters, ending with "…" when cut. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${safeSlice(text, max - 1)}…`;
}

/** One line of text, for plain_text fields and the notification text. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Inline code of cluster data: escaped, on one line, with backticks that would end it replaced. */
export function inlineCode(text: string): string {
  return `\`${escapeMrkdwn(oneLine(text).replace(/`/g, "ˋ"))}\``;
}

/** A code block of cluster data: escaped, with fences inside it broken so they cannot end it. */
export function codeBlock(text: string): string {
  const body = escapeMrkdwn(text.replace(/\n+$/, "")).replace(/```/g, "``\u200b`");
  return `${FENCE}\n${body}\n${FENCE}`;
}

const fencesIn = (line: string): number => line.split(FENCE).length - 1;

/** Breaks a line longer than `max` into pieces (only lines no message could show whole). */
function hardWrap(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    // A surrogate pair stays whole even when `max` is 1.
    const piece = safeSlice(rest, max) || rest.slice(0, 2);
    pieces.push(piece);
    rest = rest.slice(piece.length);
  }
  pieces.push(rest);
  return pieces;
}

/**
 * Splits mrkdwn into pieces of at most `max` characters at line boundaries. A piece that ends inside
 * a code fence closes it and the next piece opens it again, so every piece renders on its own.
 * Whitespace-only pieces are dropped (Slack refuses empty text).
 */
export function splitMrkdwn(text: string, max: number): string[] {
  // Room for reopening and closing a fence around any single line.
  const lineMax = Math.max(2, max - 2 * (FENCE.length + 1));
  const lines = text.split("\n").flatMap((line) => hardWrap(line, lineMax));
  const pieces: string[] = [];
  let current = "";
  let started = false;
  let open = false;
  for (const line of lines) {
    const openAfter: boolean = fencesIn(line) % 2 === 1 ? !open : open;
    const length = (started ? current.length + 1 : 0) + line.length + (openAfter ? FENCE.length + 1 : 0);
    if (started && length > max) {
      pieces.push(open ? `${current}\n${FENCE}` : current);
      current = open ? FENCE : "";
      started = open;
    }
    current = started ? `${current}\n${line}` : line;
    started = true;
    open = openAfter;
  }
  if (started) pieces.push(current);
  return pieces.filter((piece) => piece.trim() !== "" && piece.trim() !== FENCE);
}

/** Cuts mrkdwn to at most `max` characters at a line boundary, closing an open fence; "…" marks the cut. */
export function cutMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  const first = splitMrkdwn(text, max - 2)[0] ?? "";
  return `${first}\n…`;
}

/** A date Slack shows in the reader's time zone, falling back to UTC text; unparseable input is shown escaped. */
export function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(iso);
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}
