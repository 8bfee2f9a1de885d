/**
 * Robusta's `mattermost_sink`: posts each finding to a channel as its bot, with the finding's
 * files uploaded and attached (at most 10 per post, each within Mattermost's default 100 MB).
 * The channel is looked up by name once and remembered.
 */
import type { Finding, Logger } from "@robusta-ts/sdk";
import { DeliveryError } from "../../delivery/delivery-error.js";
import { BaseSink } from "../common/base-sink.js";
import { BoundedCache } from "../common/bounded-cache.js";
import { findingFiles } from "../common/files.js";
import { HttpClient, type HttpClientOptions } from "../common/http.js";
import type { DeliveryOptions, SinkBase } from "../sink.js";
import { findChannelId } from "./channel-lookup.js";
import { MattermostApi } from "./mattermost-api.js";
import type { MattermostSinkParams } from "./params.js";
import { renderMattermostPost, type UnattachedFile } from "./render-post.js";

/** Files a post may carry (Mattermost's product limit). */
export const MAX_FILES_PER_POST = 10;
/** Mattermost's default largest file (FileSettings.MaxFileSize); a server set lower answers 413, which is said in the post too. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;
/** Uploads remembered for findings whose post has not gone yet, so a retried post does not upload again: how many findings, how long. */
const UPLOAD_MEMORY = { maxEntries: 200, ttlMs: 3600_000 };

export interface MattermostSinkOptions extends HttpClientOptions {
  readonly clusterName: string;
  readonly logger: Logger;
}

export class MattermostSink extends BaseSink {
  private readonly api: MattermostApi;
  private readonly log: Logger;
  private channelId: Promise<string> | undefined;
  /** finding id → ids of the files uploaded so far, by file index. */
  private readonly uploaded: BoundedCache<string, Map<number, string>>;

  constructor(
    base: SinkBase,
    private readonly params: Pick<MattermostSinkParams, "url" | "token" | "channel" | "team">,
    private readonly options: MattermostSinkOptions,
  ) {
    super(base);
    this.api = new MattermostApi(params.url, params.token, new HttpClient(options));
    this.log = options.logger.child({ sink: base.name });
    this.uploaded = new BoundedCache({ ...UPLOAD_MEMORY, now: options.now ?? Date.now });
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    const channelId = await this.channel(options.signal);
    const { fileIds, unattached } = await this.upload(finding, channelId, options.signal);
    const content = renderMattermostPost(finding, { clusterName: this.options.clusterName, unattached });
    // Per channel and finding: the same for each try of this post, and no other post's.
    await this.api.createPost({ channel_id: channelId, ...content, file_ids: fileIds, pending_post_id: `${channelId}:${finding.id}` }, options.signal);
    this.uploaded.delete(finding.id);
  }

  /** The channel's id, looked up once; a failed lookup is tried again with the next finding. */
  private channel(signal: AbortSignal | undefined): Promise<string> {
    this.channelId ??= findChannelId(this.api, this.params.channel, this.params.team, signal).catch((error: unknown) => {
      this.channelId = undefined;
      throw error;
    });
    return this.channelId;
  }

  /**
   * Uploads the finding's files, in order, up to the post's limit. A file Mattermost refuses (too
   * large, a type it blocks) is left out and said in the post; failures worth retrying fail the send.
   */
  private async upload(finding: Finding, channelId: string, signal: AbortSignal | undefined): Promise<{ fileIds: string[]; unattached: UnattachedFile[] }> {
    const fileIds: string[] = [];
    const unattached: UnattachedFile[] = [];
    const done = this.uploaded.get(finding.id) ?? new Map<number, string>();
    for (const [index, file] of findingFiles(finding).entries()) {
      if (fileIds.length === MAX_FILES_PER_POST) {
        unattached.push({ filename: file.filename, reason: `a post takes at most ${MAX_FILES_PER_POST} files` });
        continue;
      }
      if (file.bytes.length > MAX_FILE_BYTES) {
        unattached.push({ filename: file.filename, reason: "it is over Mattermost's 100 MB file limit" });
        continue;
      }
      let id = done.get(index);
      if (id === undefined) {
        try {
          id = await this.api.uploadFile(channelId, file, signal);
        } catch (error) {
          if (!(error instanceof DeliveryError) || error.retryable) throw error;
          this.log.warn({ file: file.filename, reason: error.message }, "Mattermost refused a file; the post says it is missing");
          unattached.push({ filename: file.filename, reason: error.message });
          continue;
        }
        done.set(index, id);
        this.uploaded.set(finding.id, done);
      }
      fileIds.push(id);
    }
    return { fileIds, unattached };
  }
}
