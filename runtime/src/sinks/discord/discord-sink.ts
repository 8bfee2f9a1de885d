/**
 * Robusta's `discord_sink`: each finding as one message to a channel webhook, with `?wait=true`
 * so Discord answers with the message or the reason it refused it. The message is JSON, or
 * multipart/form-data (payload_json and files[n]) when files go with it.
 */
import type { Finding } from "@robusta-ts/sdk";
import { BaseSink } from "../common/base-sink.js";
import { HttpClient, type HttpClientOptions } from "../common/http.js";
import type { DeliveryOptions, SinkBase } from "../sink.js";
import { discordError } from "./discord-errors.js";
import type { DiscordSinkParams } from "./params.js";
import { renderDiscordMessage, type DiscordRendering } from "./render-message.js";

/**
 * A URL as Discord's "Copy Webhook URL" gives it names no API version, and Discord serves those
 * (like /v6 and /v7 ones) as its deprecated v6, whose rate limits give retry_after in
 * milliseconds rather than seconds: such URLs are sent to v10, which the sink speaks.
 */
const OLD_API_PATH = /^\/api(?:\/v[67])?\/webhooks\//;
const API_PATH = "/api/v10/webhooks/";

export interface DiscordSinkOptions extends HttpClientOptions {
  readonly clusterName: string;
}

/** The request body: JSON alone, or the JSON as payload_json with files[n]. */
function discordRequestBody({ message, files }: DiscordRendering): { body: string | FormData; headers: Record<string, string> } {
  if (files.length === 0) return { body: JSON.stringify(message), headers: { "content-type": "application/json" } };
  const form = new FormData();
  form.append("payload_json", JSON.stringify(message));
  files.forEach((file, n) => form.append(`files[${n}]`, new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.filename));
  // fetch sets multipart/form-data with its boundary.
  return { body: form, headers: {} };
}

export class DiscordSink extends BaseSink {
  /** The webhook URL, on API v10, with wait=true. It holds the webhook's token, so errors never show it. */
  private readonly url: URL;
  private readonly http: HttpClient;

  constructor(
    base: SinkBase,
    params: Pick<DiscordSinkParams, "url">,
    private readonly options: DiscordSinkOptions,
  ) {
    super(base);
    this.url = new URL(params.url);
    this.url.pathname = this.url.pathname.replace(OLD_API_PATH, API_PATH);
    this.url.searchParams.set("wait", "true");
    this.http = new HttpClient(options);
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    const { body, headers } = discordRequestBody(renderDiscordMessage(finding, this.options.clusterName));
    await this.http.sendAndDiscard({
      service: "Discord webhook",
      url: this.url,
      init: { method: "POST", headers, body },
      signal: options.signal,
      errorOf: discordError,
    });
  }
}
