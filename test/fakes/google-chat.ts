/**
 * A fake Google Chat for incoming-webhook tests, answering POST /v1/spaces/<space>/messages
 * ?key=…&token=… as Chat does, with Google's error shape {"error": {code, message, status}}:
 * - a wrong API key: 400 INVALID_ARGUMENT "API key not valid. Please pass a valid API key."
 *   (none: 403 PERMISSION_DENIED); a wrong or missing token: 403 PERMISSION_DENIED "The API is
 *   called without a valid token. …"; an unknown space: 404 NOT_FOUND;
 * - text over 4096 characters (UTF-16 code units): 400 INVALID_ARGUMENT "Message is longer than
 *   4096 characters"; a body over 32,000 bytes or with unknown fields: 400 INVALID_ARGUMENT;
 * - more than one message per second per space (a fixed one-second window on the given clock):
 *   429 RESOURCE_EXHAUSTED;
 * - threads: thread.threadKey with messageReplyOption REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD
 *   replies in the thread that key started, or starts it; REPLY_MESSAGE_OR_FAIL fails with 404
 *   when there is none; without an option every message starts a new thread;
 * - 200 with the created message (name, sender, text, thread, space, createTime).
 * `failNext` answers the next requests with a status in Google's shape (and a Retry-After when
 * given). Every request is recorded.
 */
import { type Answer, countFirst, HttpFake, type Incoming } from "./http-fake.js";

export const FAKE_GOOGLE_CHAT_LIMITS = { textChars: 4096, messageBytes: 32_000, messagesPerSecond: 1 } as const;

const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

const MESSAGE_FIELDS = new Set(["text", "thread", "cardsV2", "cards", "fallbackText", "accessoryWidgets", "privateMessageViewer", "annotations", "attachment"]);
const REPLY_OPTIONS = new Set(["MESSAGE_REPLY_OPTION_UNSPECIFIED", "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD", "REPLY_MESSAGE_OR_FAIL"]);

export interface ChatCall {
  readonly space: string;
  readonly query: URLSearchParams;
  readonly status: number;
  /** The request body, parsed (undefined when it was not JSON). */
  readonly body: unknown;
  readonly answer: unknown;
  /** The fake's clock when the request came. */
  readonly at: number;
}

/** A message Chat created. */
export interface ChatMessage {
  readonly name: string;
  readonly text: string;
  readonly thread: { readonly name: string; readonly threadKey?: string };
}

export interface ChatFailure {
  readonly status: number;
  readonly message?: string;
  /** Sent as the Retry-After header (Chat itself seldom sends one). */
  readonly retryAfter?: string;
}

export interface FakeGoogleChatOptions {
  /** The clock the rate limit counts on. Default: Date.now. */
  readonly now?: () => number;
}

interface Space {
  readonly token: string;
  /** Thread names by threadKey. */
  readonly threads: Map<string, string>;
}

const googleError = (code: number, message: string, details?: unknown[]) => ({
  error: { code, message, status: STATUS_NAMES[code] ?? "UNKNOWN", ...(details && { details }) },
});

export class FakeGoogleChat extends HttpFake<ChatFailure> {
  readonly calls: ChatCall[] = [];
  /** The webhooks' API key; every webhook URL carries the same one, as Chat's do. */
  readonly key = "AIzaSyFAKE-chat-webhook-key";
  private readonly spaces = new Map<string, Space>();
  private readonly windows = new Map<string, { second: number; count: number }>();
  private counter = 0;

  private constructor(private readonly now: () => number) {
    super();
  }

  static start(options: FakeGoogleChatOptions = {}): Promise<FakeGoogleChat> {
    return new FakeGoogleChat(options.now ?? Date.now).listen();
  }

  /** http://127.0.0.1:<port> */
  get baseUrl(): string {
    return this.url;
  }

  /** A webhook URL for `space` (created on first use), as Chat's "Copy link" gives it. */
  webhookUrl(space = "AAAAspace01"): string {
    let known = this.spaces.get(space);
    if (!known) this.spaces.set(space, (known = { token: `tok-${space}-s3cr3t`, threads: new Map() }));
    return `${this.baseUrl}/v1/spaces/${space}/messages?key=${this.key}&token=${encodeURIComponent(known.token)}`;
  }

  /** The messages Chat created, in order, for one space or all. */
  messages(space?: string): ChatMessage[] {
    return this.calls.filter((call) => call.status === 200 && (space === undefined || call.space === space)).map((call) => call.answer as ChatMessage);
  }

  /** Answers the next `count` requests (default 1) with `failure` (after those already queued). */
  override failNext(failure: ChatFailure, count?: number): void;
  override failNext(count: number, failure: ChatFailure): void;
  override failNext(...args: [ChatFailure, number?] | [number, ChatFailure]): void {
    super.failNext(...countFirst(args));
  }

