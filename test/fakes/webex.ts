/**
 * A fake Webex messages API on loopback, for the Webex sink's tests. POST /v1/messages takes
 * JSON ({roomId, markdown | text}) or multipart (roomId, one `files` part), as Webex does, with
 * Webex's error body ({message, errors: [{description}], trackingId}):
 * - 401 without the bot's Bearer token;
 * - 404 for a room the bot is not in;
 * - 400 for a message over 7439 bytes, more than one file, or nothing to send;
 * - 413 for a file over `maxFileBytes` (100 MB);
 * - `failNext`: the next calls get a status, with Retry-After (429, 5xx).
 * Every call and every message posted is recorded.
 */
import { randomUUID } from "node:crypto";
import { type Answer, HttpFake, type Incoming } from "./http-fake.js";

export const WEBEX_MAX_MESSAGE_BYTES = 7439;

export interface FakeWebexOptions {
  /** The bot's access token. Default "bot-token". */
  readonly token?: string;
  /** The rooms the bot is in. Default ["room-default"]. */
  readonly rooms?: readonly string[];
  /** Webex's largest file. Default 100 MB. */
  readonly maxFileBytes?: number;
}

export interface WebexFailure {
  readonly status: number;
  /** Retry-After, in seconds. */
  readonly retryAfter?: string;
  /** Webex's message. Default: a generic one. */
  readonly message?: string;
}

export interface WebexCall {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly authorization?: string;
  /** "json" or "multipart". */
  readonly kind: string;
}

export interface FakeWebexMessage {
  readonly id: string;
  readonly roomId: string;
  readonly markdown?: string;
  readonly text?: string;
  readonly file?: { readonly name: string; readonly contentType: string; readonly contents: Buffer };
}

const webexError = (message: string) => ({ message, errors: [{ description: message }], trackingId: `ROUTER_${randomUUID().toUpperCase()}` });

export class FakeWebex extends HttpFake<WebexFailure> {
  readonly calls: WebexCall[] = [];
  readonly messages: FakeWebexMessage[] = [];
  private readonly token: string;
  private readonly rooms: ReadonlySet<string>;
  private readonly maxFileBytes: number;

  private constructor(options: FakeWebexOptions) {
    super();
    this.token = options.token ?? "bot-token";
    this.rooms = new Set(options.rooms ?? ["room-default"]);
    this.maxFileBytes = options.maxFileBytes ?? 100 * 1024 * 1024;
  }

  /** Starts the API on 127.0.0.1 and a free port; its `url` is the sink's `api_url`. */
  static start(options: FakeWebexOptions = {}): Promise<FakeWebex> {
    return new FakeWebex(options).listen();
  }

  /** Answers `count` calls with `failure`: the next ones, or those after `afterCalls` more calls are answered as usual. */
  override failNext(count: number, failure: WebexFailure, afterCalls = 0): void {
    this.queueFailures(count, failure, { afterCalls });
  }

  protected override async respond({ method, url, headers, bytes: raw }: Incoming): Promise<Answer> {
    const contentType = headers["content-type"] ?? "";
    const kind = contentType.startsWith("multipart/form-data") ? "multipart" : "json";
    const path = url.pathname;
    const authorization = headers.authorization;
    const answer = (status: number, body: unknown, extra: Record<string, string> = {}): Answer => {
      this.calls.push({ method, path, status, kind, ...(authorization !== undefined && { authorization }) });
      return { status, body, headers: { "content-type": "application/json;charset=UTF-8", trackingid: `ROUTER_${randomUUID()}`, ...extra } };
    };

    const failure = this.takeFailure();
    if (failure) {
      return answer(failure.status, webexError(failure.message ?? "Service Unavailable"), {
        ...(failure.retryAfter !== undefined && { "retry-after": failure.retryAfter }),
      });
    }
    if (method !== "POST" || path !== "/v1/messages") return answer(404, webexError("The requested resource could not be found."));
    if (authorization !== `Bearer ${this.token}`) {
      return answer(401, webexError("The request requires a valid access token set in the Authorization request header."));
    }

    let fields: { roomId?: string; markdown?: string; text?: string; files: File[] };
    try {
      if (kind === "multipart") {
        const form = await new Response(new Uint8Array(raw), { headers: { "content-type": contentType } }).formData();
        const text = (name: string) => (typeof form.get(name) === "string" ? (form.get(name) as string) : undefined);
        fields = {
          ...optional("roomId", text("roomId")),
          ...optional("markdown", text("markdown")),
          ...optional("text", text("text")),
          files: form.getAll("files").filter((f): f is File => typeof f !== "string"),
        };
      } else {
        fields = { ...(JSON.parse(raw.toString("utf8")) as Omit<typeof fields, "files">), files: [] };
      }
    } catch {
      return answer(400, webexError("Unable to parse the request body."));
    }
    const { roomId, markdown, text, files } = fields;
    if (!roomId) return answer(400, webexError("Either roomId, toPersonId or toPersonEmail must be specified."));
    if (!this.rooms.has(roomId)) return answer(404, webexError("Could not find a room with provided ID."));
    if (markdown === undefined && text === undefined && files.length === 0) return answer(400, webexError("Either text, markdown or files must be specified."));
    if (Buffer.byteLength(markdown ?? text ?? "", "utf8") > WEBEX_MAX_MESSAGE_BYTES) {
      return answer(400, webexError('Unable to post message to room: "The request payload is too big"'));
    }
    if (files.length > 1) return answer(400, webexError("Only one file is allowed per message."));
    const [upload] = files;
    if (upload && upload.size > this.maxFileBytes) return answer(413, webexError('Unable to post message to room: "The request payload is too big"'));

    const message: FakeWebexMessage = {
      id: randomUUID(),
      roomId,
      ...optional("markdown", markdown),
      ...optional("text", text),
      ...(upload && { file: { name: upload.name, contentType: upload.type, contents: Buffer.from(await upload.arrayBuffer()) } }),
    };
    this.messages.push(message);
    return answer(200, {
      id: message.id,
      roomId,
      roomType: "group",
      ...optional("markdown", markdown),
      ...optional("text", text ?? markdown),
      ...(upload && { files: [`${this.url}/v1/contents/${randomUUID()}`] }),
      personId: "bot-person-id",
      personEmail: "robusta@webex.bot",
      created: new Date().toISOString(),
    });
  }
}

const optional = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
