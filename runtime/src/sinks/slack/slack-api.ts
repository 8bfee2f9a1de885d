/**
 * The Slack Web API calls the sink makes, through @slack/web-api's WebClient with its own retries
 * off (the delivery queue retries, with backoff and Retry-After), each failure mapped to a
 * DeliveryError, and chat.postMessage / chat.update paced per channel (Slack allows about one
 * message per second per channel).
 */
import type { Logger } from "@robusta-ts/sdk";
import type { KnownBlock } from "@slack/types";
import { WebClient } from "@slack/web-api";
import type { DeliveryClock } from "../../delivery/clock.js";
import { DeliveryError, httpDeliveryError } from "../../delivery/delivery-error.js";
import type { Pacer } from "../../delivery/pacer.js";
import { BoundedCache } from "../common/bounded-cache.js";
import type { MessageRef } from "../sink.js";
import type { SlackAttachment, SlackFile } from "./message.js";
import { slackDeliveryError } from "./slack-errors.js";
import { slackLogger } from "./slack-logger.js";

/** How long one Web API call or upload may take (Robusta: 90 s). */
const REQUEST_TIMEOUT_MS = 60_000;

export interface SlackApiOptions {
  /** The bot token (xoxb-). */
  readonly token: string;
  /** The Web API base URL, e.g. https://slack.com/api/. */
  readonly apiUrl: string;
  readonly clock: DeliveryClock;
  /** Spaces posts and edits per channel. */
  readonly pacer: Pacer;
  readonly logger: Logger;
}

export interface PostMessage {
  /** A channel id, or a name with or without "#". */
  readonly channel: string;
  readonly text: string;
  readonly blocks: readonly KnownBlock[];
  readonly attachments?: readonly SlackAttachment[];
  /** Reply in the thread of this message `ts`. */
  readonly threadTs?: string;
  /** Whether Slack may unfurl links and media (default true). */
  readonly unfurl?: boolean;
}

export interface UpdateMessage {
  /** A channel id (chat.update takes no names). */
  readonly channel: string;
  readonly ts: string;
  readonly text: string;
  readonly blocks: readonly KnownBlock[];
}

/** An uploaded file, ready to be linked from a message. */
export interface UploadedFile {
  readonly id: string;
  readonly name: string;
  readonly permalink: string;
}

export class SlackApi {
  readonly client: WebClient;
  private readonly clock: DeliveryClock;
  private readonly pacer: Pacer;
  /** Channel name → id, learned from answers, so a channel is paced under one key however it is named. */
  private readonly channelIds: BoundedCache<string, string>;

  constructor(options: SlackApiOptions) {
    this.clock = options.clock;
    this.pacer = options.pacer;
    this.channelIds = new BoundedCache({ maxEntries: 1000, ttlMs: 24 * 3600_000, now: () => options.clock.now() });
    this.client = new WebClient(options.token, {
      slackApiUrl: options.apiUrl,
      logger: slackLogger(options.logger.child({ component: "slack-web-api" })),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: REQUEST_TIMEOUT_MS,
    });
  }

  /** Posts a message; the ref holds the channel id Slack answered with and the message's `ts`. */
  async postMessage(message: PostMessage, signal?: AbortSignal): Promise<MessageRef> {
    await this.pace(message.channel, signal);
    const unfurl = message.unfurl ?? true;
    const result = await this.call("chat.postMessage", () =>
      this.client.chat.postMessage({
        channel: message.channel,
        text: message.text,
        blocks: [...message.blocks],
        ...(message.attachments !== undefined &&
          message.attachments.length > 0 && { attachments: message.attachments.map((a) => ({ color: a.color, blocks: [...a.blocks] })) }),
        ...(message.threadTs !== undefined && { thread_ts: message.threadTs }),
        unfurl_links: unfurl,
        unfurl_media: unfurl,
      }),
    );
    if (typeof result.channel !== "string" || typeof result.ts !== "string") {
      throw new DeliveryError("Slack chat.postMessage answered without a channel or ts", { retryable: false });
    }
    this.learnChannelId(message.channel, result.channel);
    return { channel: result.channel, id: result.ts };
  }

