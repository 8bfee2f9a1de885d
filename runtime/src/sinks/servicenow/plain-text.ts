/**
 * Plain text as a markdown dialect: ServiceNow's incident description is a plain text field, so
 * markup is dropped and links are written out. Pure.
 */
import type { MarkdownDialect } from "../common/render-markdown.js";
import { SLACK_BOLD, SLACK_LINK } from "../common/slack-markdown.js";

/** "text (url)", or the URL alone when it is its own text. */
const plainLink = (text: string, url: string): string => (text === "" || text === url ? url : `${text} (${url})`);

/** Slack-flavoured markdown as plain text: links written out, *bold* marks dropped. */
export function slackToPlain(text: string): string {
  return text.replace(SLACK_LINK, (_, url: string, label: string | undefined) => plainLink(label ?? "", url)).replace(SLACK_BOLD, "$1$2");
}

/** Text without markup. Tables become aligned columns, code blocks their bare text. */
export const PLAIN_TEXT: MarkdownDialect = {
  escape: (raw) => raw,
  bold: (text) => text,
  code: (raw) => raw,
  codeBlock: (raw) => raw,
  link: plainLink,
  fromSlack: slackToPlain,
  tables: false,
};