  protected override respond({ method, url, bytes }: Incoming): Answer {
    const at = this.now();
    const space = /^\/v1\/spaces\/([^/]+)\/messages$/.exec(url.pathname)?.[1] ?? "";
    let body: unknown;
    try {
      body = JSON.parse(bytes.toString("utf8"));
    } catch {
      body = undefined;
    }
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}): Answer => {
      this.calls.push({ space, query: url.searchParams, status, body, answer: payload, at });
      return { status, body: payload, headers };
    };

    const failure = this.takeFailure();
    if (failure) {
      const message = failure.message ?? (failure.status === 429 ? "Resource has been exhausted (e.g. check quota)." : "Internal error encountered.");
      return answer(failure.status, googleError(failure.status, message), failure.retryAfter !== undefined ? { "retry-after": failure.retryAfter } : {});
    }
    if (method !== "POST" || space === "") return answer(404, googleError(404, "Requested entity was not found."));
    const key = url.searchParams.get("key");
    if (key === null) return answer(403, googleError(403, "The request is missing a valid API key."));
    if (key !== this.key) {
      const info = { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com", metadata: { service: "chat.googleapis.com" } };
      return answer(400, googleError(400, "API key not valid. Please pass a valid API key.", [info]));
    }
    const known = this.spaces.get(space);
    if (!known) return answer(404, googleError(404, "Requested entity was not found."));
    if (url.searchParams.get("token") !== known.token) {
      return answer(403, googleError(403, "The API is called without a valid token. Instructions on how to use incoming webhooks can be found at https://developers.google.com/chat/how-tos/webhooks"));
    }
    if (this.overQuota(space, at)) return answer(429, googleError(429, "Resource has been exhausted (e.g. check quota)."));

    const problem = this.problem(body, bytes.length, url.searchParams.get("messageReplyOption"));
    if (problem) return answer(400, googleError(400, problem));
    const message = body as { text?: string; thread?: { threadKey?: string } };
    const option = url.searchParams.get("messageReplyOption") ?? "MESSAGE_REPLY_OPTION_UNSPECIFIED";
    const threadKey = message.thread?.threadKey ?? url.searchParams.get("threadKey") ?? undefined;
    const existing = threadKey !== undefined && option !== "MESSAGE_REPLY_OPTION_UNSPECIFIED" ? known.threads.get(threadKey) : undefined;
    if (option === "REPLY_MESSAGE_OR_FAIL" && existing === undefined) return answer(404, googleError(404, "Requested entity was not found."));
    const id = ++this.counter;
    const thread = existing ?? `spaces/${space}/threads/thread${id}`;
    if (threadKey !== undefined && existing === undefined && option !== "MESSAGE_REPLY_OPTION_UNSPECIFIED") known.threads.set(threadKey, thread);
    return answer(200, {
      name: `spaces/${space}/messages/message${id}`,
      sender: { name: "users/114022495153014004089", displayName: "Robusta", type: "BOT" },
      text: message.text ?? "",
      thread: { name: thread, ...(threadKey !== undefined && { threadKey }) },
      space: { name: `spaces/${space}`, type: "ROOM" },
      argumentText: message.text ?? "",
      createTime: new Date(at).toISOString(),
    });
  }

  /** One message per second per space, counted in fixed one-second windows. */
  private overQuota(space: string, at: number): boolean {
    const second = Math.floor(at / 1000);
    const window = this.windows.get(space);
    if (!window || window.second !== second) {
      this.windows.set(space, { second, count: 1 });
      return false;
    }
    window.count++;
    return window.count > FAKE_GOOGLE_CHAT_LIMITS.messagesPerSecond;
  }

  private problem(body: unknown, size: number, replyOption: string | null): string | undefined {
    if (typeof body !== "object" || body === null || Array.isArray(body)) return "Invalid JSON payload received. Expected an object.";
    const unknown = Object.keys(body).find((name) => !MESSAGE_FIELDS.has(name));
    if (unknown !== undefined) return `Invalid JSON payload received. Unknown name "${unknown}" at 'message': Cannot find field.`;
    if (replyOption !== null && !REPLY_OPTIONS.has(replyOption)) {
      return `Invalid value at 'message_reply_option' (type.googleapis.com/google.chat.v1.CreateMessageRequest.MessageReplyOption), "${replyOption}"`;
    }
    const { text } = body as { text?: unknown };
    if (typeof text !== "string" || text.trim() === "") return "Message cannot be empty. Discarded message with empty text.";
    if (text.length > FAKE_GOOGLE_CHAT_LIMITS.textChars) return `Message is longer than ${FAKE_GOOGLE_CHAT_LIMITS.textChars} characters`;
    if (size > FAKE_GOOGLE_CHAT_LIMITS.messageBytes) return `Message exceeds the maximum size of ${FAKE_GOOGLE_CHAT_LIMITS.messageBytes} bytes.`;
    return undefined;
  }
}
