/**
 * A loopback fake of Slack's Web API, close enough to the real one for @slack/web-api, Bolt and
 * Socket Mode: auth, channels by name or id, Block Kit limits, chat.postMessage / chat.update /
 * chat.postEphemeral, the external file upload flow with permalinks, apps.connections.open with
 * its own Socket Mode websocket, per-channel rate limits (1 post per second, answered with 429
 * and Retry-After), an outage switch, and injected failures. Time comes from `now()`, so tests
 * drive rate limits with a virtual clock. Every call is recorded for assertions.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { blockKitErrors } from "./block-kit.js";
import { FakeSocketMode, type SocketAck } from "./fake-socket-mode.js";
import { blockActionsPayload, signedInteractivityRequest, type PressOptions } from "./interaction-payloads.js";

export type { SocketAck } from "./fake-socket-mode.js";
export type { PressOptions } from "./interaction-payloads.js";

export interface FakeSlackOptions {
  /** The bot token (xoxb-) the Web API accepts. Default "xoxb-fake-bot-token". */
  readonly botToken?: string;
  /** The app-level token (xapp-) apps.connections.open accepts. Default "xapp-fake-app-token". */
  readonly appToken?: string;
  /** The signing secret of interactivity requests the fake signs. Default "fake-signing-secret". */
  readonly signingSecret?: string;
  /** Channel name → id. Default { alerts: "C0ALERTS", ops: "C0OPS", "prod-alerts": "C0PROD" }. */
  readonly channels?: Readonly<Record<string, string>>;
  /** Milliseconds since the epoch; rate limits and `ts` values use it. Default Date.now. */
  readonly now?: () => number;
}

/** One Web API call as the fake received it. */
export interface SlackCall {
  readonly method: string;
  /** The arguments, with JSON-encoded form values (blocks, attachments, files) decoded. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly status: number;
  readonly response: Readonly<Record<string, unknown>>;
  readonly at: number;
}

/** A message in a channel, as posted and then edited. */
export interface FakeMessage {
  readonly channel: string;
  readonly ts: string;
  text: string;
  blocks: unknown[];
  attachments: unknown[];
  readonly threadTs?: string;
  readonly unfurlLinks?: boolean;
  readonly unfurlMedia?: boolean;
  /** Earlier versions, oldest first, before each chat.update. */
  readonly history: { text: string; blocks: unknown[] }[];
}

export interface FakeEphemeral {
  readonly channel: string;
  readonly user: string;
  readonly text: string;
  readonly threadTs?: string;
}

export interface FakeFile {
  readonly id: string;
  readonly filename: string;
  readonly length: number;
  content?: Buffer;
  title?: string;
  permalink?: string;
}

/** A failure to answer the next calls of a method with. */
export type InjectedFailure =
  /** HTTP 200 with `{ok: false, error}` (and Slack's `errors` list, if given). */
  | { readonly error: string; readonly errors?: readonly string[] }
  /** An HTTP status, with Retry-After when given. */
  | { readonly status: number; readonly retryAfterSeconds?: number; readonly body?: string }
  /** The connection is dropped without an answer. */
  | { readonly drop: true };

const BOT = { userId: "U0BOT", botId: "B0BOT", teamId: "T0FAKE" };

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly messages: FakeMessage[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly files = new Map<string, FakeFile>();
  /** Upload URL requests (step 2 of the upload flow), by file id. */
  readonly uploadRequests: string[] = [];
  readonly socketMode: FakeSocketMode;
  /** When set, files.completeUploadExternal answers only `{id, title}` per file, as Slack's documented example does. */
  minimalCompleteResponse = false;

  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;
  readonly now: () => number;

  private readonly channels: Map<string, string>;
  private readonly lastPost = new Map<string, number>();
  private readonly failures = new Map<string, { failure: InjectedFailure; times: number }[]>();
  private outageUntil = 0;
  private seq = 0;

  private constructor(
    private readonly server: Server,
    options: FakeSlackOptions,
  ) {
    this.botToken = options.botToken ?? "xoxb-fake-bot-token";
    this.appToken = options.appToken ?? "xapp-fake-app-token";
    this.signingSecret = options.signingSecret ?? "fake-signing-secret";
    this.now = options.now ?? Date.now;
    this.channels = new Map(Object.entries(options.channels ?? { alerts: "C0ALERTS", ops: "C0OPS", "prod-alerts": "C0PROD" }));
    this.socketMode = new FakeSocketMode(server);
  }

  /** Starts a fake on 127.0.0.1 with a free port. */
  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((request, response) => void fake!.handle(request, response));
    fake = new FakeSlack(server, options);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  private get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The Web API base URL (WebClient's `slackApiUrl`), ending in "/api/". */
  get apiUrl(): string {
    return `http://${this.host}/api/`;
  }

  /** Calls of one method. */
  callsTo(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Top-level messages of a channel (by id), in order. */
  channelMessages(channel: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === undefined);
  }

  /** Replies in the thread of `ts`. */
  replies(channel: string, ts: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === ts);
  }

  message(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** Answers the next `times` calls of `method` with `failure`. */
  failNext(method: string, failure: InjectedFailure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ failure, times });
    this.failures.set(method, queue);
  }

