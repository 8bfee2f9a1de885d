/**
 * Robusta's `google_chat_sink`: each finding as one text message to a space's incoming webhook.
 * Messages about one finding go in one thread (threadKey = fingerprint, replying to the thread
 * when there is one), so a resolved finding follows its firing message. Sends are paced to one
 * per second per space, Chat's rate for webhooks, before Chat has to refuse them.
 */
import type { Finding } from "@robusta-ts/sdk";
import { systemDeliveryClock, type DeliveryClock } from "../../delivery/clock.js";
import { Pacer } from "../../delivery/pacer.js";
import { BaseSink } from "../common/base-sink.js";
import { HttpClient } from "../common/http.js";
import type { DeliveryOptions, SinkBase } from "../sink.js";
import { googleChatError } from "./google-chat-errors.js";
import type { GoogleChatSinkParams } from "./params.js";
import { renderGoogleChatText } from "./render-text.js";

/** Messages per second a space takes from webhooks (Chat's per-space quota: 60 writes a minute). */
export const SPACE_MESSAGES_PER_SECOND = 1;

// Shared by every sink on the system clock, as the quota is the space's: two sink entries (or a
// reloaded one) posting to one space are paced together.
let sharedPacer: Pacer | undefined;
const systemPacer = (): Pacer => (sharedPacer ??= new Pacer({ perSecond: SPACE_MESSAGES_PER_SECOND, clock: systemDeliveryClock }));

export interface GoogleChatSinkOptions {
  readonly clusterName: string;
  /** Pacing and Retry-After dates use it. Default: the system clock. */
  readonly clock?: DeliveryClock;
  /** Spaces requests per space. Default: one per second, shared by the sinks on the system clock. */
  readonly pacer?: Pacer;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** How long one request may take before it is given up (and retried). Default 30 s. */
  readonly timeoutMs?: number;
}

/** What the webhook is sent: the text, and the thread it belongs in. */
export interface GoogleChatMessage {
  readonly text: string;
  readonly thread?: { readonly threadKey: string };
}

export class GoogleChatSink extends BaseSink {
  /** The webhook URL. Its key and token are secrets, so errors never show it. */
  private readonly url: URL;
  /** False when the URL chooses threading itself (its own messageReplyOption or threadKey). */
  private readonly threaded: boolean;
  /** The space the webhook posts to: what pacing counts by. */
  private readonly space: string;
  private readonly pacer: Pacer;
  private readonly http: HttpClient;

  constructor(
    base: SinkBase,
    params: Pick<GoogleChatSinkParams, "webhook_url">,
    private readonly options: GoogleChatSinkOptions,
  ) {
    super(base);
    this.url = new URL(params.webhook_url);
    this.threaded = !this.url.searchParams.has("messageReplyOption") && !this.url.searchParams.has("threadKey");
    if (this.threaded) this.url.searchParams.set("messageReplyOption", "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD");
    this.space = `${this.url.host}${this.url.pathname}`;
    const clock = options.clock ?? systemDeliveryClock;
    this.pacer = options.pacer ?? (options.clock ? new Pacer({ perSecond: SPACE_MESSAGES_PER_SECOND, clock }) : systemPacer());
    this.http = new HttpClient({
      now: () => clock.now(),
      ...(options.fetch !== undefined && { fetch: options.fetch }),
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    });
  }

  /** The request body for `finding`. */
  message(finding: Finding): GoogleChatMessage {
    return {
      text: renderGoogleChatText(finding, this.options.clusterName),
      ...(this.threaded && { thread: { threadKey: finding.fingerprint } }),
    };
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    const body = JSON.stringify(this.message(finding));
    await this.pacer.wait(this.space, options.signal);
    await this.http.sendAndDiscard({
      service: "Google Chat",
      url: this.url,
      init: { method: "POST", headers: { "content-type": "application/json; charset=UTF-8" }, body },
      signal: options.signal,
      errorOf: googleChatError,
    });
  }
}
