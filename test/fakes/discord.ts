/**
 * A fake Discord for webhook tests, answering POST /api[/v10]/webhooks/<id>/<token> as Discord
 * does (discord.com/developers/docs: Execute Webhook, Embed Limits, Uploading Files, Rate Limits):
 * - JSON bodies, or multipart/form-data with payload_json and files[n] (each with a filename);
 * - the message limits, counted in code points and refused as Discord refuses them: 400
 *   {code: 50035, message: "Invalid Form Body", errors: {embeds: {0: {fields: {3: {value:
 *   {_errors: [{code, message}]}}}}}}}, with MAX_EMBED_SIZE_EXCEEDED past 6000 characters;
 * - a file over the upload limit (10 MiB): 413 {code: 40005, message: "Request entity too large"};
 * - an empty message: 400 {code: 50006, message: "Cannot send an empty message"};
 * - an unknown webhook: 404 {code: 10015, message: "Unknown Webhook"}; a wrong token: 401
 *   {code: 50027, message: "Invalid Webhook Token"};
 * - `?wait=true`: 200 with the created message; otherwise 204.
 * - a request over 25 MiB: 413 {code: 40005, message: "Request entity too large"};
 * `failNext` answers the next requests with a rate limit (429 with Discord's body and headers)
 * or another status. On a path without an API version (Discord serves it as v6), or on /v6 or
 * /v7, a rate limit's retry_after and Retry-After are in milliseconds, as there. Every request is
 * recorded.
 */
import { type Answer, countFirst, HttpFake, type Incoming } from "./http-fake.js";

export const FAKE_DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedsTotal: 6000,
  files: 10,
  fileBytes: 10 * 1024 * 1024,
  requestBytes: 25 * 1024 * 1024,
} as const;

export interface ReceivedFile {
  /** The form field: files[n]. */
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export interface DiscordCall {
  /** The path, without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string;
  readonly status: number;
  /** What Discord answered. */
  readonly answer: unknown;
  /** The message JSON (the body, or payload_json), when it could be read. */
  readonly message?: Record<string, unknown>;
  readonly files: readonly ReceivedFile[];
}

export type DiscordFailure =
  /** 429 as Discord sends it: {message, retry_after, global} and the Retry-After and X-RateLimit-* headers. */
  | { readonly kind: "rate-limit"; readonly retryAfter: number; readonly global?: boolean }
  | { readonly kind: "status"; readonly status: number; readonly body?: unknown };

type ErrorTree = { [key: string]: ErrorTree } & { _errors?: { code: string; message: string }[] };

const codePoints = (text: string): number => Array.from(text).length;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Collects field errors in Discord's nested shape. */
class FormErrors {
  readonly tree: ErrorTree = {};
  count = 0;

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const key of path) node = (node[String(key)] ??= {} as ErrorTree);
    (node._errors ??= []).push({ code, message });
    this.count++;
  }

  maxLength(path: readonly (string | number)[], value: unknown, max: number): void {
    if (typeof value === "string" && codePoints(value) > max) this.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
  }

  required(path: readonly (string | number)[], value: unknown): void {
    if (typeof value !== "string" || value.trim() === "") this.add(path, "BASE_TYPE_REQUIRED", "This field is required");
  }
}

