/**
 * A finding as a Webex markdown message, in the order of Robusta's WebexSender: the severity and
 * title line, the source, then the description, links and enrichments. Webex markdown has no
 * tables, so tables are aligned text in code blocks. Files go in messages of their own (the sink
 * sends them); the text names them. Kept within Webex's 7439-byte message limit. Pure.
 */
import type { Finding } from "@robusta-ts/sdk";
import { SEVERITY_MARK, robustaTitle } from "../common/finding-words.js";
import { COMMONMARK, fitMarkdown, markdownSections, type MarkdownDialect } from "../common/render-markdown.js";

/** Webex's message limit: `markdown` (and `text`) may be at most 7439 bytes. */
export const MAX_MESSAGE_BYTES = 7439;

/** Webex's markdown: CommonMark without tables. */
export const WEBEX_MARKDOWN: MarkdownDialect = { ...COMMONMARK, tables: false };

const utf8Bytes = (text: string): number => Buffer.byteLength(text, "utf8");

/** A file the sink did not send. */
export interface UnsentFile {
  readonly filename: string;
  readonly reason: string;
}

export interface WebexRenderOptions {
  readonly clusterName: string;
  /** Files left out, and why: said at the end of the message. */
  readonly unsent?: readonly UnsentFile[];
}

/** Robusta's title line: "🔴 **HIGH - Crashing pod web-0**"; "[RESOLVED] " marks a resolved finding. */
export function webexTitle(finding: Finding): string {
  return `${SEVERITY_MARK[finding.severity]} ${WEBEX_MARKDOWN.bold(`${finding.severity} - ${WEBEX_MARKDOWN.fromSlack(robustaTitle(finding))}`)}`;
}

/** The message's markdown, within 7439 bytes: sections that do not fit are left out and counted. */
export function renderWebexMarkdown(finding: Finding, options: WebexRenderOptions): string {
  const sections = [
    webexTitle(finding),
    ...markdownSections(finding, { clusterName: options.clusterName, dialect: WEBEX_MARKDOWN })
      .filter((section) => section.kind !== "status" && section.kind !== "title")
      .map((section) => section.text),
  ];
  const unsent = options.unsent ?? [];
  if (unsent.length > 0) {
    sections.push(unsent.map((file) => `📎 ${WEBEX_MARKDOWN.bold(WEBEX_MARKDOWN.escape(file.filename))} was not sent: ${WEBEX_MARKDOWN.escape(file.reason)}`).join("\n"));
  }
  return fitMarkdown(sections, MAX_MESSAGE_BYTES, { measure: utf8Bytes });
}
