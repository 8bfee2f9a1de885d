/**
 * Google Chat's text markup: *bold*, _italic_, ~strike~, `code`, ```code blocks``` and
 * <url|text> links, the same as the Slack-flavoured markdown findings hold. It has no tables
 * and no escape character.
 */
import type { MarkdownDialect } from "../common/render-markdown.js";

export const GOOGLE_CHAT_MARKDOWN: MarkdownDialect = {
  // Chat has no escape syntax: text is shown as it is.
  escape: (raw) => raw,
  bold: (text) => `*${text}*`,
  // A backtick cannot be escaped inside code; a quote reads the same.
  code: (raw) => `\`${raw.replace(/`/g, "'")}\``,
  // Three backticks inside would close the block early; a zero-width space keeps them apart.
  codeBlock: (raw) => `\`\`\`\n${raw.replace(/```/g, "`\u200b``")}\n\`\`\``,
  // "|" and ">" would end the URL early.
  link: (text, url) => `<${url.replace(/[|>]/g, encodeURIComponent)}|${text}>`,
  fromSlack: (text) => text,
  tables: false,
};
