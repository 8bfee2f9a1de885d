/**
 * A fake Mattermost server (REST API v4) on loopback, for the Mattermost sink's tests. It answers
 * the calls the sink makes the way Mattermost does, errors in Mattermost's JSON shape
 * ({id, message, detailed_error, request_id, status_code}):
 * - every call needs `Authorization: Bearer <token>` (401 api.context.session_expired.app_error);
 * - GET /users/me/teams; GET /teams/{id}/channels/name/{name} (404 for a missing channel, or a
 *   private one the bot is not in); POST /teams/{id}/channels/search (public channels);
 * - POST /files (multipart channel_id + files): 413 over `maxFileBytes`, 403 for a channel the bot
 *   is not a member of (upload_file is a channel member's permission); answers {file_infos, client_ids};
 * - POST /posts: 400 for a message over 16383 characters or more file ids than fit (10), 403 for
 *   a channel the bot is not a member of, public ones too (create_post is a channel member's
 *   permission); a `pending_post_id` seen in the last 30 s answers the post already created, as
 *   Mattermost's deduplicateCreatePost does; answers the post (201);
 * - `failNext`: the next calls get a status, e.g. 429 "limit exceeded" with Retry-After and
 *   X-Ratelimit-* headers, as Mattermost's rate limiter answers, or a 5xx; `afterCreate` answers
 *   it after the post was created (an answer lost on the way).
 * Every call is recorded.
 */
import { randomBytes } from "node:crypto";
import { type Answer, HttpFake, type Incoming } from "./http-fake.js";

/** Mattermost's limits the fake enforces. */
export const MATTERMOST_MAX_MESSAGE_RUNES = 16383;
/** The JSON of a post's file_ids may be at most 300 characters: 10 ids. */
export const MATTERMOST_MAX_FILE_IDS_RUNES = 300;

export interface FakeChannel {
  readonly id: string;
  readonly name: string;
  readonly display_name: string;
  /** "O" public, "P" private. */
  readonly type: "O" | "P";
  /** Whether the bot is a member: it may only post and upload where it is. Default true. */
  readonly member?: boolean;
}

export interface FakeTeam {
  readonly id: string;
  readonly name: string;
  readonly display_name: string;
  readonly channels: readonly FakeChannel[];
}

export interface FakeMattermostOptions {
  /** The bot's access token. Default "bot-token". */
  readonly token?: string;
  /** The bot's teams. Default: team "eng" with public channel "alerts" ("Alerts"). */
  readonly teams?: readonly FakeTeam[];
  /** FileSettings.MaxFileSize. Default 100 MB. */
  readonly maxFileBytes?: number;
}

export interface MattermostFailure {
  readonly status: number;
  /** Retry-After (seconds). */
  readonly retryAfter?: string;
  /** X-Ratelimit-Reset (seconds until the window resets). */
  readonly rateLimitReset?: string;
  /** The AppError id and message. Default: a generic one for the status. 429 answers "limit exceeded" as text. */
  readonly id?: string;
  readonly message?: string;
  /** Only calls to this path (after /api/v4, e.g. "/posts") get it. Default: the next call. */
  readonly path?: string;
  /** Do what was asked (create the post), then answer the failure: an answer lost on the way. */
  readonly afterCreate?: boolean;
}

export interface MattermostCall {
  readonly method: string;
  /** The decoded path after /api/v4, without the query. */
  readonly path: string;
  readonly status: number;
  readonly authorization?: string;
}

export interface FakeFile {
  readonly id: string;
  readonly channelId: string;
  readonly name: string;
  readonly contentType: string;
  readonly contents: Buffer;
}

export interface FakePost {
  readonly id: string;
  readonly channel_id: string;
  readonly message: string;
  readonly file_ids: readonly string[];
  readonly props: { readonly attachments?: readonly { readonly text: string; readonly color: string }[] } & Record<string, unknown>;
}

const mattermostId = (): string => randomBytes(16).toString("hex").slice(0, 26);

/** How long Mattermost remembers a pending_post_id (pendingPostIDsCacheTTL). */
const PENDING_POST_ID_TTL_MS = 30_000;

type Reply = (status: number, body: unknown) => Answer;
type Fail = (status: number, id: string, message: string) => Answer;