  /** Answers every Web API call with 429 for `ms` (from now()), as in a Slack-wide rate limit or outage. */
  rateLimitFor(ms: number): void {
    this.outageUntil = this.now() + ms;
  }

  /** Sends a button press of the message's button `actionId` over Socket Mode; resolves with the app's ack. */
  pressViaSocket(options: PressOptions): Promise<SocketAck> {
    return this.socketMode.send("interactive", this.pressPayload(options));
  }

  /** The block_actions payload Slack sends when the button `actionId` of a stored message is pressed. */
  pressPayload(options: PressOptions): Record<string, unknown> {
    const message = this.message(options.channel, options.ts);
    if (!message) throw new Error(`no message ${options.ts} in ${options.channel}`);
    return blockActionsPayload(message, options, { teamId: BOT.teamId, channelName: this.channelName(options.channel) });
  }

  /**
   * An interactivity request as Slack sends it to a request URL (form-encoded `payload`, signed
   * with `x-slack-signature` and `x-slack-request-timestamp`), to hand to a handler or fetch.
   */
  interactivityRequest(
    url: string,
    payload: unknown,
    options: { signingSecret?: string; timestampSeconds?: number } = {},
  ): Request {
    return signedInteractivityRequest(url, payload, options.signingSecret ?? this.signingSecret, options.timestampSeconds ?? Math.floor(this.now() / 1000));
  }

