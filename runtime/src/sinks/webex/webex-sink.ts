/**
 * Robusta's `webex_sink`: posts each finding to a Webex room as its bot, a markdown message
 * followed by one message per file (Webex takes one file per message). The room may be picked
 * per finding with `room_id_override`.
 */
import type { Finding, Logger } from "@robusta-ts/sdk";
import { DeliveryError } from "../../delivery/delivery-error.js";
import { BaseSink } from "../common/base-sink.js";
import { BoundedCache } from "../common/bounded-cache.js";
import { resolveOverride } from "../common/destination-override.js";
import { findingFiles, type AttachedFile } from "../common/files.js";
import { HttpClient, UPLOAD_TIMEOUT_MS, type HttpClientOptions } from "../common/http.js";
import type { DeliveryOptions, SinkBase } from "../sink.js";
import type { WebexSinkParams } from "./params.js";
import { renderWebexMarkdown, type UnsentFile } from "./render-message.js";
import { webexError } from "./webex-errors.js";

/** Webex's largest file. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;
// What resolveOverride returns when the finding lacks what room_id_override names.
const UNRESOLVED = "\u0000unresolved";
/** Parts of findings already sent, so a retry after a failed file does not send the message again: how many findings, how long. */
const SENT_MEMORY = { maxEntries: 500, ttlMs: 3600_000 };

export interface WebexSinkOptions extends HttpClientOptions {
  readonly clusterName: string;
  readonly logger: Logger;
}

export type WebexTarget = Pick<WebexSinkParams, "bot_access_token" | "room_id" | "send_to_default_if_missing" | "api_url"> &
  Partial<Pick<WebexSinkParams, "room_id_override">>;

export class WebexSink extends BaseSink {
  private readonly http: HttpClient;
  private readonly messagesUrl: string;
  private readonly log: Logger;
  /** finding id → the parts of it sent so far ("<room>\u0000message", "<room>\u0000file 0"). */
  private readonly sent: BoundedCache<string, Set<string>>;

  constructor(
    base: SinkBase,
    private readonly target: WebexTarget,
    private readonly options: WebexSinkOptions,
  ) {
    super(base);
    this.http = new HttpClient(options);
    this.messagesUrl = `${target.api_url.replace(/\/+$/, "")}/v1/messages`;
    this.log = options.logger.child({ sink: base.name });
    this.sent = new BoundedCache({ ...SENT_MEMORY, now: options.now ?? Date.now });
  }

  /** The room `finding` goes to (room_id when it is dropped: the queue needs one). */
  destination(finding: Finding): string {
    return this.route(finding) ?? this.target.room_id;
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    const room = this.route(finding);
    if (room === undefined) {
      this.log.debug({ finding: finding.title }, "room_id_override did not resolve and send_to_default_if_missing is off: finding dropped");
      return;
    }
    const files = findingFiles(finding);
    const unsent: UnsentFile[] = files
      .filter((file) => file.bytes.length > MAX_FILE_BYTES)
      .map((file) => ({ filename: file.filename, reason: "it is over Webex's 100 MB file limit" }));
    const markdown = renderWebexMarkdown(finding, { clusterName: this.options.clusterName, unsent });
    const part = (name: string) => `${room}\u0000${name}`;

    await this.once(finding.id, part("message"), () => this.post(JSON.stringify({ roomId: room, markdown }), options.signal));
    for (const [index, file] of files.entries()) {
      if (file.bytes.length > MAX_FILE_BYTES) continue;
      try {
        await this.once(finding.id, part(`file ${index}`), () => this.post(fileForm(room, file), options.signal));
      } catch (error) {
        if (!(error instanceof DeliveryError) || error.retryable) throw error;
        this.log.warn({ file: file.filename, reason: error.message }, "Webex refused a file; the finding's message was sent without it");
      }
    }
    this.sent.delete(finding.id);
  }

  /** The room for `finding`, or undefined when room_id_override does not resolve and send_to_default_if_missing is off. */
  private route(finding: Finding): string | undefined {
    const { room_id_override: override, room_id: room, send_to_default_if_missing: toDefault } = this.target;
    const resolved = resolveOverride(override, UNRESOLVED, finding, this.options.clusterName).trim();
    if (resolved !== UNRESOLVED && resolved !== "") return resolved;
    return override && !toDefault ? undefined : room;
  }

  /** Sends a part of a finding unless it was sent already (by a try that failed later). */
  private async once(findingId: string, part: string, send: () => Promise<void>): Promise<void> {
    const sent = this.sent.get(findingId) ?? new Set<string>();
    if (sent.has(part)) return;
    await send();
    sent.add(part);
    this.sent.set(findingId, sent);
  }

  private async post(body: string | FormData, signal: AbortSignal | undefined): Promise<void> {
    await this.http.sendAndDiscard({
      service: "Webex",
      url: this.messagesUrl,
      init: {
        method: "POST",
        headers: { authorization: `Bearer ${this.target.bot_access_token}`, ...(typeof body === "string" && { "content-type": "application/json" }) },
        body,
      },
      signal,
      errorOf: webexError,
      // A message is small; a file may be up to 100 MB.
      ...(typeof body !== "string" && { timeoutMs: UPLOAD_TIMEOUT_MS }),
    });
  }
}

/** A message carrying one file (multipart: roomId, files). */
function fileForm(room: string, file: AttachedFile): FormData {
  const form = new FormData();
  form.append("roomId", room);
  form.append("files", new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.filename);
  return form;
}
