/**
 * The Mattermost REST API v4 calls the sink makes (as its bot, with a Bearer token), and
 * Mattermost's failures as DeliveryErrors: its JSON error ({id, message, detailed_error,
 * request_id, status_code}) is quoted, 429 waits for Retry-After or X-Ratelimit-Reset.
 */
import { z } from "zod";
import { DeliveryError } from "../../delivery/delivery-error.js";
import type { AttachedFile } from "../common/files.js";
import { UPLOAD_TIMEOUT_MS, type HttpClient } from "../common/http.js";
import { retryAfterHeader, serviceError } from "../common/service-error.js";
import type { MattermostPostContent } from "./render-post.js";

const SERVICE = "Mattermost";

const teamSchema = z.looseObject({ id: z.string(), name: z.string(), display_name: z.string() });
const channelSchema = z.looseObject({ id: z.string(), name: z.string(), display_name: z.string() });
const uploadSchema = z.looseObject({ file_infos: z.array(z.looseObject({ id: z.string() })).min(1) });
const postSchema = z.looseObject({ id: z.string() });
const errorSchema = z.looseObject({ id: z.string().optional(), message: z.string() });

export type MattermostTeam = z.infer<typeof teamSchema>;
export type MattermostChannel = z.infer<typeof channelSchema>;

/** A post as POST /api/v4/posts takes it. */
export interface MattermostPost extends MattermostPostContent {
  readonly channel_id: string;
  readonly file_ids: readonly string[];
  /**
   * The same for every try of one post: Mattermost answers a post whose pending_post_id it saw in
   * the last 30 s with the post already created (deduplicateCreatePost), so a retry after a lost
   * answer does not post twice. Its cache is server-wide: the id must not be shared by two posts.
   */
  readonly pending_post_id: string;
}

/** What a 403 to a post or an upload means for a bot: it may only post in channels it is a member of. */
const NOT_A_MEMBER = "add the bot to the channel (bots may only post in channels they are members of)";

/**
 * How long a 429 asks to wait: Retry-After, else X-Ratelimit-Reset, which Mattermost documents as
 * seconds until the window resets (read as a time when it is an epoch timestamp).
 */
function rateLimitWait(response: Response, now: number): number | undefined {
  const retryAfter = retryAfterHeader(response, now);
  if (retryAfter !== undefined || response.status !== 429) return retryAfter;
  const reset = Number(response.headers.get("x-ratelimit-reset") ?? Number.NaN);
  if (!Number.isFinite(reset) || reset < 0) return undefined;
  return reset > 1e9 ? Math.max(0, reset * 1000 - now) : Math.round(reset * 1000);
}

/** A Mattermost answer that is not a success, as a DeliveryError quoting Mattermost's message and error id; `forbidden` says what a 403 means. */
export function mattermostError(response: Response, now: number, forbidden?: string): Promise<DeliveryError> {
  const hint = response.status === 403 && forbidden ? `; ${forbidden}` : "";
  return serviceError(response, now, {
    service: SERVICE,
    parse: (json) => errorSchema.safeParse(json).data,
    // Not JSON (a 429's "limit exceeded", a proxy's page): quoted as it is.
    explain: ({ body, text }) => (body ? (body.id ? `${body.message} (${body.id})` : body.message) : text.trim().slice(0, 300)) + hint,
    retryAfterMs: ({ response, now }) => rateLimitWait(response, now),
  });
}

function parsed<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new DeliveryError(`${SERVICE} answered ${what} with an unexpected body`, { retryable: false });
  return result.data;
}

/** Calls on one Mattermost server. */
export class MattermostApi {
  private readonly base: string;

  constructor(
    url: string,
    private readonly token: string,
    private readonly http: HttpClient,
  ) {
    this.base = `${url.replace(/\/+$/, "")}/api/v4`;
  }

  /** The teams the bot is a member of. */
  async myTeams(signal?: AbortSignal): Promise<MattermostTeam[]> {
    return parsed(z.array(teamSchema), await this.call("GET", "/users/me/teams", undefined, signal), "the bot's teams");
  }

  /** The channel named `name` (as in its URL) in a team, or undefined when there is none the bot may see. */
  async channelByName(teamId: string, name: string, signal?: AbortSignal): Promise<MattermostChannel | undefined> {
    try {
      const body = await this.call("GET", `/teams/${encodeURIComponent(teamId)}/channels/name/${encodeURIComponent(name)}`, undefined, signal);
      return parsed(channelSchema, body, "a channel lookup");
    } catch (error) {
      if (error instanceof DeliveryError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** A team's public channels whose name or display name matches `term`. */
  async searchChannels(teamId: string, term: string, signal?: AbortSignal): Promise<MattermostChannel[]> {
    const body = await this.call("POST", `/teams/${encodeURIComponent(teamId)}/channels/search`, { term }, signal);
    return parsed(z.array(channelSchema), body, "a channel search");
  }

  /** Uploads one file to a channel; returns its file id, to attach to a post. */
  async uploadFile(channelId: string, file: AttachedFile, signal?: AbortSignal): Promise<string> {
    const form = new FormData();
    // channel_id first: the server reads it before it streams the files.
    form.append("channel_id", channelId);
    form.append("files", new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.filename);
    const body = await this.http.sendForJson({
      service: SERVICE,
      url: `${this.base}/files`,
      init: { method: "POST", headers: { authorization: `Bearer ${this.token}` }, body: form },
      signal,
      errorOf: (response, now) => mattermostError(response, now, NOT_A_MEMBER),
      timeoutMs: UPLOAD_TIMEOUT_MS,
    });
    return parsed(uploadSchema, body, "a file upload").file_infos[0]!.id;
  }

  /** Creates a post; returns its id. */
  async createPost(post: MattermostPost, signal?: AbortSignal): Promise<string> {
    return parsed(postSchema, await this.call("POST", "/posts", post, signal, NOT_A_MEMBER), "a post").id;
  }

  private async call(method: "GET" | "POST", path: string, body: unknown, signal: AbortSignal | undefined, forbidden?: string): Promise<unknown> {
    return this.http.sendForJson({
      service: SERVICE,
      url: `${this.base}${path}`,
      init: {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined && { "content-type": "application/json" }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      },
      signal,
      errorOf: (response, now) => mattermostError(response, now, forbidden),
    });
  }
}
