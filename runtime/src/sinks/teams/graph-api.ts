/**
 * The Microsoft Graph calls the Teams app mode makes, through @microsoft/microsoft-graph-client:
 * channel messages (post, reply, edit) carrying an Adaptive Card, and files uploaded to the
 * channel's folder (its SharePoint "Files" tab) to link from the card.
 */
import { randomUUID } from "node:crypto";
import { Client, HTTPMessageHandler, type Context, type Middleware } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import type { DeliveryClock } from "../../delivery/clock.js";
import { DeliveryError } from "../../delivery/delivery-error.js";
import type { TeamsMessage } from "./adaptive-card.js";
import { graphDeliveryError } from "./graph-errors.js";
import type { GraphTokenProvider } from "./graph-token.js";

/** Files up to this size go in one PUT; larger ones through an upload session (Graph's simple upload takes up to 4 MB). */
export const SIMPLE_UPLOAD_MAX_BYTES = 4 * 1024 * 1024;
/** Upload session chunks: a multiple of 320 KiB, as Graph requires. */
export const UPLOAD_CHUNK_BYTES = 12 * 320 * 1024;
/** How long one Graph request may take before it is given up (and retried). */
const REQUEST_TIMEOUT_MS = 30_000;
/** How long one upload chunk may take. */
const CHUNK_TIMEOUT_MS = 120_000;

/** The caller's signal (shutdown) combined with a timeout. */
const withTimeout = (signal: AbortSignal | undefined, ms: number): AbortSignal => (signal ? AbortSignal.any([signal, AbortSignal.timeout(ms)]) : AbortSignal.timeout(ms));

export interface GraphApiOptions {
  /** The Graph host, e.g. https://graph.microsoft.com; requests go to <host>/v1.0/... */
  readonly graphEndpoint: string;
  readonly tokens: GraphTokenProvider;
  readonly clock: DeliveryClock;
  /** Default: the global fetch (Graph's client uses the global one; this is for upload session chunks). */
  readonly fetch?: typeof fetch;
}

/** Where a channel's files are: its folder in the team's SharePoint document library. */
interface FilesFolder {
  readonly driveId: string;
  readonly folderId: string;
}

const filesFolderAnswer = z.object({ id: z.string(), parentReference: z.object({ driveId: z.string() }) });
const driveItemAnswer = z.object({ id: z.string(), webUrl: z.string() });
const uploadSessionAnswer = z.object({ uploadUrl: z.string() });
const chatMessageAnswer = z.object({ id: z.string() });

const segment = (id: string): string => encodeURIComponent(id);

/**
 * Signs each request with the current token. Graph's own AuthenticationHandler signs only https
 * URLs of Microsoft's hosts; this one signs whatever endpoint is configured (a national cloud, a
 * proxy, a test server).
 */
