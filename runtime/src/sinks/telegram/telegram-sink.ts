/**
 * Robusta's `telegram_sink`: each finding is a message in a chat (or a forum topic), in HTML parse
 * mode with link previews off, followed by its files as documents replying to it.
 *
 * A finding is several requests, and the delivery queue retries a failed write from the start, so
 * what was already sent is remembered per finding: a retry after a document failed does not post
 * the message again.
 */
import { errorMessage, type Finding, type Logger } from "@robusta-ts/sdk";
import { DeliveryError } from "../../delivery/delivery-error.js";
import { BaseSink } from "../common/base-sink.js";
import { BoundedCache } from "../common/bounded-cache.js";
import type { HttpClientOptions } from "../common/http.js";
import type { DeliveryOptions, MessageRef, SinkBase } from "../sink.js";
import type { TelegramSinkParams } from "./params.js";
import { documentCaption, renderTelegramMessage } from "./render-message.js";
import { TelegramApi } from "./telegram-api.js";

/** Findings whose delivery is under way: how many, and for how long a retry may resume one. */
const PROGRESS_MEMORY = { maxEntries: 500, ttlMs: 3600_000 };

/** What was sent of one finding so far. */
interface Progress {
  messageId?: number;
  documentsSent: number;
}

export interface TelegramSinkOptions extends HttpClientOptions {
  readonly clusterName: string;
  readonly logger: Logger;
  /** How long one document upload may take. Default 5 minutes. */
  readonly uploadTimeoutMs?: number;
}

export class TelegramSink extends BaseSink {
  private readonly api: TelegramApi;
  private readonly log: Logger;
  private readonly progress: BoundedCache<string, Progress>;

  constructor(
    base: SinkBase,
    private readonly params: TelegramSinkParams,
    private readonly options: TelegramSinkOptions,
  ) {
    super(base);
    this.api = new TelegramApi({ ...options, token: params.bot_token, apiUrl: params.api_url.replace(/\/+$/, "") });
    this.log = options.logger.child({ sink: base.name });
    this.progress = new BoundedCache({ ...PROGRESS_MEMORY, now: options.now ?? Date.now });
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<MessageRef> {
    const { signal } = options;
    const { chat_id: chatId, thread_id: threadId } = this.params;
    const message = renderTelegramMessage(finding, { clusterName: this.options.clusterName, sendFiles: this.params.send_files });
    const progress = this.progress.get(finding.id) ?? { documentsSent: 0 };

    if (progress.messageId === undefined) {
      progress.messageId = await this.api.sendMessage(
        {
          chat_id: chatId,
          ...(threadId !== undefined && { message_thread_id: threadId }),
          text: message.text,
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
        },
        signal,
      );
      this.progress.set(finding.id, progress);
    }
    for (const file of message.files.slice(progress.documentsSent)) {
      const fields = {
        chat_id: String(chatId),
        ...(threadId !== undefined && { message_thread_id: String(threadId) }),
        caption: documentCaption(finding, file),
        reply_parameters: JSON.stringify({ message_id: progress.messageId, allow_sending_without_reply: true }),
      };
      try {
        await this.api.sendDocument(file, fields, signal);
      } catch (error) {
        // Worth another try (rate limit, 5xx): the retry resumes with this file.
        if (!(error instanceof DeliveryError) || error.retryable) throw error;
        this.log.warn({ file: file.filename, error: errorMessage(error) }, "Telegram refused a file; the finding's other files are still sent");
      }
      progress.documentsSent++;
    }
    this.progress.delete(finding.id);
    return { channel: String(chatId), id: String(progress.messageId) };
  }
}
