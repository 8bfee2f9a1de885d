/**
 * A fake Microsoft identity platform token endpoint and Microsoft Graph (the Teams and drive
 * calls the Teams sink makes), on one loopback server, for tests. It enforces what the real
 * services do to a client:
 * - POST /{tenant}/oauth2/v2.0/token: client credentials (client_id + client_secret) or the
 *   password grant (a user), scope "<graph>/.default"; wrong ones get Entra's error bodies
 *   (invalid_client AADSTS7000215, invalid_grant AADSTS50126, ...);
 * - every Graph call needs a valid, unexpired bearer token (401 InvalidAuthenticationToken);
 * - channel messages and replies may be posted only with a user's token: an app-only token gets
 *   Graph's 401 "Message POST is allowed in application-only context only for import purposes"
 *   (unless `allowAppOnlyMessages`, for what Microsoft may allow some day);
 * - a message may be edited (PATCH) only by the user who posted it (403 otherwise);
 * - messages over 28 KB get 413 MessageSizeTooBig; cards are checked (an Adaptive Card JSON string
 *   referenced from the HTML body);
 * - the channel's filesFolder, simple uploads (up to 4 MB) and upload sessions (chunks PUT to a
 *   pre-authorised URL, which must not carry a token), returning driveItems with a webUrl;
 * - `throttle(n)`: the next n Graph calls (or those matching) get 429 with Retry-After.
 * Every call is recorded.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { z } from "zod";
import { answerJson, close, listen, readBody } from "../http-helpers.js";

export const GRAPH_MAX_MESSAGE_BYTES = 28 * 1024;
const SIMPLE_UPLOAD_MAX_BYTES = 4 * 1024 * 1024;

export interface FakeChannel {
  readonly teamId: string;
  readonly channelId: string;
}

export interface FakeGraphOptions {
  readonly tenantId?: string;
  readonly clientId?: string;
  /** The app's secret (client credentials). */
  readonly clientSecret?: string;
  /** The service account the password grant accepts. */
  readonly username?: string;
  readonly password?: string;
  /** Seconds tokens last. Default 3599, as Entra issues them. */
  readonly tokenLifetimeSeconds?: number;
  /** Channels that exist. Default: team "team-1", channel "19:general@thread.tacv2". */
  readonly channels?: readonly FakeChannel[];
  /** Let app-only tokens post and reply (real Graph refuses, except for message import). */
  readonly allowAppOnlyMessages?: boolean;
  /** The clock tokens expire on. Default: Date.now. */
  readonly now?: () => number;
}

export interface GraphCall {
  readonly method: string;
  /** The decoded path, without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number;
  /** Who the bearer token was for: "app", "user", or undefined (none or invalid). */
  readonly caller?: "app" | "user";
  readonly authorization?: string;
  readonly bytes: number;
}

export interface FakeMessage {
  readonly id: string;
  readonly teamId: string;
  readonly channelId: string;
  /** The parsed Adaptive Card the message carries. */
  card: { readonly type: "AdaptiveCard"; readonly body: readonly Record<string, unknown>[] } & Record<string, unknown>;
  readonly postedBy: "app" | "user";
  readonly replies: { readonly id: string; readonly card: FakeMessage["card"] }[];
  edits: number;
}

export interface FakeFile {
  readonly name: string;
  readonly teamId: string;
  readonly channelId: string;
  readonly contents: Buffer;
  readonly webUrl: string;
  /** How it came: one PUT, or an upload session's chunks. */
  readonly via: "simple" | "session";
}

interface Token {
  readonly caller: "app" | "user";
  readonly expiresAt: number;
}

const chatMessageBody = z.object({
  body: z.object({ contentType: z.literal("html"), content: z.string() }),
  attachments: z
    .array(z.object({ id: z.string(), contentType: z.literal("application/vnd.microsoft.card.adaptive"), contentUrl: z.null().optional(), content: z.string() }))
    .length(1),
});
const adaptiveCard = z.looseObject({ type: z.literal("AdaptiveCard"), version: z.string(), body: z.array(z.looseObject({ type: z.string() })) });

