/** Slack's limits on a message, and how much of them a rendered message uses. */
import type { KnownBlock } from "@slack/types";

/** Block Kit and chat.postMessage limits the renderer keeps to. */
export const SLACK_LIMITS = {
  /** Blocks in a message; the blocks of its attachment are counted with them, to be safe. */
  blocksPerMessage: 50,
  /** Blocks in the legacy attachment: more than 20 has been reported to fail with `invalid_attachments`. */
  blocksPerAttachment: 20,
  /**
   * Characters of text over all blocks. Undocumented: chat.postMessage answers `msg_blocks_too_long`
   * from about 12,000 (slackapi/bolt-js#2509, #2867), so the renderer stays well under it.
   */
  messageBlockChars: 10_000,
  /** Of `messageBlockChars`, what the attachment may use at most. */
  attachmentBlockChars: 4_000,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
  /** The message's `text`; Robusta keeps it this short because file links are appended to it. */
  text: 3000,
} as const;

/** Characters of text a block shows (what Slack's cumulative limit counts). */
export function blockTextLength(block: KnownBlock): number {
  switch (block.type) {
    case "section":
      return (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((sum, field) => sum + field.text.length, 0);
    case "header":
      return block.text.text.length;
    case "context":
      return block.elements.reduce((sum, element) => sum + ("text" in element && typeof element.text === "string" ? element.text.length : 0), 0);
    case "actions":
      return block.elements.reduce((sum, element) => sum + (element.type === "button" ? element.text.text.length : 0), 0);
    default:
      return 0;
  }
}

/** Characters of text over `blocks`. */
export const blocksTextLength = (blocks: readonly KnownBlock[]): number => blocks.reduce((sum, block) => sum + blockTextLength(block), 0);
