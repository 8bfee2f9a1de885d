/**
 * The Slack sink (Robusta's slack_sink, §7.3): a finding becomes a Block Kit message, its files are
 * uploaded and linked, and the message goes to its channel (after channel_override) or a thread.
 * When a firing finding resolves, its message is edited to say so and the resolve is posted in its
 * thread (Robusta #1350). Grouping posts and edits summaries; callback buttons run actions when
 * interactivity is set up (interactivity.ts).
 */
import { errorMessage, type Finding, type Logger } from "@robusta-ts/sdk";
import type { KnownBlock } from "@slack/types";
import { systemDeliveryClock, type DeliveryClock } from "../../delivery/clock.js";
import { DeliveryError } from "../../delivery/delivery-error.js";
import { Pacer } from "../../delivery/pacer.js";
import type { RoutingParams } from "../../routing/params.js";
import { BoundedCache } from "../common/bounded-cache.js";
import { resolveOverride } from "../common/destination-override.js";
import type { DeliveryOptions, GroupSummary, MessageRef, Sink, SinkBase, SinkBuildEnv, SinkServices, ThreadSupport } from "../sink.js";
import { CallbackSigner, signingKeyFor } from "./callbacks.js";
import { withFileLinks, type FailedUpload } from "./file-links.js";
import { SlackInteractivity } from "./interactivity.js";
import type { SlackFile } from "./message.js";
import { renderResolvedEdit, renderSlackMessage, renderSlackSummary, type SlackRenderOptions } from "./render-message.js";
import { SlackApi, type UploadedFile } from "./slack-api.js";
import type { SlackSinkParams } from "./slack-params.js";

/** Firing messages remembered for their resolve edit: how many, and for how long. */
const FIRING_MEMORY = { maxEntries: 2000, ttlMs: 24 * 3600_000 };
/** Uploads remembered per finding, so a retry after a failed post does not upload again. */
const UPLOAD_MEMORY = { maxEntries: 500, ttlMs: 3600_000 };

/** What the sink may be given instead of the real thing: tests pass a virtual clock. */
export interface SlackSinkDeps {
  readonly clock?: DeliveryClock;
  /** Spaces posts and edits per channel; default 1 per second (Slack's limit). */
  readonly pacer?: Pacer;
}

/** A firing finding's message, as posted: what its resolve edit starts from. */
interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
  /** Where replies go: the message itself, or the thread it was posted in. */
  readonly threadTs: string;
  readonly text: string;
  readonly blocks: readonly KnownBlock[];
}

export class SlackSink implements Sink {
  readonly name: string;
  readonly isDefault: boolean;
  readonly routing: RoutingParams;
  readonly threads: ThreadSupport;
  /** Present when interactivity is set up (app_token): connects Socket Mode. */
  readonly start?: (services: SinkServices) => Promise<void>;
  /** Present when signing_secret is set: the Interactivity Request URL, POST /sinks/<name>/interactivity. */
  readonly handleRequest?: (request: Request) => Promise<Response>;

  private readonly api: SlackApi;
  private readonly log: Logger;
  private readonly renderOptions: SlackRenderOptions;
  private readonly interactivity: SlackInteractivity | undefined;
  /** fingerprint → the firing message to edit when it resolves. */
  private readonly firing: BoundedCache<string, PostedMessage>;
  /** finding id → files uploaded so far, by their index in the message. */
  private readonly uploaded: BoundedCache<string, Map<number, UploadedFile>>;

  constructor(
    base: SinkBase,
    private readonly params: SlackSinkParams,
    private readonly env: SinkBuildEnv,
    deps: SlackSinkDeps = {},
  ) {
    this.name = base.name;
    this.isDefault = base.isDefault;
    this.routing = base.routing;
    const clock = deps.clock ?? systemDeliveryClock;
    const now = () => clock.now();
    this.log = env.logger.child({ sink: base.name });
    this.api = new SlackApi({
      token: params.api_key,
      apiUrl: params.api_url,
      clock,
      pacer: deps.pacer ?? new Pacer({ perSecond: 1, clock }),
      logger: this.log,
    });
    this.firing = new BoundedCache({ ...FIRING_MEMORY, now });
    this.uploaded = new BoundedCache({ ...UPLOAD_MEMORY, now });

    const interactive = params.app_token !== undefined || params.signing_secret !== undefined;
    const signer = new CallbackSigner(signingKeyFor(env.globalConfig, params.api_key), base.name);
    this.renderOptions = {
      clusterName: env.clusterName,
      maxLogFileBytes: params.max_log_file_limit_kb * 1024,
      // Without interactivity a button could not do anything: the renderer says so instead.
      ...(interactive && { callbackValue: (choice) => signer.valueFor(choice) }),
    };
    if (interactive) {
      const interactivity = new SlackInteractivity({
        sinkName: base.name,
        botToken: params.api_key,
        ...(params.app_token !== undefined && { appToken: params.app_token }),
        ...(params.signing_secret !== undefined && { signingSecret: params.signing_secret }),
        apiUrl: params.api_url,
        api: this.api,
        signer,
        clock,
        logger: this.log,
        onMessageEdited: (ref, blocks) => this.edited(ref, blocks),
      });
      this.interactivity = interactivity;
      this.start = (services) => interactivity.start(services);
      if (params.signing_secret !== undefined) this.handleRequest = (request) => interactivity.handleRequest(request);
    }

    this.threads = {
      postSummary: (destination, summary, options) => this.postSummary(destination, summary, options),
      updateSummary: (ref, summary, options) => this.updateSummary(ref, summary, options),
    };
  }

