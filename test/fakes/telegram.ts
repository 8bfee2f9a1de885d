/**
 * A fake Telegram Bot API server (core.telegram.org/bots/api) for tests, on loopback, answering
 * `POST /bot<token>/<method>` for sendMessage and sendDocument as Telegram does:
 * - `{ok: true, result: Message}` on success;
 * - `{ok: false, error_code, description, parameters?}` otherwise, with the HTTP status equal to
 *   error_code: 401 "Unauthorized" for a wrong token, 404 "Not Found" for an unknown method,
 *   400 "Bad Request: chat not found", "message thread not found", "message is too long" (text over
 *   4096 characters after entity parsing, in UTF-16 units), "message caption is too long" (1024),
 *   "can't parse entities: ..." (HTML that is not Telegram's subset), 413 "Request Entity Too
 *   Large" for documents over 50 MB;
 * - injected failures (`failNext`): 429 with `parameters.retry_after`, 403 "Forbidden: bot was
 *   blocked by the user", 400 with `parameters.migrate_to_chat_id`, 5xx...
 * Telegram sends no Retry-After header: the wait is only in the body.
 */
import { type Answer, HttpFake, type Incoming } from "./http-fake.js";

export const TELEGRAM_TEXT_LIMIT = 4096;
export const TELEGRAM_CAPTION_LIMIT = 1024;
export const TELEGRAM_DOCUMENT_BYTES = 50 * 1024 * 1024;

/** What a failure answers. */
export interface TelegramFailure {
  readonly error_code: number;
  readonly description: string;
  readonly parameters?: { readonly retry_after?: number; readonly migrate_to_chat_id?: number };
}

/** A message the fake accepted: a text message or a document. */
export interface TelegramMessage {
  readonly messageId: number;
  readonly chatId: string;
  readonly threadId?: number;
  /** The text (sendMessage) or caption (sendDocument) after entity parsing. */
  readonly text: string;
  /** What was sent as `text` or `caption`, before parsing. */
  readonly raw: string;
  readonly parseMode?: string;
  readonly linkPreviewDisabled?: boolean;
  readonly replyTo?: number;
  readonly document?: { readonly filename: string; readonly contentType: string; readonly bytes: Buffer };
}

/** One request, whatever came of it. */
export interface TelegramCall {
  readonly method: string;
  readonly status: number;
  /** The request's parameters (JSON, form fields; files left out). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly response: unknown;
}

export interface FakeTelegramOptions {
  readonly token: string;
  /** Chats the bot is in (as chat_id is sent: "-100123", "@channel"). */
  readonly chats: readonly string[];
  /** Forum topic ids that exist in every chat. */
  readonly threads?: readonly number[];
  /** Default 50 MB. */
  readonly maxDocumentBytes?: number;
}

const TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"]);
const ENTITY = /^&(lt|gt|amp|quot|#\d+|#x[\da-f]+);/i;
const NAMED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"' };

class BadRequest extends Error {}

/** Telegram's HTML parse mode: the visible text, or a BadRequest saying why it cannot be parsed. */
export function parseTelegramHtml(html: string): string {
  const stack: string[] = [];
  let text = "";
  let i = 0;
  const offset = (at: number) => Buffer.byteLength(html.slice(0, at));
  while (i < html.length) {
    const char = html[i]!;
    if (char === "<") {
      const end = html.indexOf(">", i);
      if (end < 0) throw new BadRequest(`can't parse entities: Unclosed start tag at byte offset ${offset(i)}`);
      const tag = html.slice(i + 1, end);
      if (tag.startsWith("/")) {
        const name = tag.slice(1).trim().toLowerCase();
        const open = stack.pop();
        if (open !== name) throw new BadRequest(`can't parse entities: Unmatched end tag at byte offset ${offset(i)}, expected "</${open ?? ""}>", found "</${name}>"`);
      } else {
        const name = /^[a-z-]+/i.exec(tag)?.[0].toLowerCase() ?? "";
        if (!TAGS.has(name)) throw new BadRequest(`can't parse entities: Unsupported start tag "${name}" at byte offset ${offset(i)}`);
        const inside = stack.at(-1);
        if ((inside === "code" || inside === "pre") && !(inside === "pre" && name === "code")) {
          throw new BadRequest(`can't parse entities: Can't nest "${name}" in "${inside}" at byte offset ${offset(i)}`);
        }
        if (name === "a" && !/\shref="[^"]*"/.test(tag)) throw new BadRequest(`can't parse entities: Can't find href in <a> at byte offset ${offset(i)}`);
        stack.push(name);
      }
      i = end + 1;
    } else if (char === "&") {
      const entity = ENTITY.exec(html.slice(i));
      if (!entity) throw new BadRequest(`can't parse entities: Character '&' is reserved and must be escaped at byte offset ${offset(i)}`);
      const name = entity[1]!.toLowerCase();
      text += NAMED[name] ?? String.fromCodePoint(name.startsWith("#x") ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
      i += entity[0].length;
    } else if (char === ">") {
      throw new BadRequest(`can't parse entities: Character '>' is reserved and must be escaped at byte offset ${offset(i)}`);
    } else {
      text += char;
      i++;
    }
  }
  if (stack.length > 0) throw new BadRequest(`can't parse entities: Can't find end tag corresponding to start tag "${stack.at(-1)}"`);
  return text;
}

/** What an injected failure's filter is told of a request. */
export interface FailureProbe {
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly filename?: string;
}

/** Which requests an injected failure applies to. */
export type FailureFilter = (request: FailureProbe) => boolean;

interface Upload {
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export class FakeTelegram extends HttpFake<TelegramFailure, FailureProbe> {
  readonly calls: TelegramCall[] = [];
  /** Messages and documents accepted, in order. */
  readonly messages: TelegramMessage[] = [];
  private nextId = 1;

  private constructor(private readonly options: FakeTelegramOptions) {
    super();
  }

  /** Starts the Bot API on 127.0.0.1 and a free port; its `url` is the sink's `api_url`. */
  static start(options: FakeTelegramOptions): Promise<FakeTelegram> {
    return new FakeTelegram(options).listen();
  }

  /** Answers the next `count` valid requests (those `when` picks, default any) with `failure`. */
  override failNext(count: number, failure: TelegramFailure, when: FailureFilter = () => true): void {
    this.queueFailures(count, failure, { when });
  }

  protected override async respond({ method: verb, path, headers, bytes: raw }: Incoming): Promise<Answer> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(path);
    const method = match?.[2] ?? "";
    const answer = (status: number, body: unknown, params: Record<string, unknown> = {}): Answer => {
      this.calls.push({ method, status, params, response: body });
      return { status, body };
    };
    const fail = (failure: TelegramFailure, params?: Record<string, unknown>) =>
      answer(failure.error_code, { ok: false, error_code: failure.error_code, description: failure.description, ...(failure.parameters && { parameters: failure.parameters }) }, params);

    if (!match || verb !== "POST") return fail({ error_code: 404, description: "Not Found" });
    if (match[1] !== this.options.token) return fail({ error_code: 401, description: "Unauthorized" });
    if (method !== "sendMessage" && method !== "sendDocument") return fail({ error_code: 404, description: "Not Found" });

    const { params, upload } = await parseParams(headers["content-type"] ?? "", raw);
    if (upload && upload.bytes.length > (this.options.maxDocumentBytes ?? TELEGRAM_DOCUMENT_BYTES)) return fail({ error_code: 413, description: "Request Entity Too Large" }, params);
    const injected = this.takeFailure({ method, params, ...(upload && { filename: upload.filename }) });
    if (injected) return fail(injected, params);
    try {
      const message = this.accept(method, params, upload);
      this.messages.push(message);
      const result = {
        message_id: message.messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: /^-?\d+$/.test(message.chatId) ? Number(message.chatId) : -1001, type: "supergroup" },
        ...(message.threadId !== undefined && { message_thread_id: message.threadId, is_topic_message: true }),
        ...(message.document ? { document: { file_name: message.document.filename, file_size: message.document.bytes.length }, caption: message.text } : { text: message.text }),
      };
      return answer(200, { ok: true, result }, params);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      return fail({ error_code: 400, description: `Bad Request: ${error.message}` }, params);
    }
  }

  private accept(method: string, params: Record<string, unknown>, upload: Upload | undefined): TelegramMessage {
    const chatId = params.chat_id === undefined ? "" : String(params.chat_id);
    if (chatId === "") throw new BadRequest("chat_id is empty");
    if (!this.options.chats.includes(chatId)) throw new BadRequest("chat not found");
    const threadId = params.message_thread_id === undefined ? undefined : Number(params.message_thread_id);
    if (threadId !== undefined && !(this.options.threads ?? []).includes(threadId)) throw new BadRequest("message thread not found");
    const parseMode = typeof params.parse_mode === "string" ? params.parse_mode : undefined;
    if (parseMode !== undefined && parseMode !== "HTML") throw new BadRequest(`unsupported parse_mode "${parseMode}" in this fake`);
    const replyTo = this.replyTarget(params.reply_parameters, chatId);
    const base = {
      messageId: this.nextId++,
      chatId,
      ...(threadId !== undefined && { threadId }),
      ...(parseMode !== undefined && { parseMode }),
      ...(replyTo !== undefined && { replyTo }),
    };

    if (method === "sendMessage") {
      const raw = typeof params.text === "string" ? params.text : "";
      const text = parseMode === "HTML" ? parseTelegramHtml(raw) : raw;
      if (text.trim() === "") throw new BadRequest("message text is empty");
      if (text.length > TELEGRAM_TEXT_LIMIT) throw new BadRequest("message is too long");
      const preview = params.link_preview_options as { is_disabled?: boolean } | undefined;
      return { ...base, text, raw, linkPreviewDisabled: preview?.is_disabled === true };
    }
    if (!upload) throw new BadRequest("there is no document in the request");
    const raw = typeof params.caption === "string" ? params.caption : "";
    const text = parseMode === "HTML" ? parseTelegramHtml(raw) : raw;
    if (text.length > TELEGRAM_CAPTION_LIMIT) throw new BadRequest("message caption is too long");
    return { ...base, text, raw, document: upload };
  }

  /** reply_parameters' message_id, which must be a message of this chat unless allow_sending_without_reply. */
  private replyTarget(value: unknown, chatId: string): number | undefined {
    if (value === undefined) return undefined;
    const reply = (typeof value === "string" ? JSON.parse(value) : value) as { message_id?: number; allow_sending_without_reply?: boolean };
    const exists = this.messages.some((message) => message.chatId === chatId && message.messageId === reply.message_id);
    if (!exists && !reply.allow_sending_without_reply) throw new BadRequest("message to be replied not found");
    return reply.message_id;
  }
}

/** The request's parameters from JSON, a form, or multipart (with its one file). */
async function parseParams(contentType: string, raw: Buffer): Promise<{ params: Record<string, unknown>; upload?: Upload }> {
  if (contentType.startsWith("application/json")) return { params: JSON.parse(raw.toString("utf8")) as Record<string, unknown> };
  if (contentType.startsWith("application/x-www-form-urlencoded")) return { params: Object.fromEntries(new URLSearchParams(raw.toString("utf8"))) };
  if (!contentType.startsWith("multipart/form-data")) return { params: {} };
  const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  const params: Record<string, unknown> = {};
  let upload: Upload | undefined;
  for (const [name, value] of form) {
    if (typeof value === "string") params[name] = value;
    else if (name === "document") upload = { filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
  }
  return { params, ...(upload && { upload }) };
}
