/**
 * Reading the Slack-flavoured markdown playbooks write (*bold*, <url|text>) so other sinks can
 * show it in their own markup. Pure.
 */

// <https://x|text>, <mailto:a@b|text>, <https://x>: Slack's link syntax.
export const SLACK_LINK = /<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>/g;
// Slack's *bold*: one asterisk each side, not part of **bold** or a "* item" bullet.
export const SLACK_BOLD = /(^|[^*\w])\*(?![\s*])([^*\n]*?[^\s*])\*(?![*\w])/gm;

/** Slack's <url|text> links as markdown links; bare <url> as the URL itself. */
export function convertLinks(text: string): string {
  return text.replace(SLACK_LINK, (_, url: string, label: string | undefined) => (label ? `[${label}](${url})` : url));
}

/** Slack markdown as standard markdown (**bold**, [text](url)); everything else is already the same. */
export function slackToMarkdown(text: string): string {
  return convertLinks(text).replace(SLACK_BOLD, "$1**$2**");
}