/** A failure is looked for by the path after /api/v4, which its `path` may pick. */
export class FakeMattermost extends HttpFake<MattermostFailure, string> {
  readonly calls: MattermostCall[] = [];
  readonly posts: FakePost[] = [];
  readonly files: FakeFile[] = [];
  /** pending_post_id → the post created with it, and when. */
  private readonly pendingPostIds = new Map<string, { readonly post: FakePost; readonly at: number }>();
  private readonly token: string;
  private readonly teams: readonly FakeTeam[];
  private readonly maxFileBytes: number;

  private constructor(options: FakeMattermostOptions) {
    super();
    this.token = options.token ?? "bot-token";
    this.teams = options.teams ?? [
      { id: "team-eng-id", name: "eng", display_name: "Engineering", channels: [{ id: "chan-alerts-id", name: "alerts", display_name: "Alerts", type: "O" }] },
    ];
    this.maxFileBytes = options.maxFileBytes ?? 100 * 1024 * 1024;
  }

  /** Starts the server on 127.0.0.1 and a free port; its `url` is the sink's `url`. */
  static start(options: FakeMattermostOptions = {}): Promise<FakeMattermost> {
    return new FakeMattermost(options).listen();
  }

  /** The calls made, as "METHOD /path". */
  get callLines(): string[] {
    return this.calls.map((call) => `${call.method} ${call.path}`);
  }

  protected override applies(failure: MattermostFailure, path: string): boolean {
    return failure.path === undefined || failure.path === path;
  }

  protected override async respond({ method, url, headers, bytes: raw }: Incoming): Promise<Answer> {
    const path = url.pathname.replace(/^\/api\/v4/, "");
    const authorization = headers.authorization;
    const answer = (status: number, body: unknown, extra: Record<string, string> = {}): Answer => {
      this.calls.push({ method, path: decodeURIComponent(path), status, ...(authorization !== undefined && { authorization }) });
      return { status, body, headers: extra };
    };
    const fail = (status: number, id: string, message: string, extra: Record<string, string> = {}): Answer =>
      answer(status, { id, message, detailed_error: "", request_id: mattermostId(), status_code: status }, extra);

    if (!url.pathname.startsWith("/api/v4/")) return fail(404, "api.context.404.app_error", "Sorry, we could not find the page.");
    const failure = this.takeFailure(path);
    if (failure?.afterCreate) {
      // Done as asked; only the answer is the failure's.
      const done = await this.serve(method, url, path, headers, raw, answer, fail);
      if (done.status >= 300) return done;
      this.calls.pop();
    }
    if (failure) {
      const extra = {
        ...(failure.retryAfter !== undefined && { "retry-after": failure.retryAfter }),
        ...(failure.rateLimitReset !== undefined && { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "0", "x-ratelimit-reset": failure.rateLimitReset }),
      };
      if (failure.status === 429 && failure.id === undefined) return answer(429, "limit exceeded\n", extra);
      return fail(failure.status, failure.id ?? "api.context.500.app_error", failure.message ?? "An internal error occurred.", extra);
    }
    return this.serve(method, url, path, headers, raw, answer, fail);
  }