class BearerToken implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly tokens: GraphTokenProvider) {}

  async execute(context: Context): Promise<void> {
    const token = await this.tokens.getAccessToken();
    const headers = new Headers(context.options?.headers as ConstructorParameters<typeof Headers>[0]);
    headers.set("authorization", `Bearer ${token}`);
    context.options = { ...context.options, headers: Object.fromEntries(headers) };
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** A channel message carrying one Adaptive Card: Graph takes the card as a JSON string, referenced from the HTML body. */
export function cardChatMessage(message: TeamsMessage): Record<string, unknown> {
  const [attachment] = message.attachments;
  const id = randomUUID().replaceAll("-", "");
  return {
    body: { contentType: "html", content: `<attachment id="${id}"></attachment>` },
    attachments: [{ id, contentType: attachment.contentType, contentUrl: null, content: JSON.stringify(attachment.content) }],
  };
}

export class TeamsGraphApi {
  private readonly client: Client;
  private readonly fetch: typeof fetch;
  private readonly folders = new Map<string, FilesFolder>();

  constructor(private readonly options: GraphApiOptions) {
    const auth = new BearerToken(options.tokens);
    auth.setNext(new HTTPMessageHandler());
    // No retry middleware: the delivery queue retries, after Graph's Retry-After, on its own clock.
    this.client = Client.initWithMiddleware({ baseUrl: options.graphEndpoint, defaultVersion: "v1.0", middleware: auth });
    this.fetch = options.fetch ?? fetch;
  }

  /**
   * Runs one Graph call (within a timeout), with a fresh token when Graph refuses the cached one
   * (401), and maps failures to DeliveryErrors. The token is fetched first so sign-in failures keep
   * their meaning (Graph's client would wrap them in a GraphError).
   */
  private async call<T>(action: string, signal: AbortSignal | undefined, request: (signal: AbortSignal) => Promise<unknown>, answer: z.ZodType<T>): Promise<T> {
    const { tokens, clock } = this.options;
    for (let attempt = 0; ; attempt++) {
      await tokens.getAccessToken();
      try {
        const parsed = answer.safeParse(await request(withTimeout(signal, REQUEST_TIMEOUT_MS)));
        if (!parsed.success) throw new DeliveryError(`Microsoft Graph answered an unexpected body to ${action}`, { retryable: false });
        return parsed.data;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const failure = graphDeliveryError(error, action, clock.now());
        if (failure instanceof DeliveryError && failure.status === 401 && attempt === 0) {
          tokens.invalidate();
          continue;
        }
        throw failure;
      }
    }
  }

  private api(path: string, signal: AbortSignal) {
    return this.client.api(path).option("signal", signal);
  }

  /** Posts a card as a new channel message; returns its id. */
  async postMessage(teamId: string, channelId: string, message: TeamsMessage, signal?: AbortSignal): Promise<string> {
    const path = `/teams/${segment(teamId)}/channels/${segment(channelId)}/messages`;
    const answer = await this.call("post the channel message", signal, (s) => this.api(path, s).post(cardChatMessage(message)), chatMessageAnswer);
    return answer.id;
  }

  /** Posts a card as a reply in a message's thread; returns the reply's id. */
  async postReply(teamId: string, channelId: string, messageId: string, message: TeamsMessage, signal?: AbortSignal): Promise<string> {
    const path = `/teams/${segment(teamId)}/channels/${segment(channelId)}/messages/${segment(messageId)}/replies`;
    const answer = await this.call("reply in the thread", signal, (s) => this.api(path, s).post(cardChatMessage(message)), chatMessageAnswer);
    return answer.id;
  }

  /** Replaces a channel message's card (Graph allows it only to a signed-in user, for their own messages). */
  async updateMessage(teamId: string, channelId: string, messageId: string, message: TeamsMessage, signal?: AbortSignal): Promise<void> {
    const path = `/teams/${segment(teamId)}/channels/${segment(channelId)}/messages/${segment(messageId)}`;
    await this.call("edit the channel message", signal, (s) => this.api(path, s).patch(cardChatMessage(message)), z.unknown());
  }

  private async filesFolder(teamId: string, channelId: string, signal: AbortSignal | undefined): Promise<FilesFolder> {
    const key = `${teamId}/${channelId}`;
    const known = this.folders.get(key);
    if (known) return known;
    const path = `/teams/${segment(teamId)}/channels/${segment(channelId)}/filesFolder`;
    const answer = await this.call("find the channel's files folder", signal, (s) => this.api(path, s).get(), filesFolderAnswer);
    const folder = { driveId: answer.parentReference.driveId, folderId: answer.id };
    this.folders.set(key, folder);
    return folder;
  }

  /** Uploads a file to the channel's folder (renamed if the name is taken); returns its web URL. */
  async uploadFile(teamId: string, channelId: string, filename: string, contents: Buffer, signal?: AbortSignal): Promise<string> {
    const { driveId, folderId } = await this.filesFolder(teamId, channelId, signal);
    const item = `/drives/${segment(driveId)}/items/${segment(folderId)}:/${segment(filename)}:`;
    if (contents.length <= SIMPLE_UPLOAD_MAX_BYTES) {
      const answer = await this.call(
        `upload ${filename}`,
        signal,
        (s) => this.api(`${item}/content`, s).query({ "@microsoft.graph.conflictBehavior": "rename" }).header("Content-Type", "application/octet-stream").put(contents),
        driveItemAnswer,
      );
      return answer.webUrl;
    }
    const session = await this.call(
      `start uploading ${filename}`,
      signal,
      (s) => this.api(`${item}/createUploadSession`, s).post({ item: { "@microsoft.graph.conflictBehavior": "rename" } }),
      uploadSessionAnswer,
    );
    return this.uploadChunks(session.uploadUrl, filename, contents, signal);
  }

  /** Sends a file through an upload session: the URL is pre-authorised, so it carries no token. */
  private async uploadChunks(uploadUrl: string, filename: string, contents: Buffer, signal: AbortSignal | undefined): Promise<string> {
    for (let start = 0; start < contents.length; start += UPLOAD_CHUNK_BYTES) {
      const chunk = contents.subarray(start, Math.min(start + UPLOAD_CHUNK_BYTES, contents.length));
      const end = start + chunk.length - 1;
      let response: Response;
      try {
        response = await this.fetch(uploadUrl, {
          method: "PUT",
          headers: { "content-range": `bytes ${start}-${end}/${contents.length}` },
          body: chunk,
          signal: withTimeout(signal, CHUNK_TIMEOUT_MS),
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw new DeliveryError(`uploading ${filename} failed: ${error instanceof Error ? error.message : String(error)}`, { retryable: true, cause: error });
      }
      if (response.status === 202) {
        await response.arrayBuffer().catch(() => undefined);
        continue;
      }
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        throw new DeliveryError(`uploading ${filename} failed: ${response.status}`, { retryable: response.status >= 500 || response.status === 429, status: response.status });
      }
      const item = driveItemAnswer.safeParse(body);
      if (item.success) return item.data.webUrl;
    }
    throw new DeliveryError(`uploading ${filename}: the upload session ended without the file`, { retryable: true });
  }
}
