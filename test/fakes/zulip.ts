/**
 * A fake Zulip server (zulip.com/api) for tests, on loopback: POST /api/v1/messages (form-encoded)
 * and POST /api/v1/user_uploads (multipart), with HTTP basic auth, answering as Zulip does:
 * - `{result: "success", msg: "", id}` / `{result: "success", msg: "", uri, url, filename}`;
 * - `{result: "error", msg, code, ...}` otherwise: 401 INVALID_API_KEY, 400 STREAM_DOES_NOT_EXIST
 *   ("Channel 'x' does not exist"), REQUEST_VARIABLE_MISSING, "Message must not be empty",
 *   "Uploaded file is larger than the allowed limit of 25 MiB";
 * - content over 10000 characters and topics over 60 are truncated by the server, as Zulip does
 *   ("\n[message truncated]", "..."): the message records that it happened;
 * - injected failures (`failNext`), e.g. `zulipRateLimit(0.5)`: 429 RATE_LIMIT_HIT with a
 *   Retry-After header and "retry-after" in the body.
 */
import { randomBytes } from "node:crypto";
import { type Answer, HttpFake, type Incoming } from "./http-fake.js";

export const ZULIP_MAX_MESSAGE_LENGTH = 10_000;
export const ZULIP_MAX_TOPIC_LENGTH = 60;
export const ZULIP_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export interface ZulipFailure {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  /** Sent as the Retry-After header. */
  readonly retryAfter?: string;
}

/** Zulip's answer when a client passes its rate limit. */
export const zulipRateLimit = (seconds: number): ZulipFailure => ({
  status: 429,
  retryAfter: String(seconds),
  body: { result: "error", msg: "API usage exceeded rate limit", code: "RATE_LIMIT_HIT", "retry-after": seconds },
});

export interface ZulipMessage {
  readonly id: number;
  readonly sender: string;
  readonly stream: string;
  /** As stored: cut by the server if it was too long. */
  readonly topic: string;
  readonly content: string;
  /** Whether the server had to cut the content or the topic. */
  readonly truncatedByServer: boolean;
}

export interface ZulipUpload {
  /** `/user_uploads/...`, as returned. */
  readonly url: string;
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export interface ZulipCall {
  readonly endpoint: string;
  readonly status: number;
  readonly response: unknown;
  /** The form fields of a message; the file name of an upload. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface FakeZulipOptions {
  readonly email: string;
  readonly apiKey: string;
  readonly streams: readonly string[];
  /** Default 25 MiB (MAX_FILE_UPLOAD_SIZE). */
  readonly maxUploadBytes?: number;
}

/** What an injected failure's filter is told of a request. */
export interface FailureProbe {
  readonly endpoint: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** Which requests an injected failure applies to. */
export type FailureFilter = (request: FailureProbe) => boolean;

const codePoints = (text: string): number => Array.from(text).length;

/** Zulip's truncate_content: cut to `max` characters, the marker included. */
function truncate(text: string, max: number, marker: string): string {
  const points = Array.from(text);
  return points.length <= max ? text : points.slice(0, max - codePoints(marker)).join("") + marker;
}

const error = (status: number, msg: string, code: string, extra: Record<string, unknown> = {}): ZulipFailure => ({ status, body: { result: "error", msg, code, ...extra } });

export class FakeZulip extends HttpFake<ZulipFailure, FailureProbe> {
  readonly calls: ZulipCall[] = [];
  readonly messages: ZulipMessage[] = [];
  readonly uploads: ZulipUpload[] = [];
  private nextId = 100;

  private constructor(private readonly options: FakeZulipOptions) {
    super();
  }

  /** Starts the server on 127.0.0.1 and a free port; its `url` is the sink's `api_url`. */
  static start(options: FakeZulipOptions): Promise<FakeZulip> {
    return new FakeZulip(options).listen();
  }

  /** Answers the next `count` authenticated requests (those `when` picks, default any) with `failure`. */
  override failNext(count: number, failure: ZulipFailure, when: FailureFilter = () => true): void {
    this.queueFailures(count, failure, { when });
  }