  /** Replaces a message's text and blocks (its attachments stay). */
  async update(message: UpdateMessage, signal?: AbortSignal): Promise<void> {
    await this.pace(message.channel, signal);
    await this.call("chat.update", () =>
      this.client.chat.update({ channel: message.channel, ts: message.ts, text: message.text, blocks: [...message.blocks] }),
    );
  }

  /** A message only `user` sees (not paced: it is an answer to that user, not a channel post). */
  async postEphemeral(message: { channel: string; user: string; text: string; threadTs?: string }): Promise<void> {
    await this.call("chat.postEphemeral", () =>
      this.client.chat.postEphemeral({
        channel: message.channel,
        user: message.user,
        text: message.text,
        ...(message.threadTs !== undefined && { thread_ts: message.threadTs }),
      }),
    );
  }

  /**
   * Uploads a file by the external upload flow: files.getUploadURLExternal, the bytes POSTed to
   * the URL it gives, then files.completeUploadExternal without a channel, so the file is not
   * posted on its own but can be linked from the message by its permalink.
   */
  async uploadFile(file: SlackFile, signal?: AbortSignal): Promise<UploadedFile> {
    signal?.throwIfAborted();
    const bytes = typeof file.content === "string" ? Buffer.from(file.content, "utf8") : file.content;
    const target = await this.call("files.getUploadURLExternal", () =>
      this.client.files.getUploadURLExternal({ filename: file.filename, length: bytes.byteLength }),
    );
    if (!target.upload_url || !target.file_id) {
      throw new DeliveryError("Slack files.getUploadURLExternal answered without an upload_url", { retryable: false });
    }
    await this.postBytes(target.upload_url, bytes, signal);
    signal?.throwIfAborted();
    const done = await this.call("files.completeUploadExternal", () =>
      this.client.files.completeUploadExternal({ files: [{ id: target.file_id!, title: file.title ?? file.filename }] }),
    );
    // Slack answers with the file's details; should they lack the permalink, files.info (scope files:read) has it.
    const permalink = done.files?.[0]?.permalink ?? (await this.call("files.info", () => this.client.files.info({ file: target.file_id! }))).file?.permalink;
    if (!permalink) throw new DeliveryError("Slack answered without the uploaded file's permalink", { retryable: false });
    return { id: target.file_id, name: file.filename, permalink };
  }

  private async postBytes(url: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        body: bytes,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      signal?.throwIfAborted();
      throw new DeliveryError(`Slack file upload failed: ${error instanceof Error ? error.message : String(error)}`, { retryable: true, cause: error });
    }
    if (!response.ok) throw await httpDeliveryError("Slack file upload", response, this.clock.now());
    await response.body?.cancel();
  }

  /**
   * Remembers the id of a channel posted to by name. The first time, the id's pace slot is taken
   * too (this post just used it), so a following edit or reply by id waits its turn. Not awaited:
   * the post has succeeded, whatever the pacer does.
   */
  private learnChannelId(channel: string, id: string): void {
    const name = channelName(channel);
    if (name === undefined) return;
    const known = this.channelIds.get(name) === id;
    this.channelIds.set(name, id);
    if (!known) void this.pacer.wait(id).catch(() => undefined);
  }

  private async pace(channel: string, signal?: AbortSignal): Promise<void> {
    const name = channelName(channel);
    await this.pacer.wait(name === undefined ? channel : (this.channelIds.get(name) ?? name), signal);
    signal?.throwIfAborted();
  }

  private async call<T>(method: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw slackDeliveryError(method, error, this.clock.now());
    }
  }
}

/** The channel's name without "#", or undefined for a channel id (C…, G…, D…). */
function channelName(channel: string): string | undefined {
  if (channel.startsWith("#")) return channel.slice(1);
  return /^[CGD][A-Z0-9]{2,}$/.test(channel) ? undefined : channel;
}