const graphError = (code: string, message: string) => ({
  error: { code, message, innerError: { date: new Date().toISOString(), "request-id": randomUUID(), "client-request-id": randomUUID() } },
});

export class FakeGraphServer {
  readonly calls: GraphCall[] = [];
  readonly messages: FakeMessage[] = [];
  readonly files: FakeFile[] = [];
  /** Token requests, with the grant each used. */
  readonly tokenRequests: { readonly grantType: string; readonly status: number; readonly scope?: string }[] = [];
  private readonly tokens = new Map<string, Token>();
  private readonly sessions = new Map<string, { name: string; teamId: string; channelId: string; size: number; received: Buffer[]; next: number }>();
  private throttled = 0;
  private readonly channels: readonly FakeChannel[];
  private readonly settings: Required<Omit<FakeGraphOptions, "username" | "password" | "channels">> & Pick<FakeGraphOptions, "username" | "password">;

  private constructor(
    private readonly server: Server,
    /** http://127.0.0.1:<port>: both the authority host and the Graph endpoint. */
    readonly baseUrl: string,
    options: FakeGraphOptions,
  ) {
    this.channels = options.channels ?? [{ teamId: "team-1", channelId: "19:general@thread.tacv2" }];
    this.settings = {
      tenantId: options.tenantId ?? "tenant-1",
      clientId: options.clientId ?? "client-1",
      clientSecret: options.clientSecret ?? "secret-1",
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
      allowAppOnlyMessages: options.allowAppOnlyMessages ?? false,
      now: options.now ?? Date.now,
      ...(options.username !== undefined && { username: options.username }),
      ...(options.password !== undefined && { password: options.password }),
    };
  }

  static async start(options: FakeGraphOptions = {}): Promise<FakeGraphServer> {
    let fake: FakeGraphServer | undefined;
    const { server, url } = await listen((request, response) => fake!.handle(request, response));
    fake = new FakeGraphServer(server, url, options);
    return fake;
  }

  /**
   * The next `count` Graph calls (not token requests), or those of them `matching`, are answered
   * 429 with Retry-After: `retryAfterSeconds`.
   */
  throttle(count: number, retryAfterSeconds = 2, matching: (method: string, path: string) => boolean = () => true): void {
    this.throttled = count;
    this.throttle429 = { retryAfterSeconds, matching };
  }
  private throttle429 = { retryAfterSeconds: 2, matching: (_method: string, _path: string): boolean => true };

  /** Revokes every token issued: the next Graph call with one gets 401. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Graph calls made (token requests not included), optionally of one method. */
  graphCalls(method?: string): GraphCall[] {
    return this.calls.filter((call) => method === undefined || call.method === method);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const url = new URL(request.url ?? "/", this.baseUrl);
    const path = decodeURIComponent(url.pathname);
    if (request.method === "POST" && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname)) return this.token(url.pathname.split("/")[1]!, raw, response);
    if (url.pathname.startsWith("/upload-sessions/")) return this.uploadChunk(request, url, raw, response);

