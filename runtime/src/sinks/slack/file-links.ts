/**
 * A rendered message with its uploaded files linked: `• <permalink|name>` lines appended to the
 * notification text (as Robusta does; that is what makes Slack show the files) and listed in a
 * section, with a note for each file that could not be uploaded.
 */
import type { KnownBlock } from "@slack/types";
import type { SlackMessage } from "./message.js";
import { cutText, escapeMrkdwn } from "./mrkdwn.js";
import { SLACK_LIMITS } from "./render-limits.js";
import type { UploadedFile } from "./slack-api.js";

/** What the files section may use: the renderer leaves this much room under Slack's total for blocks. */
const FILES_SECTION_CHARS = 1500;

/** A file that could not be uploaded, and why. */
export interface FailedUpload {
  readonly name: string;
  readonly reason: string;
}

/** A link's label: Slack ends a link at `|` or `>`, so they are replaced. */
const label = (name: string): string => escapeMrkdwn(name.replace(/\|/g, "¦"));

/** The message's text and blocks with the files linked; `message` itself is left as it is. */
export function withFileLinks(
  message: Pick<SlackMessage, "text" | "blocks" | "attachments">,
  uploaded: readonly UploadedFile[],
  failed: readonly FailedUpload[],
): { text: string; blocks: KnownBlock[] } {
  const links = uploaded.map((file) => `• <${file.permalink}|${label(file.name)}>`);
  const notes = failed.map((file) => `⚠️ Could not upload ${label(file.name)}: ${escapeMrkdwn(file.reason)}`);
  const blocks = [...message.blocks];
  if (links.length === 0 && notes.length === 0) return { text: message.text, blocks };
  const attached = message.attachments.reduce((sum, attachment) => sum + attachment.blocks.length, 0);
  // When the message is already at Slack's block limit, the text has to carry the notes too.
  const room = blocks.length + attached < SLACK_LIMITS.blocksPerMessage;
  const appended = room ? links : [...links, ...notes];
  const text = appended.length > 0 ? cutText(`${message.text}\n${appended.join("\n")}`, SLACK_LIMITS.text) : message.text;
  if (room) {
    const section: KnownBlock = { type: "section", text: { type: "mrkdwn", text: cutText([...links, ...notes].join("\n"), FILES_SECTION_CHARS) } };
    // Before the closing divider, if there is one.
    const at = blocks.at(-1)?.type === "divider" ? blocks.length - 1 : blocks.length;
    blocks.splice(at, 0, section);
  }
  return { text, blocks };
}
