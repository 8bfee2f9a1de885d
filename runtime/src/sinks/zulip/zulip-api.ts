/**
 * The two Zulip REST calls the sink makes (zulip.com/api): POST /api/v1/messages (form-encoded)
 * and POST /api/v1/user_uploads (multipart), with HTTP basic auth as the bot. Zulip's errors
 * (`{result: "error", msg, code}`) become DeliveryErrors carrying `msg` and `code`; a 429
 * RATE_LIMIT_HIT waits its Retry-After header or the body's `retry-after` (seconds).
 */
import { z } from "zod";
import { DeliveryError } from "../../delivery/delivery-error.js";
import type { AttachedFile } from "../common/files.js";
import { basicAuth, HttpClient, type HttpClientOptions } from "../common/http.js";
import { retryAfterHeader, serviceError } from "../common/service-error.js";

const SERVICE = "Zulip";
/** Uploads may be up to the server's limit (25 MiB by default): their requests get longer. */
const DEFAULT_UPLOAD_TIMEOUT_MS = 300_000;

const answer = z.looseObject({ result: z.string(), msg: z.string().optional(), code: z.string().optional(), "retry-after": z.number().optional() });
const sent = z.looseObject({ result: z.literal("success"), id: z.number() });
// `url` since Zulip 9.0; `uri` before (still sent, deprecated).
const uploaded = z.looseObject({ result: z.literal("success"), url: z.string().optional(), uri: z.string().optional() });

export interface ZulipApiOptions extends HttpClientOptions {
  /** The server, without a trailing slash. */
  readonly apiUrl: string;
  readonly email: string;
  readonly apiKey: string;
  /** How long one upload may take. Default 5 minutes. */
  readonly uploadTimeoutMs?: number;
}

/** A stream message. */
export interface StreamMessage {
  readonly stream: string;
  readonly topic: string;
  readonly content: string;
}

export class ZulipApi {
  private readonly http: HttpClient;
  private readonly uploads: HttpClient;
  private readonly authorization: string;

  constructor(private readonly options: ZulipApiOptions) {
    this.http = new HttpClient(options);
    this.uploads = new HttpClient({ ...options, timeoutMs: options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS });
    this.authorization = basicAuth(options.email, options.apiKey);
  }

  /** Sends a stream message; returns its id. */
  async sendStreamMessage(message: StreamMessage, signal?: AbortSignal): Promise<number> {
    // `to` as a JSON string, as Zulip's docs send it: a bare stream name made of digits would be read as a stream id.
    const form = new URLSearchParams({ type: "stream", to: JSON.stringify(message.stream), topic: message.topic, content: message.content });
    const body = await this.call(this.http, "messages", form, signal);
    const parsed = sent.safeParse(body);
    if (!parsed.success) throw new DeliveryError(`${SERVICE} messages answered without a message id`, { retryable: false });
    return parsed.data.id;
  }

  /** Uploads a file; returns its link as Zulip gives it (`/user_uploads/...`, relative to the server). */
  async upload(file: AttachedFile, signal?: AbortSignal): Promise<string> {
    const form = new FormData();
    form.append("filename", new Blob([file.bytes], { type: file.contentType }), file.filename);
    const body = await this.call(this.uploads, "user_uploads", form, signal);
    const parsed = uploaded.safeParse(body);
    const url = parsed.data?.url ?? parsed.data?.uri;
    if (url === undefined) throw new DeliveryError(`${SERVICE} user_uploads answered without the file's url`, { retryable: false });
    return url;
  }

  private async call(http: HttpClient, endpoint: string, body: URLSearchParams | FormData, signal?: AbortSignal): Promise<unknown> {
    return http.sendForJson({
      service: SERVICE,
      url: `${this.options.apiUrl}/api/v1/${endpoint}`,
      init: { method: "POST", headers: { authorization: this.authorization, "user-agent": "RobustaTS-zulip-sink" }, body },
      signal,
      errorOf: (response, now) => errorOf(endpoint, response, now),
    });
  }
}

function errorOf(endpoint: string, response: Response, now: number): Promise<DeliveryError> {
  return serviceError(response, now, {
    service: `${SERVICE} ${endpoint}`,
    parse: (json) => answer.safeParse(json).data,
    explain: ({ body, text }) => {
      const what = body?.msg ?? (text.trim().slice(0, 300) || response.statusText);
      const code = body?.code ? ` (${body.code})` : "";
      const hint = response.status === 401 ? "; check bot_email and bot_api_key" : "";
      return `${what}${code}${hint}`;
    },
    retryAfterMs: ({ body }) => retryAfterHeader(response, now) ?? secondsToMs(body?.["retry-after"]),
  });
}

const secondsToMs = (seconds: number | undefined): number | undefined => (seconds === undefined ? undefined : Math.ceil(seconds * 1000));
