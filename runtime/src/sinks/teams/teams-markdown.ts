/**
 * Slack-flavoured markdown (what playbooks write: *bold*, <url|text>) as the markdown Adaptive
 * Card TextBlocks render in Teams (**bold**, [text](url)). TextBlocks need a blank line for a line
 * break, so single newlines are doubled.
 */
import { slackToMarkdown } from "../common/slack-markdown.js";

export { convertLinks } from "../common/slack-markdown.js";

/** Slack markdown as Teams TextBlock markdown. */
export function teamsMarkdown(text: string): string {
  return slackToMarkdown(text)
    .replace(/\r\n?/g, "\n")
    .replace(/\n+/g, "\n\n");
}
