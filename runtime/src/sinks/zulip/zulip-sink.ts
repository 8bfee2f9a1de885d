/**
 * Robusta's `zulip_sink`: each finding is a message in a stream, under `topic_name` or the topic
 * `topic_override` gives it; files are uploaded first and linked from the message.
 *
 * An upload that may succeed later (a rate limit, a server error, a network failure) fails the
 * write, and the delivery queue retries it; uploads done so far are remembered per finding, so the
 * retry does not upload them again. An upload Zulip refuses for good (too large, not allowed) does
 * not hold the finding back: the message says the file is missing.
 */
import { errorMessage, type Finding, type Logger } from "@robusta-ts/sdk";
import { DeliveryError } from "../../delivery/delivery-error.js";
import { BaseSink } from "../common/base-sink.js";
import { BoundedCache } from "../common/bounded-cache.js";
import { attachedFile } from "../common/files.js";
import type { HttpClientOptions } from "../common/http.js";
import type { DeliveryOptions, SinkBase } from "../sink.js";
import type { ZulipSinkParams } from "./params.js";
import { filesToUpload, renderZulipContent, zulipFiles, zulipTopic, type UploadOutcome } from "./render-message.js";
import { ZulipApi } from "./zulip-api.js";

/** Uploads remembered per finding, so a retry does not upload again: how many findings, how long. */
const UPLOAD_MEMORY = { maxEntries: 500, ttlMs: 3600_000 };

export interface ZulipSinkOptions extends HttpClientOptions {
  readonly clusterName: string;
  readonly logger: Logger;
  /** How long one upload may take. Default 5 minutes. */
  readonly uploadTimeoutMs?: number;
}

export class ZulipSink extends BaseSink {
  private readonly api: ZulipApi;
  private readonly log: Logger;
  /** finding id → links of the files uploaded so far, by file index. */
  private readonly uploaded: BoundedCache<string, Map<number, string>>;

  constructor(
    base: SinkBase,
    private readonly params: ZulipSinkParams,
    private readonly options: ZulipSinkOptions,
  ) {
    super(base);
    this.api = new ZulipApi({ ...options, apiUrl: params.api_url.replace(/\/+$/, ""), email: params.bot_email, apiKey: params.bot_api_key });
    this.log = options.logger.child({ sink: base.name });
    this.uploaded = new BoundedCache({ ...UPLOAD_MEMORY, now: options.now ?? Date.now });
  }

  /** The stream and topic: findings for one topic are sent in order. */
  destination(finding: Finding): string {
    return `${this.params.stream_name} > ${this.topic(finding)}`;
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    const uploads = await this.upload(finding, options.signal);
    const content = renderZulipContent(finding, { clusterName: this.options.clusterName, logPreviewChars: this.params.log_preview_char_limit, uploads });
    await this.api.sendStreamMessage({ stream: this.params.stream_name, topic: this.topic(finding), content }, options.signal);
    this.uploaded.delete(finding.id);
  }

  private topic(finding: Finding): string {
    return zulipTopic(finding, { topicName: this.params.topic_name, topicOverride: this.params.topic_override }, this.options.clusterName);
  }

  private async upload(finding: Finding, signal?: AbortSignal): Promise<Map<number, UploadOutcome>> {
    const files = zulipFiles(finding);
    const done = this.uploaded.get(finding.id) ?? new Map<number, string>();
    const outcomes = new Map<number, UploadOutcome>();
    for (const index of filesToUpload(finding, this.params.log_preview_char_limit)) {
      const earlier = done.get(index);
      if (earlier !== undefined) {
        outcomes.set(index, { url: earlier });
        continue;
      }
      const file = attachedFile(files[index]!);
      try {
        const url = await this.api.upload(file, signal);
        done.set(index, url);
        this.uploaded.set(finding.id, done);
        outcomes.set(index, { url });
      } catch (error) {
        signal?.throwIfAborted();
        if (!(error instanceof DeliveryError) || error.retryable) throw error;
        outcomes.set(index, { failed: errorMessage(error) });
        this.log.warn({ file: file.filename, error: errorMessage(error) }, "Zulip file upload failed; the message says so instead");
      }
    }
    return outcomes;
  }
}
