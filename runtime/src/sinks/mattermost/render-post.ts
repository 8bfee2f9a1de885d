/**
 * A finding as a Mattermost post, laid out as Robusta's MattermostSender does: the post's message
 * is one line with the status, the severity and the title; the source, description, links and
 * enrichments go in one message attachment coloured by status (red firing, green resolved).
 * Files are uploaded by the sink and named in the text. Pure.
 */
import type { Finding, Severity } from "@robusta-ts/sdk";
import { STATUS_COLORS, cutChars } from "../common/finding-words.js";
import { COMMONMARK, codePoints, fitMarkdown, markdownSections } from "../common/render-markdown.js";

/** Mattermost's post message limit, in characters (since server 5.0). Robusta keeps the attachment's blocks within it too. */
export const MAX_MESSAGE_CHARS = 16383;

/** Robusta's severity emoji, as Mattermost shortcodes. */
const SEVERITY_EMOJI: Readonly<Record<Severity, string>> = {
  DEBUG: ":large_blue_circle:",
  INFO: ":large_green_circle:",
  LOW: ":large_yellow_circle:",
  MEDIUM: ":large_orange_circle:",
  HIGH: ":red_circle:",
};

/** A Slack-style message attachment, as Mattermost takes them in `props.attachments`. */
export interface MattermostAttachment {
  readonly text: string;
  readonly color: string;
}

/** What a post shows; the sink adds the channel and the uploaded files. */
export interface MattermostPostContent {
  readonly message: string;
  readonly props: { readonly attachments: readonly MattermostAttachment[] };
}

export interface MattermostRenderOptions {
  readonly clusterName: string;
  /** Files the sink could not attach, and why: said at the end of the attachment. */
  readonly unattached?: readonly UnattachedFile[];
}

/** A file left out of the post. */
export interface UnattachedFile {
  readonly filename: string;
  readonly reason: string;
}

/** The message line: "🔥 firing - :red_circle: HIGH - **Crashing pod web-0**", within the message limit. */
export function mattermostTitle(finding: Finding): string {
  const prefix = `${finding.status === "resolved" ? "✅" : "🔥"} ${finding.status} - ${SEVERITY_EMOJI[finding.severity]} ${finding.severity} - `;
  // Cut inside the bold markers, so they stay paired.
  const title = cutChars(COMMONMARK.fromSlack(finding.title), MAX_MESSAGE_CHARS - codePoints(prefix) - 4);
  return `${prefix}${COMMONMARK.bold(title)}`;
}

/** The post for `finding`: the title line as the message, everything else in the coloured attachment. */
export function renderMattermostPost(finding: Finding, options: MattermostRenderOptions): MattermostPostContent {
  const sections = markdownSections(finding, { clusterName: options.clusterName, dialect: COMMONMARK })
    .filter((section) => section.kind !== "status" && section.kind !== "title")
    .map((section) => section.text);
  const unattached = options.unattached ?? [];
  if (unattached.length > 0) {
    sections.push(unattached.map((file) => `📎 ${COMMONMARK.bold(COMMONMARK.escape(file.filename))} was not attached: ${COMMONMARK.escape(file.reason)}`).join("\n"));
  }
  return {
    message: mattermostTitle(finding),
    props: { attachments: [{ text: fitMarkdown(sections, MAX_MESSAGE_CHARS), color: STATUS_COLORS[finding.status] }] },
  };
}
