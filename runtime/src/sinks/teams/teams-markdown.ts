/**
 * Slack-flavoured markdown (what playbooks write: *bold*, <url|text>) as the markdown Adaptive
 * Card TextBlocks render in Teams (**bold**, [text](url)). TextBlocks need a blank line for a line
 * break, so single newlines are doubled.
 */

// <https://x|text>, <mailto:a@b|text>, <https://x>: Slack's link syntax.
const SLACK_LINK = /<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>/g;
// Slack's *bold*: one asterisk each side, not part of **bold** or a "* item" bullet.
const SLACK_BOLD = /(^|[^*\w])\*(?![\s*])([^*\n]*?[^\s*])\*(?![*\w])/gm;

/** Slack's <url|text> links as markdown links; bare <url> as the URL itself. */
export function convertLinks(text: string): string {
  return text.replace(SLACK_LINK, (_, url: string, label: string | undefined) => (label ? `[${label}](${url})` : url));
}

/** Slack markdown as Teams TextBlock markdown. */
export function teamsMarkdown(text: string): string {
  return convertLinks(text)
    .replace(SLACK_BOLD, "$1**$2**")
    .replace(/\r\n?/g, "\n")
    .replace(/\n+/g, "\n\n");
}
