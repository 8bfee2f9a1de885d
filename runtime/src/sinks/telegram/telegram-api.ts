/**
 * The two Bot API methods the sink calls, sendMessage and sendDocument, with Telegram's errors
 * ({ok: false, error_code, description, parameters}) as DeliveryErrors: 429 waits
 * `parameters.retry_after`, 5xx are retried, other 4xx ("Bad Request: chat not found",
 * "Forbidden: bot was blocked by the user", "Unauthorized") are not. The token is part of every
 * URL, so it is removed from anything an error quotes.
 */
import { z } from "zod";
import { DeliveryError } from "../../delivery/delivery-error.js";
import { HttpClient, type HttpClientOptions } from "../common/http.js";
import { retryAfterHeader, serviceError } from "../common/service-error.js";

const SERVICE = "Telegram";
/** Documents may be up to 50 MB: their requests get longer than messages'. */
const DEFAULT_UPLOAD_TIMEOUT_MS = 300_000;

const answer = z.looseObject({
  ok: z.boolean(),
  description: z.string().optional(),
  result: z.unknown().optional(),
  parameters: z.looseObject({ retry_after: z.number().optional(), migrate_to_chat_id: z.number().optional() }).optional(),
});
const sentMessage = z.looseObject({ message_id: z.number() });

export interface TelegramApiOptions extends HttpClientOptions {
  readonly token: string;
  /** The Bot API server, without a trailing slash. */
  readonly apiUrl: string;
  /** How long one sendDocument may take. Default 5 minutes. */
  readonly uploadTimeoutMs?: number;
}

/** A file to send as a document. */
export interface TelegramDocument {
  readonly filename: string;
  readonly bytes: Buffer;
  readonly contentType: string;
}

export class TelegramApi {
  private readonly http: HttpClient;
  private readonly uploads: HttpClient;

  constructor(private readonly options: TelegramApiOptions) {
    this.http = new HttpClient(options);
    this.uploads = new HttpClient({ ...options, timeoutMs: options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS });
  }

  /** Sends a message (a JSON body of sendMessage's parameters); returns its message_id. */
  async sendMessage(body: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<number> {
    const result = await this.call(this.http, "sendMessage", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, signal);
    const parsed = sentMessage.safeParse(result);
    if (!parsed.success) throw new DeliveryError(`${SERVICE} sendMessage answered without a message_id`, { retryable: false });
    return parsed.data.message_id;
  }

  /** Sends `document` with the other sendDocument parameters (strings; objects as JSON). */
  async sendDocument(document: TelegramDocument, fields: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<void> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append("document", new Blob([document.bytes], { type: document.contentType }), document.filename);
    await this.call(this.uploads, "sendDocument", { method: "POST", body: form }, signal);
  }

  private async call(http: HttpClient, method: string, init: RequestInit, signal?: AbortSignal): Promise<unknown> {
    const body = await http.sendForJson({
      service: SERVICE,
      url: `${this.options.apiUrl}/bot${this.options.token}/${method}`,
      init,
      signal,
      errorOf: (response, now) => this.errorOf(method, response, now),
    });
    const parsed = answer.safeParse(body);
    if (!parsed.success || !parsed.data.ok) {
      throw new DeliveryError(`${SERVICE} ${method} failed: ${this.redact(parsed.data?.description ?? "the answer was not a Bot API answer")}`, { retryable: false });
    }
    return parsed.data.result;
  }

  private errorOf(method: string, response: Response, now: number): Promise<DeliveryError> {
    return serviceError(response, now, {
      service: `${SERVICE} ${method}`,
      parse: (json) => answer.safeParse(json).data,
      explain: ({ body, text }) => {
        const description = body?.description ?? (text.trim().slice(0, 300) || response.statusText);
        const migrated = body?.parameters?.migrate_to_chat_id;
        const hint = migrated !== undefined ? ` (the chat is now ${migrated}: set chat_id to it)` : response.status === 401 ? " (check bot_token)" : "";
        return `${this.redact(description)}${hint}`;
      },
      retryAfterMs: ({ body }) => {
        const retryAfter = body?.parameters?.retry_after;
        return retryAfter !== undefined ? retryAfter * 1000 : retryAfterHeader(response, now);
      },
    });
  }

  /** Proxies in front of a self-hosted server may quote the request path, which holds the token. */
  private redact(text: string): string {
    return text.split(this.options.token).join("<bot_token>");
  }
}
