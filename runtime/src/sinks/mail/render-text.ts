/**
 * The mail's plain-text alternative, for clients that do not show HTML: the same sections in
 * the same order as the HTML part, written as readable text (links as `text <url>`, tables as
 * aligned columns). Pure.
 */
import type { Finding } from "@robusta-ts/sdk";
import { markdownSections, type MarkdownDialect } from "../common/render-markdown.js";
import { SLACK_LINK } from "../common/slack-markdown.js";

/** Plain text: no escaping or markup; Slack's *bold* is left as is, as plain-text mail writes it. */
export const PLAIN_TEXT: MarkdownDialect = {
  escape: (raw) => raw,
  bold: (text) => text,
  code: (raw) => raw,
  codeBlock: (raw) => raw,
  link: (text, url) => `${text} <${url}>`,
  fromSlack: (text) => text.replace(SLACK_LINK, (_, url: string, label: string | undefined) => (label ? `${label} <${url}>` : url)),
  tables: false,
};

const HEADER_KINDS = new Set(["status", "title", "source", "links"]);

export interface TextOptions {
  readonly clusterName: string;
  /** `with_header`: the status line, title, source and links. */
  readonly header: boolean;
  /** Paragraphs added last. */
  readonly notes?: readonly string[];
}

/** The finding as plain text, sections a blank line apart. */
export function renderMailText(finding: Finding, options: TextOptions): string {
  const sections = markdownSections(finding, { clusterName: options.clusterName, dialect: PLAIN_TEXT })
    .filter((section) => options.header || !HEADER_KINDS.has(section.kind))
    .map((section) => section.text);
  return [...sections, ...(options.notes ?? [])].join("\n\n") + "\n";
}