  protected override async respond({ method, path, headers, bytes: raw }: Incoming): Promise<Answer> {
    const endpoint = /^\/api\/v1\/(messages|user_uploads)$/.exec(path)?.[1] ?? path;
    const contentType = headers["content-type"] ?? "";
    let fields: Record<string, string> = {};
    let file: Omit<ZulipUpload, "url"> | undefined;
    let files = 0;
    if (contentType.startsWith("application/x-www-form-urlencoded")) fields = Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
    else if (contentType.startsWith("multipart/form-data")) {
      for (const [name, value] of await new Response(raw, { headers: { "content-type": contentType } }).formData()) {
        if (typeof value === "string") fields[name] = value;
        else {
          files++;
          file = { filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
        }
      }
    }
    const answer = (status: number, body: unknown, extra: Record<string, string> = {}): Answer => {
      this.calls.push({ endpoint, status, response: body, fields: file ? { filename: file.filename } : fields });
      return { status, body, headers: extra };
    };
    const fail = ({ status, body, retryAfter }: ZulipFailure) => answer(status, body, retryAfter !== undefined ? { "retry-after": retryAfter } : {});

    if (method !== "POST" || (endpoint !== "messages" && endpoint !== "user_uploads")) return fail(error(404, "Not Found", "BAD_REQUEST"));
    const [scheme, credentials] = (headers.authorization ?? "").split(" ");
    if (scheme !== "Basic" || !credentials) return answer(401, error(401, "Missing 'Authorization' header.", "UNAUTHORIZED").body, { "www-authenticate": 'Basic realm="zulip"' });
    const decoded = Buffer.from(credentials, "base64").toString("utf8");
    if (decoded !== `${this.options.email}:${this.options.apiKey}`) return answer(401, error(401, "Invalid API key", "INVALID_API_KEY").body, { "www-authenticate": 'Basic realm="zulip"' });
    const injected = this.takeFailure({ endpoint, fields: file ? { filename: file.filename } : fields });
    if (injected) return fail(injected);

    if (endpoint === "user_uploads") {
      if (files !== 1 || !file) return fail(error(400, "You must specify a file to upload", "BAD_REQUEST"));
      const max = this.options.maxUploadBytes ?? ZULIP_MAX_UPLOAD_BYTES;
      if (file.bytes.length > max) return fail(error(400, `Uploaded file is larger than the allowed limit of ${Math.round(max / 1024 / 1024)} MiB`, "BAD_REQUEST"));
      const url = `/user_uploads/2/${randomBytes(1).toString("hex")}/${randomBytes(12).toString("base64url")}/${file.filename.replace(/[^\w.-]/g, "_")}`;
      this.uploads.push({ ...file, url });
      return answer(200, { result: "success", msg: "", uri: url, url, filename: file.filename });
    }

    for (const name of ["type", "to", "content"]) {
      if (fields[name] === undefined) return fail(error(400, `Missing '${name}' argument`, "REQUEST_VARIABLE_MISSING", { var_name: name }));
    }
    if (fields.type !== "stream" && fields.type !== "channel") return fail(error(400, `This fake takes stream messages only, not "${fields.type}"`, "BAD_REQUEST"));
    const stream = streamName(fields.to!);
    if (!this.options.streams.includes(stream)) return fail(error(400, `Channel '${stream}' does not exist`, "STREAM_DOES_NOT_EXIST", { stream }));
    const body = fields.content!.replace(/^\n+/, "").trimEnd();
    if (body === "") return fail(error(400, "Message must not be empty", "BAD_REQUEST"));
    const topicGiven = (fields.topic ?? "").trim();
    if (topicGiven === "") return fail(error(400, "Topics are required in this organization.", "BAD_REQUEST"));
    const content = truncate(body, ZULIP_MAX_MESSAGE_LENGTH, "\n[message truncated]");
    const topic = truncate(topicGiven, ZULIP_MAX_TOPIC_LENGTH, "...");
    const message = { id: this.nextId++, sender: this.options.email, stream, topic, content, truncatedByServer: content !== body || topic !== topicGiven };
    this.messages.push(message);
    return answer(200, { result: "success", msg: "", id: message.id });
  }
}

/** `to` as Zulip reads it: JSON (a quoted name, or an id), else the raw name. */
function streamName(to: string): string {
  try {
    const parsed = JSON.parse(to) as unknown;
    if (typeof parsed === "string") return parsed;
    if (typeof parsed === "number") return `#${parsed}`;
  } catch {
    // a bare name
  }
  return to;
}