/** The form errors Discord would answer for `message` with `fileCount` files. */
export function validateDiscordMessage(message: Record<string, unknown>, fileCount: number): FormErrors {
  const L = FAKE_DISCORD_LIMITS;
  const errors = new FormErrors();
  errors.maxLength(["content"], message.content, L.content);
  const embeds = message.embeds ?? [];
  if (!Array.isArray(embeds)) errors.add(["embeds"], "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType");
  else if (embeds.length > L.embeds) errors.add(["embeds"], "BASE_TYPE_MAX_LENGTH", `Must be ${L.embeds} or fewer in length.`);
  else {
    let total = 0;
    const count = (value: unknown) => (total += typeof value === "string" ? codePoints(value) : 0);
    embeds.forEach((embed: unknown, i) => {
      if (!isRecord(embed)) return errors.add(["embeds", i], "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      errors.maxLength(["embeds", i, "title"], embed.title, L.title);
      errors.maxLength(["embeds", i, "description"], embed.description, L.description);
      count(embed.title);
      count(embed.description);
      if (embed.color !== undefined && (!Number.isInteger(embed.color) || (embed.color as number) < 0 || (embed.color as number) > 0xffffff)) {
        errors.add(["embeds", i, "color"], "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215.");
      }
      const footer = isRecord(embed.footer) ? embed.footer : {};
      const author = isRecord(embed.author) ? embed.author : {};
      errors.maxLength(["embeds", i, "footer", "text"], footer.text, L.footerText);
      errors.maxLength(["embeds", i, "author", "name"], author.name, L.authorName);
      count(footer.text);
      count(author.name);
      const fields = embed.fields ?? [];
      if (!Array.isArray(fields)) return errors.add(["embeds", i, "fields"], "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType");
      if (fields.length > L.fields) errors.add(["embeds", i, "fields"], "BASE_TYPE_MAX_LENGTH", `Must be ${L.fields} or fewer in length.`);
      fields.forEach((field: unknown, j) => {
        const { name, value } = isRecord(field) ? field : {};
        errors.required(["embeds", i, "fields", j, "name"], name);
        errors.required(["embeds", i, "fields", j, "value"], value);
        errors.maxLength(["embeds", i, "fields", j, "name"], name, L.fieldName);
        errors.maxLength(["embeds", i, "fields", j, "value"], value, L.fieldValue);
        count(name);
        count(value);
      });
    });
    if (total > L.embedsTotal) errors.add(["embeds"], "MAX_EMBED_SIZE_EXCEEDED", `Embed size exceeds maximum size of ${L.embedsTotal}`);
  }
  if (fileCount > L.files) errors.add(["attachments"], "BASE_TYPE_MAX_LENGTH", `Must be ${L.files} or fewer in length.`);
  return errors;
}

const WEBHOOK_PATH = /^\/api(?:\/v\d+)?\/webhooks\/(\d+)\/([^/]+)\/?$/;

export class FakeDiscord extends HttpFake<DiscordFailure> {
  readonly calls: DiscordCall[] = [];
  /** The webhook the fake knows; others are "Unknown Webhook". */
  readonly webhook = { id: "1300000000000000001", token: "fake-Webhook_Token-s3cr3t" };
  private nextId = 1400000000000000000n;

  static start(): Promise<FakeDiscord> {
    return new FakeDiscord().listen();
  }

  /** http://127.0.0.1:<port> */
  get baseUrl(): string {
    return this.url;
  }

  /** The known webhook's URL, as Discord's "Copy Webhook URL" gives it. */
  get webhookUrl(): string {
    return `${this.baseUrl}/api/webhooks/${this.webhook.id}/${this.webhook.token}`;
  }

  /** The messages Discord accepted, in order. */
  get messages(): Record<string, unknown>[] {
    return this.calls.filter((call) => call.status < 300).map((call) => call.message!);
  }

  /** Answers the next `count` requests (default 1) with `failure` (after those already queued). */
  override failNext(failure: DiscordFailure, count?: number): void;
  override failNext(count: number, failure: DiscordFailure): void;
  override failNext(...args: [DiscordFailure, number?] | [number, DiscordFailure]): void {
    super.failNext(...countFirst(args));
  }

  protected override async respond({ method, url, headers, bytes }: Incoming): Promise<Answer> {
    const contentType = headers["content-type"] ?? "";
    const parsed = await this.parse(contentType, bytes);
    const record = (status: number, answer: unknown, extra: Record<string, string> = {}): Answer => {
      this.calls.push({ path: url.pathname, query: url.searchParams, contentType, status, answer, ...(parsed.message && { message: parsed.message }), files: parsed.files });
      return { status, body: answer, headers: extra };
    };

    const failure = this.takeFailure();
    if (failure?.kind === "rate-limit") {
      const { global = false } = failure;
      // Before v8, Discord gave the wait in milliseconds.
      const version = Number(/^\/api\/v(\d+)\//.exec(url.pathname)?.[1] ?? 6);
      const retryAfter = version < 8 ? Math.ceil(failure.retryAfter * 1000) : failure.retryAfter;
      return record(
        429,
        { message: "You are being rate limited.", retry_after: retryAfter, global },
        {
          "retry-after": String(Math.ceil(retryAfter)),
          "x-ratelimit-limit": "5",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset-after": String(failure.retryAfter),
          "x-ratelimit-bucket": "fake-bucket",
          "x-ratelimit-scope": global ? "global" : "user",
          ...(global && { "x-ratelimit-global": "true" }),
        },
      );
    }
    if (failure?.kind === "status") return record(failure.status, failure.body ?? { message: `${failure.status}: fake failure`, code: 0 });

    const match = WEBHOOK_PATH.exec(url.pathname);
    if (method !== "POST") return record(405, { message: "405: Method Not Allowed", code: 0 });
    if (!match || match[1] !== this.webhook.id) return record(404, { message: "Unknown Webhook", code: 10015 });
    if (match[2] !== this.webhook.token) return record(401, { message: "Invalid Webhook Token", code: 50027 });
    if (parsed.problem) return record(400, { message: parsed.problem, code: 50109 });
    if (bytes.length > FAKE_DISCORD_LIMITS.requestBytes) return record(413, { message: "Request entity too large", code: 40005 });
    const message = parsed.message ?? {};
    if (parsed.files.some((file) => file.bytes.length > FAKE_DISCORD_LIMITS.fileBytes)) return record(413, { message: "Request entity too large", code: 40005 });
    const errors = validateDiscordMessage(message, parsed.files.length);
    if (errors.count > 0) return record(400, { message: "Invalid Form Body", code: 50035, errors: errors.tree });
    const embeds = Array.isArray(message.embeds) ? message.embeds : [];
    if (!message.content && embeds.length === 0 && parsed.files.length === 0) return record(400, { message: "Cannot send an empty message", code: 50006 });
    if (url.searchParams.get("wait") !== "true") return record(204, undefined);
    return record(200, this.created(message, embeds, parsed.files, url.searchParams.get("thread_id")));
  }

  private created(message: Record<string, unknown>, embeds: unknown[], files: readonly ReceivedFile[], threadId: string | null): unknown {
    const id = String(this.nextId++);
    const channelId = threadId ?? "1200000000000000001";
    return {
      id,
      type: 0,
      content: message.content ?? "",
      channel_id: channelId,
      author: { id: this.webhook.id, username: "Robusta", bot: true },
      embeds: embeds.map((embed) => ({ type: "rich", ...(embed as object) })),
      attachments: files.map((file, n) => ({
        id: String(this.nextId + BigInt(n)),
        filename: file.filename,
        size: file.bytes.length,
        content_type: file.contentType,
        url: `https://cdn.discordapp.com/attachments/${channelId}/${id}/${file.filename}`,
      })),
      mentions: [],
      timestamp: new Date(0).toISOString(),
      webhook_id: this.webhook.id,
      flags: 0,
    };
  }

  private async parse(contentType: string, bytes: Buffer): Promise<{ message?: Record<string, unknown>; files: ReceivedFile[]; problem?: string }> {
    const json = (text: string) => {
      try {
        const value: unknown = JSON.parse(text);
        return isRecord(value) ? { message: value, files: [] } : { files: [], problem: "Invalid JSON body" };
      } catch {
        return { files: [], problem: "The request body contains invalid JSON." };
      }
    };
    if (contentType.startsWith("application/json")) return json(bytes.toString("utf8"));
    if (!contentType.startsWith("multipart/form-data")) return { files: [], problem: "Invalid content type" };
    const form = await new Response(new Uint8Array(bytes), { headers: { "content-type": contentType } }).formData();
    const payload = form.get("payload_json");
    const parsed = payload === null ? { files: [] as ReceivedFile[] } : json(typeof payload === "string" ? payload : await payload.text());
    const files: ReceivedFile[] = [];
    for (const [field, value] of form.entries()) {
      if (!/^files\[\d+\]$/.test(field)) continue;
      if (typeof value === "string" || value.name === "") return { files, problem: `${field} has no filename` };
      files.push({ field, filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
    }
    return { ...parsed, files };
  }
}