  /** Answers a call as Mattermost does, once no failure is injected. */
  private async serve(method: string, url: URL, path: string, headers: Incoming["headers"], raw: Buffer, answer: Reply, fail: Fail): Promise<Answer> {
    const authorization = headers.authorization;
    if (authorization !== `Bearer ${this.token}`) return fail(401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.");

    let match: RegExpExecArray | null;
    if (method === "GET" && path === "/users/me/teams") {
      return answer(200, this.teams.map(({ id, name, display_name }) => ({ id, name, display_name, type: "O", delete_at: 0 })));
    }
    if (method === "GET" && (match = /^\/teams\/([^/]+)\/channels\/name\/([^/]+)$/.exec(path))) {
      const channel = this.team(match[1]!)?.channels.find((c) => c.name === decodeURIComponent(match![2]!));
      if (!channel || (channel.type === "P" && channel.member === false)) {
        return fail(404, "app.channel.get_by_name.missing.app_error", "Channel does not exist.");
      }
      return answer(200, this.channelJson(match[1]!, channel));
    }
    if (method === "POST" && (match = /^\/teams\/([^/]+)\/channels\/search$/.exec(path))) {
      const team = this.team(match[1]!);
      if (!team) return fail(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.");
      const term = String((JSON.parse(raw.toString("utf8") || "{}") as { term?: unknown }).term ?? "").toLowerCase();
      const found = team.channels.filter((c) => c.type === "O" && (c.name.includes(term) || c.display_name.toLowerCase().includes(term)));
      return answer(200, found.map((c) => this.channelJson(team.id, c)));
    }
    if (method === "POST" && path === "/files") return this.upload(headers["content-type"] ?? "", url, raw, answer, fail);
    if (method === "POST" && path === "/posts") return this.post(raw, answer, fail);
    return fail(404, "api.context.404.app_error", "Sorry, we could not find the page.");
  }

  private async upload(contentType: string, url: URL, raw: Buffer, answer: Reply, fail: Fail): Promise<Answer> {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw), { headers: { "content-type": contentType } }).formData();
    } catch {
      return fail(400, "api.file.upload_file.read_form.app_error", "Unable to parse multipart form.");
    }
    const channelId = url.searchParams.get("channel_id") ?? form.get("channel_id");
    if (typeof channelId !== "string" || channelId === "") return fail(400, "api.context.invalid_body_param.app_error", "Invalid or missing channel_id in request body.");
    if (!this.postable(channelId)) return fail(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.");
    const infos = [];
    for (const entry of form.getAll("files")) {
      if (typeof entry === "string") return fail(400, "api.file.upload_file.incorrect_number_of_files.app_error", "Unable to upload files. Incorrect number of files specified.");
      if (entry.size > this.maxFileBytes) {
        return fail(413, "api.file.upload_file.too_large_detailed.app_error", `Unable to upload file ${entry.name}. ${entry.size} bytes exceeds the maximum allowed ${this.maxFileBytes} bytes.`);
      }
      const file: FakeFile = { id: mattermostId(), channelId, name: entry.name, contentType: entry.type, contents: Buffer.from(await entry.arrayBuffer()) };
      this.files.push(file);
      infos.push({ id: file.id, name: file.name, size: file.contents.length, mime_type: file.contentType, channel_id: channelId });
    }
    if (infos.length === 0) return fail(400, "api.file.upload_file.incorrect_number_of_files.app_error", "Unable to upload files. Incorrect number of files specified.");
    return answer(201, { file_infos: infos, client_ids: [] });
  }

  private post(raw: Buffer, answer: Reply, fail: Fail): Answer {
    let body: Partial<FakePost>;
    try {
      body = JSON.parse(raw.toString("utf8")) as Partial<FakePost>;
    } catch {
      return fail(400, "api.context.invalid_body_param.app_error", "Invalid or missing post in request body.");
    }
    if (typeof body.channel_id !== "string" || !this.postable(body.channel_id)) {
      return fail(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.");
    }
    const message = body.message ?? "";
    const fileIds = body.file_ids ?? [];
    if (Array.from(message).length > MATTERMOST_MAX_MESSAGE_RUNES) return fail(400, "model.post.is_valid.msg.app_error", "Invalid message.");
    if (JSON.stringify(fileIds).length > MATTERMOST_MAX_FILE_IDS_RUNES) return fail(400, "model.post.is_valid.file_ids.app_error", "Invalid file ids.");
    const pendingPostId = (body as { pending_post_id?: unknown }).pending_post_id;
    const seen = typeof pendingPostId === "string" && pendingPostId !== "" ? this.pendingPostIds.get(pendingPostId) : undefined;
    if (seen && Date.now() - seen.at < PENDING_POST_ID_TTL_MS) return answer(201, { ...seen.post, pending_post_id: pendingPostId, user_id: "bot-user-id", type: "" });
    const post: FakePost = { id: mattermostId(), channel_id: body.channel_id, message, file_ids: fileIds, props: body.props ?? {} };
    this.posts.push(post);
    if (typeof pendingPostId === "string" && pendingPostId !== "") this.pendingPostIds.set(pendingPostId, { post, at: Date.now() });
    return answer(201, { ...post, create_at: Date.now(), user_id: "bot-user-id", type: "" });
  }

  private team(id: string): FakeTeam | undefined {
    return this.teams.find((team) => team.id === id);
  }

  /** Whether the bot may post and upload in a channel: one it is a member of, public or private. */
  private postable(channelId: string): boolean {
    const channel = this.teams.flatMap((team) => team.channels).find((c) => c.id === channelId);
    return channel !== undefined && channel.member !== false;
  }

  private channelJson(teamId: string, channel: FakeChannel): Record<string, unknown> {
    return { id: channel.id, team_id: teamId, name: channel.name, display_name: channel.display_name, type: channel.type, delete_at: 0 };
  }
}