    const authorization = request.headers.authorization;
    const token = authorization?.startsWith("Bearer ") ? this.tokens.get(authorization.slice(7)) : undefined;
    const valid = token !== undefined && token.expiresAt > this.settings.now();
    const query = Object.fromEntries(url.searchParams);
    const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      this.calls.push({ method: request.method ?? "", path, query, status, bytes: raw.length, ...(valid && { caller: token.caller }), ...(authorization !== undefined && { authorization }) });
      if (body === undefined) {
        response.writeHead(status, headers);
        response.end();
      } else answerJson(response, status, body, headers);
    };
    if (!valid) return answer(401, graphError("InvalidAuthenticationToken", "Access token has expired or is not yet valid."));
    if (this.throttled > 0 && this.throttle429.matching(request.method ?? "", path)) {
      this.throttled--;
      return answer(429, graphError("TooManyRequests", "Too many requests"), { "retry-after": String(this.throttle429.retryAfterSeconds) });
    }
    return this.route(request.method ?? "", path, query, raw, token.caller, answer);
  }

  private route(method: string, path: string, query: Record<string, string>, raw: Buffer, caller: "app" | "user", answer: (status: number, body?: unknown, headers?: Record<string, string>) => void): void {
    let match: RegExpExecArray | null;
    if ((match = /^\/v1\.0\/teams\/([^/]+)\/channels\/([^/]+)\/(.*)$/.exec(path))) {
      const [, teamId, channelId, rest] = match as unknown as [string, string, string, string];
      const channel = this.channels.find((c) => c.teamId === teamId && c.channelId === channelId);
      if (!channel) return answer(404, graphError("NotFound", `No team found with Group Id ${teamId} or channel ${channelId}`));
      if (method === "GET" && rest === "filesFolder") {
        return answer(200, {
          id: folderId(channel),
          name: "General",
          webUrl: `https://contoso.sharepoint.com/sites/${teamId}/Shared%20Documents/General`,
          parentReference: { driveId: driveId(channel), driveType: "documentLibrary" },
          folder: { childCount: this.files.filter((f) => f.teamId === teamId && f.channelId === channelId).length },
        });
      }
      if (method === "POST" && rest === "messages") return this.post(channel, undefined, raw, caller, answer);
      if ((match = /^messages\/([^/]+)\/replies$/.exec(rest)) && method === "POST") return this.post(channel, match[1]!, raw, caller, answer);
      if ((match = /^messages\/([^/]+)$/.exec(rest)) && method === "PATCH") return this.patch(channel, match[1]!, raw, caller, answer);
      return answer(400, graphError("BadRequest", `Unsupported request: ${method} ${path}`));
    }
    if ((match = /^\/v1\.0\/drives\/([^/]+)\/items\/([^/:]+):\/(.+):\/(content|createUploadSession)$/.exec(path))) {
      const [, drive, folder, name, action] = match as unknown as [string, string, string, string, string];
      const channel = this.channels.find((c) => driveId(c) === drive && folderId(c) === folder);
      if (!channel) return answer(404, graphError("itemNotFound", "The resource could not be found."));
      if (action === "content" && method === "PUT") {
        if (raw.length > SIMPLE_UPLOAD_MAX_BYTES) return answer(413, graphError("requestTooLarge", "Simple upload is limited to 4 MB; use an upload session."));
        const file = this.store(channel, name, raw, "simple", query["@microsoft.graph.conflictBehavior"] === "rename");
        return file ? answer(201, driveItem(file)) : answer(409, graphError("nameAlreadyExists", "The specified item name already exists."));
      }
      if (action === "createUploadSession" && method === "POST") {
        const id = randomUUID();
        this.sessions.set(id, { name, teamId: channel.teamId, channelId: channel.channelId, size: -1, received: [], next: 0 });
        return answer(200, { uploadUrl: `${this.baseUrl}/upload-sessions/${id}`, expirationDateTime: new Date(this.settings.now() + 3600_000).toISOString(), nextExpectedRanges: ["0-"] });
      }
    }
    return answer(400, graphError("BadRequest", `Unsupported request: ${method} ${path}`));
  }

  private post(channel: FakeChannel, parentId: string | undefined, raw: Buffer, caller: "app" | "user", answer: (status: number, body?: unknown) => void): void {
    if (caller === "app" && !this.settings.allowAppOnlyMessages) {
      return answer(
        401,
        graphError("Unauthorized", "Message POST is allowed in application-only context only for import purposes. Refer to https://docs.microsoft.com/microsoftteams/platform/graph-api/import-messages/import-external-messages-to-teams for more details."),
      );
    }
    const card = this.card(raw, answer);
    if (card === undefined) return;
    const id = String(1_700_000_000_000 + this.messages.length + this.messages.reduce((n, m) => n + m.replies.length, 0));
    if (parentId === undefined) {
      this.messages.push({ id, teamId: channel.teamId, channelId: channel.channelId, card, postedBy: caller, replies: [], edits: 0 });
    } else {
      const parent = this.messages.find((m) => m.id === parentId && m.teamId === channel.teamId && m.channelId === channel.channelId);
      if (!parent) return answer(404, graphError("NotFound", `Message ${parentId} not found`));
      parent.replies.push({ id, card });
    }
    answer(201, { id, replyToId: parentId ?? null, messageType: "message", channelIdentity: { teamId: channel.teamId, channelId: channel.channelId } });
  }

  private patch(channel: FakeChannel, messageId: string, raw: Buffer, caller: "app" | "user", answer: (status: number, body?: unknown) => void): void {
    const message = this.messages.find((m) => m.id === messageId && m.teamId === channel.teamId && m.channelId === channel.channelId);
    if (!message) return answer(404, graphError("NotFound", `Message ${messageId} not found`));
    // Graph: app-only tokens may update only policyViolation; users only their own messages.
    if (caller === "app" || message.postedBy !== "user") return answer(403, graphError("Forbidden", "Forbidden: only the sender may edit this message."));
    const card = this.card(raw, answer);
    if (card === undefined) return;
    message.card = card;
    message.edits++;
    answer(204);
  }

  /** The card a chat message body carries, or undefined after answering 400/413. */
  private card(raw: Buffer, answer: (status: number, body?: unknown) => void): FakeMessage["card"] | undefined {
    if (raw.length > GRAPH_MAX_MESSAGE_BYTES) {
      answer(413, graphError("MessageSizeTooBig", `Message size too large: ${raw.length} bytes.`));
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      answer(400, graphError("BadRequest", "Invalid JSON"));
      return undefined;
    }
    const message = chatMessageBody.safeParse(json);
    const attachment = message.success ? message.data.attachments[0]! : undefined;
    if (!message.success || !attachment || !message.data.body.content.includes(`<attachment id="${attachment.id}"></attachment>`)) {
      answer(400, graphError("BadRequest", "The message body must reference its card attachment."));
      return undefined;
    }
    let card: unknown;
    try {
      card = JSON.parse(attachment.content);
    } catch {
      card = undefined;
    }
    const parsed = adaptiveCard.safeParse(card);
    if (!parsed.success) {
      answer(400, graphError("BadRequest", "Attachment content is not an Adaptive Card."));
      return undefined;
    }
    return parsed.data as FakeMessage["card"];
  }

  private store(channel: FakeChannel, requested: string, contents: Buffer, via: FakeFile["via"], rename: boolean): FakeFile | undefined {
    let name = requested;
    const taken = (n: string) => this.files.some((f) => f.teamId === channel.teamId && f.channelId === channel.channelId && f.name === n);
    if (taken(name)) {
      if (!rename) return undefined;
      const dot = requested.lastIndexOf(".");
      const [stem, ext] = dot > 0 ? [requested.slice(0, dot), requested.slice(dot)] : [requested, ""];
      for (let i = 1; taken(name); i++) name = `${stem} ${i}${ext}`;
    }
    const file: FakeFile = {
      name,
      teamId: channel.teamId,
      channelId: channel.channelId,
      contents,
      via,
      webUrl: `https://contoso.sharepoint.com/sites/${channel.teamId}/Shared%20Documents/General/${encodeURIComponent(name)}`,
    };
    this.files.push(file);
    return file;
  }

  private uploadChunk(request: IncomingMessage, url: URL, raw: Buffer, response: ServerResponse): void {
    const id = url.pathname.slice("/upload-sessions/".length);
    const session = this.sessions.get(id);
    const record = (status: number) => this.calls.push({ method: request.method ?? "", path: "/upload-sessions/…", query: {}, status, bytes: raw.length, ...(request.headers.authorization !== undefined && { authorization: request.headers.authorization }) });
    if (!session || request.method !== "PUT") {
      record(404);
      return answerJson(response, 404, graphError("itemNotFound", "Upload session not found."));
    }
    // The upload URL is pre-authorised: a token on it is refused.
    if (request.headers.authorization !== undefined) {
      record(401);
      return answerJson(response, 401, graphError("unauthenticated", "Do not send an Authorization header to the upload URL."));
    }
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(request.headers["content-range"] ?? "");
    const [start, end, total] = range ? [Number(range[1]), Number(range[2]), Number(range[3])] : [NaN, NaN, NaN];
    if (!range || start !== session.next || end - start + 1 !== raw.length || (session.size >= 0 && total !== session.size)) {
      record(416);
      return answerJson(response, 416, graphError("invalidRange", `Expected bytes ${session.next}-`));
    }
    session.size = total;
    session.received.push(raw);
    session.next = end + 1;
    if (session.next < total) {
      record(202);
      return answerJson(response, 202, { expirationDateTime: new Date(this.settings.now() + 3600_000).toISOString(), nextExpectedRanges: [`${session.next}-`] });
    }
    this.sessions.delete(id);
    const channel = this.channels.find((c) => c.teamId === session.teamId && c.channelId === session.channelId)!;
    const file = this.store(channel, session.name, Buffer.concat(session.received), "session", true)!;
    record(201);
    answerJson(response, 201, driveItem(file));
  }

  private token(tenant: string, raw: Buffer, response: ServerResponse): void {
    const form = new URLSearchParams(raw.toString("utf8"));
    const grantType = form.get("grant_type") ?? "";
    const scope = form.get("scope") ?? undefined;
    const fail = (status: number, error: string, description: string) => {
      this.tokenRequests.push({ grantType, status, ...(scope !== undefined && { scope }) });
      answerJson(response, status, { error, error_description: `${description}\r\nTrace ID: ${randomUUID()}`, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)] });
    };
    const { tenantId, clientId, clientSecret, username, password } = this.settings;
    if (tenant !== tenantId) return fail(400, "invalid_request", `AADSTS90002: Tenant '${tenant}' not found.`);
    if (form.get("client_id") !== clientId) return fail(400, "unauthorized_client", `AADSTS700016: Application with identifier '${form.get("client_id")}' was not found in the directory.`);
    if (!scope?.endsWith("/.default")) return fail(400, "invalid_scope", `AADSTS1002012: The provided value for scope ${scope} is not valid.`);
    let caller: Token["caller"];
    if (grantType === "client_credentials") {
      if (form.get("client_secret") !== clientSecret) return fail(401, "invalid_client", `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
      caller = "app";
    } else if (grantType === "password") {
      if (username === undefined || form.get("username") !== username || form.get("password") !== password) {
        return fail(400, "invalid_grant", "AADSTS50126: Error validating credentials due to invalid username or password.");
      }
      if (form.has("client_secret") && form.get("client_secret") !== clientSecret) return fail(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
      caller = "user";
    } else {
      return fail(400, "unsupported_grant_type", `AADSTS70003: The app requested an unsupported grant type '${grantType}'.`);
    }
    const accessToken = `token-${randomUUID()}`;
    this.tokens.set(accessToken, { caller, expiresAt: this.settings.now() + this.settings.tokenLifetimeSeconds * 1000 });
    this.tokenRequests.push({ grantType, status: 200, scope });
    answerJson(response, 200, { token_type: "Bearer", expires_in: this.settings.tokenLifetimeSeconds, ext_expires_in: this.settings.tokenLifetimeSeconds, access_token: accessToken });
  }

  close(): Promise<void> {
    return close(this.server);
  }
}

const driveId = (channel: FakeChannel) => `drive-${channel.teamId}`;
const folderId = (channel: FakeChannel) => `folder-${channel.channelId.replace(/[^a-z0-9]/gi, "")}`;
const driveItem = (file: FakeFile) => ({ id: `item-${randomUUID()}`, name: file.name, size: file.contents.length, webUrl: file.webUrl, file: { mimeType: "application/octet-stream" } });
