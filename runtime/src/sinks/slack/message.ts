/** A Slack message as the renderer builds it and the Slack sink sends it. */
import type { KnownBlock } from "@slack/types";

/** A file the sink uploads (files.getUploadURLExternal, upload, files.completeUploadExternal) and links from the message. */
export interface SlackFile {
  readonly filename: string;
  /** Text (UTF-8) or bytes. */
  readonly content: string | Uint8Array;
  readonly title?: string;
}

/** A legacy attachment: Robusta puts `attachment`-annotated enrichments in one, coloured by status. */
export interface SlackAttachment {
  readonly color: string;
  readonly blocks: readonly KnownBlock[];
}

export interface SlackMessage {
  /** The notification text, and what clients without Block Kit show. At most 3000 characters (file links are appended to it). */
  readonly text: string;
  /** At most 50 blocks, every one within Slack's limits. */
  readonly blocks: readonly KnownBlock[];
  readonly attachments: readonly SlackAttachment[];
  /** False when an enrichment asked not to unfurl links (`unfurl: "false"`). */
  readonly unfurl: boolean;
  /** Uploaded separately, then linked from the message. */
  readonly files: readonly SlackFile[];
}