  /** The finding's channel: channel_override resolved for it, else slack_channel. */
  destination(finding: Finding): string {
    return resolveOverride(this.params.channel_override, this.params.slack_channel, finding, this.env.clusterName);
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<MessageRef> {
    if (finding.status === "resolved") {
      const original = this.firing.get(finding.fingerprint);
      if (original) {
        const ref = await this.resolve(finding, original, options.signal);
        if (ref) return ref;
      }
    }
    const thread = options.thread;
    return this.post(finding, thread?.channel ?? this.destination(finding), thread?.id, options.signal);
  }

  async close(): Promise<void> {
    await this.interactivity?.close();
  }

  /**
   * Edits the firing message to say it resolved and replies with the resolve in its thread.
   * Undefined when the original cannot be edited any more (deleted, channel archived): the
   * resolve is then posted as a message of its own.
   */
  private async resolve(finding: Finding, original: PostedMessage, signal?: AbortSignal): Promise<MessageRef | undefined> {
    const edit = renderResolvedEdit({ text: original.text, blocks: original.blocks }, finding);
    try {
      await this.api.update({ channel: original.channel, ts: original.ts, ...edit }, signal);
    } catch (error) {
      if (!(error instanceof DeliveryError) || error.retryable) throw error;
      this.firing.delete(finding.fingerprint);
      this.log.warn({ error: error.message, channel: original.channel }, "could not mark the firing Slack message resolved; posting the resolve on its own");
      return undefined;
    }
    const ref = await this.post(finding, original.channel, original.threadTs, signal);
    this.firing.delete(finding.fingerprint);
    return ref;
  }

  private async post(finding: Finding, channel: string, threadTs: string | undefined, signal?: AbortSignal): Promise<MessageRef> {
    const message = renderSlackMessage(finding, this.renderOptions);
    const { uploaded, failed } = await this.upload(finding.id, message.files, signal);
    const { text, blocks } = withFileLinks(message, uploaded, failed);
    const ref = await this.api.postMessage(
      {
        channel,
        text,
        blocks,
        attachments: message.attachments,
        unfurl: message.unfurl,
        ...(threadTs !== undefined && { threadTs }),
      },
      signal,
    );
    this.uploaded.delete(finding.id);
    if (finding.status === "firing") this.firing.set(finding.fingerprint, { channel: ref.channel, ts: ref.id, threadTs: threadTs ?? ref.id, text, blocks });
    return ref;
  }

  /**
   * Uploads the message's files, each once per finding even across retries. A failed upload does
   * not fail the finding: the message says the file is missing (and a retry of the post tries it again).
   */
  private async upload(findingId: string, files: readonly SlackFile[], signal?: AbortSignal): Promise<{ uploaded: UploadedFile[]; failed: FailedUpload[] }> {
    const done = this.uploaded.get(findingId) ?? new Map<number, UploadedFile>();
    const uploaded: UploadedFile[] = [];
    const failed: FailedUpload[] = [];
    for (const [index, file] of files.entries()) {
      // Slack refuses empty files.
      if (file.content.length === 0) continue;
      const earlier = done.get(index);
      if (earlier) {
        uploaded.push(earlier);
        continue;
      }
      try {
        const result = await this.api.uploadFile(file, signal);
        done.set(index, result);
        uploaded.push(result);
      } catch (error) {
        signal?.throwIfAborted();
        failed.push({ name: file.filename, reason: errorMessage(error) });
        this.log.warn({ file: file.filename, error: errorMessage(error) }, "Slack file upload failed; the message says so instead");
      }
    }
    if (done.size > 0) this.uploaded.set(findingId, done);
    return { uploaded, failed };
  }

  private postSummary(destination: string, summary: GroupSummary, options: DeliveryOptions = {}): Promise<MessageRef> {
    const { text, blocks } = renderSlackSummary(summary, this.env.clusterName);
    return this.api.postMessage(
      { channel: options.thread?.channel ?? destination, text, blocks, ...(options.thread !== undefined && { threadTs: options.thread.id }) },
      options.signal,
    );
  }

  private async updateSummary(ref: MessageRef, summary: GroupSummary, options: DeliveryOptions = {}): Promise<void> {
    const { text, blocks } = renderSlackSummary(summary, this.env.clusterName);
    await this.api.update({ channel: ref.channel, ts: ref.id, text, blocks }, options.signal);
  }

  /** A button press edited a message: a later resolve edit starts from the edited blocks. */
  private edited(ref: { channel: string; ts: string }, blocks: readonly KnownBlock[]): void {
    const entry = this.firing.find((posted) => posted.channel === ref.channel && posted.ts === ref.ts);
    if (entry) this.firing.set(entry[0], { ...entry[1], blocks });
  }
}