  async close(): Promise<void> {
    await this.socketMode.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -- HTTP ---------------------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", `http://${this.host}`);
    const body = await readBody(request);
    if (url.pathname.startsWith("/upload/")) return this.upload(url.pathname.slice("/upload/".length), body, response);
    const method = url.pathname.replace(/^\/api\//, "");
    const args = parseArgs(request.headers["content-type"] ?? "", body);
    const token = bearer(request.headers.authorization) ?? (typeof args.token === "string" ? args.token : undefined);
    const answer = this.answer(method, args, token);
    if ("drop" in answer) {
      this.calls.push({ method, args, status: 0, response: {}, at: this.now() });
      request.socket.destroy();
      return;
    }
    this.calls.push({ method, args, status: answer.status, response: answer.body, at: this.now() });
    response.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", ...answer.headers });
    response.end(JSON.stringify(answer.body));
  }

  private answer(
    method: string,
    args: Record<string, unknown>,
    token: string | undefined,
  ): { status: number; body: Record<string, unknown>; headers?: Record<string, string> } | { drop: true } {
    const injected = this.takeFailure(method);
    if (injected) {
      if ("drop" in injected) return { drop: true };
      if ("error" in injected) return failed(injected.error, injected.errors);
      return {
        status: injected.status,
        body: { ok: false, error: injected.body ?? `http_${injected.status}` },
        ...(injected.retryAfterSeconds !== undefined && { headers: { "retry-after": String(injected.retryAfterSeconds) } }),
      };
    }
    const now = this.now();
    if (now < this.outageUntil) return rateLimited(Math.ceil((this.outageUntil - now) / 1000));
    if (token === undefined) return failed("not_authed");
    const appMethod = method === "apps.connections.open";
    if (token !== this.botToken && token !== this.appToken) return failed("invalid_auth");
    if (appMethod !== (token === this.appToken)) return failed("not_allowed_token_type");
    switch (method) {
      case "auth.test":
        return ok({ url: "https://fake.slack.com/", team: "Fake", user: "robusta", team_id: BOT.teamId, user_id: BOT.userId, bot_id: BOT.botId });
      case "apps.connections.open":
        return ok({ url: this.socketMode.ticketUrl(this.host) });
      case "chat.postMessage":
        return this.postMessage(args, now);
      case "chat.update":
        return this.update(args);
      case "chat.postEphemeral":
        return this.postEphemeral(args, now);
      case "files.getUploadURLExternal":
        return this.uploadUrl(args);
      case "files.completeUploadExternal":
        return this.completeUpload(args);
      case "files.info": {
        const file = this.files.get(String(args.file));
        return file?.permalink ? ok({ file: { id: file.id, name: file.filename, title: file.title, permalink: file.permalink } }) : failed("file_not_found");
      }
      default:
        return failed("unknown_method");
    }
  }

  private takeFailure(method: string): InjectedFailure | undefined {
    const queue = this.failures.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.times -= 1;
    if (head.times <= 0) queue.shift();
    return head.failure;
  }

  private postMessage(args: Record<string, unknown>, now: number) {
    const channel = this.channelId(args.channel);
    if (!channel) return failed("channel_not_found");
    const content = this.content(args, false);
    if ("error" in content) return content.error;
    // Slack allows about one message per second per channel (short bursts aside).
    const last = this.lastPost.get(channel);
    if (last !== undefined && now - last < 1000) return rateLimited(Math.max(1, Math.ceil((1000 - (now - last)) / 1000)));
    this.lastPost.set(channel, now);
    const ts = this.nextTs(now);
    const threadTs = typeof args.thread_ts === "string" && args.thread_ts !== "" ? args.thread_ts : undefined;
    const message: FakeMessage = {
      channel,
      ts,
      text: content.text,
      blocks: content.blocks ?? [],
      attachments: content.attachments ?? [],
      ...(threadTs !== undefined && { threadTs }),
      ...(typeof args.unfurl_links === "boolean" && { unfurlLinks: args.unfurl_links }),
      ...(typeof args.unfurl_media === "boolean" && { unfurlMedia: args.unfurl_media }),
      history: [],
    };
    this.messages.push(message);
    return ok({ channel, ts, message: { type: "message", text: message.text, blocks: message.blocks, ts, bot_id: BOT.botId } });
  }

  private update(args: Record<string, unknown>) {
    // chat.update takes channel ids only.
    const channel = typeof args.channel === "string" && [...this.channels.values()].includes(args.channel) ? args.channel : undefined;
    if (!channel) return failed("channel_not_found");
    const message = typeof args.ts === "string" ? this.message(channel, args.ts) : undefined;
    if (!message) return failed("message_not_found");
    const content = this.content(args, true);
    if ("error" in content) return content.error;
    message.history.push({ text: message.text, blocks: message.blocks });
    message.text = content.text;
    // Fields left out keep their earlier value, as in Slack.
    if (content.blocks !== undefined) message.blocks = content.blocks;
    if (content.attachments !== undefined) message.attachments = content.attachments;
    return ok({ channel, ts: message.ts, text: message.text, message: { text: message.text, blocks: message.blocks } });
  }

  private postEphemeral(args: Record<string, unknown>, now: number) {
    const channel = this.channelId(args.channel);
    if (!channel) return failed("channel_not_found");
    if (typeof args.user !== "string" || args.user === "") return failed("user_not_found");
    const content = this.content(args, false);
    if ("error" in content) return content.error;
    this.ephemerals.push({
      channel,
      user: args.user,
      text: content.text,
      ...(typeof args.thread_ts === "string" && { threadTs: args.thread_ts }),
    });
    return ok({ message_ts: this.nextTs(now) });
  }

  private uploadUrl(args: Record<string, unknown>) {
    const filename = typeof args.filename === "string" ? args.filename : "";
    const length = Number(args.length);
    if (filename === "" || !Number.isInteger(length)) return failed("invalid_arguments");
    if (length === 0) return failed("invalid_arguments", ["file must not be empty"]);
    const id = `F${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;
    this.files.set(id, { id, filename, length });
    return ok({ upload_url: `http://${this.host}/upload/${id}`, file_id: id });
  }

  private upload(id: string, body: Buffer, response: ServerResponse): void {
    this.uploadRequests.push(id);
    const file = this.files.get(id);
    if (!file) {
      response.writeHead(404).end("not found");
      return;
    }
    file.content = body;
    response.writeHead(200, { "content-type": "text/plain" }).end(`OK - ${body.length}`);
  }

  private completeUpload(args: Record<string, unknown>) {
    if (!Array.isArray(args.files) || args.files.length === 0) return failed("invalid_arguments");
    const completed: Record<string, unknown>[] = [];
    for (const entry of args.files as unknown[]) {
      const id = typeof entry === "object" && entry !== null && "id" in entry ? String(entry.id) : "";
      const file = this.files.get(id);
      if (!file || file.content === undefined) return failed("file_not_found");
      file.title = typeof entry === "object" && entry !== null && "title" in entry ? String(entry.title) : file.filename;
      file.permalink = `https://fake.slack.com/files/${BOT.userId}/${id}/${encodeURIComponent(file.filename)}`;
      completed.push(
        this.minimalCompleteResponse ? { id, title: file.title } : { id, name: file.filename, title: file.title, size: file.content.length, permalink: file.permalink },
      );
    }
    if (args.channel_id !== undefined && !this.channelId(args.channel_id)) return failed("channel_not_found");
    return ok({ files: completed });
  }

  /** The message content of a post or update, or Slack's error for it. */
  private content(
    args: Record<string, unknown>,
    isUpdate: boolean,
  ): { text: string; blocks?: unknown[]; attachments?: unknown[] } | { error: ReturnType<typeof failed> } {
    const text = typeof args.text === "string" ? args.text : "";
    const blocks = args.blocks === undefined ? undefined : args.blocks;
    const attachments = args.attachments === undefined ? undefined : args.attachments;
    if (!isUpdate && text === "" && blocks === undefined && attachments === undefined) return { error: failed("no_text") };
    if (text.length > 40_000) return { error: failed("msg_too_long") };
    const errors = [
      ...(blocks === undefined ? [] : blockKitErrors(blocks)),
      ...(Array.isArray(attachments)
        ? attachments.flatMap((attachment, i) =>
            typeof attachment === "object" && attachment !== null && "blocks" in attachment ? blockKitErrors(attachment.blocks, `/attachments/${i}/blocks`) : [],
          )
        : []),
    ];
    if (errors.length > 0) return { error: failed("invalid_blocks", errors) };
    return {
      text,
      ...(Array.isArray(blocks) && { blocks }),
      ...(Array.isArray(attachments) && { attachments }),
    };
  }

  private channelId(channel: unknown): string | undefined {
    if (typeof channel !== "string") return undefined;
    if ([...this.channels.values()].includes(channel)) return channel;
    return this.channels.get(channel.replace(/^#/, ""));
  }

  private channelName(id: string): string {
    return [...this.channels].find(([, value]) => value === id)?.[0] ?? id;
  }

  private nextTs(now: number): string {
    this.seq += 1;
    return `${Math.floor(now / 1000)}.${String(this.seq).padStart(6, "0")}`;
  }
}

const ok = (body: Record<string, unknown>) => ({ status: 200, body: { ok: true, ...body } });

function failed(error: string, errors?: readonly string[]) {
  return {
    status: 200,
    body: {
      ok: false,
      error,
      ...(errors !== undefined && { errors: [...errors], response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } }),
    },
  };
}

const rateLimited = (retryAfterSeconds: number) => ({
  status: 429,
  body: { ok: false, error: "ratelimited" },
  headers: { "retry-after": String(retryAfterSeconds) },
});

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer (.+)$/.exec(header ?? "");
  return match?.[1];
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const JSON_FIELDS = new Set(["blocks", "attachments", "files", "metadata"]);

/** Web API arguments: form-encoded (objects JSON-encoded, as WebClient sends them) or JSON. */
function parseArgs(contentType: string, body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8");
  if (contentType.startsWith("application/json")) {
    try {
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (JSON_FIELDS.has(key)) {
      try {
        args[key] = JSON.parse(value);
      } catch {
        args[key] = value;
      }
    } else if (value === "true" || value === "false") {
      args[key] = value === "true";
    } else {
      args[key] = value;
    }
  }
  return args;
}
