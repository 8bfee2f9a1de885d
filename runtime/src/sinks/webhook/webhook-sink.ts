/** Robusta's `webhook_sink`: POSTs each finding to a URL as text or JSON (§7.5). */
import type { Finding } from "@robusta-ts/sdk";
import { HttpClient, type HttpClientOptions } from "../common/http.js";
import type { RoutingParams } from "../../routing/params.js";
import type { DeliveryOptions, Sink, SinkBase } from "../sink.js";
import type { WebhookSinkParams } from "./params.js";
import { renderSlackWebhookJson, renderWebhookJson } from "./render-json.js";
import { renderWebhookText } from "./render-text.js";

/** What the sink sends and where: the webhook-specific part of its parameters. */
export type WebhookTarget = Pick<WebhookSinkParams, "url" | "format" | "size_limit" | "slack_webhook" | "headers"> &
  Partial<Pick<WebhookSinkParams, "authorization">>;

export interface WebhookSinkOptions extends HttpClientOptions {
  readonly clusterName: string;
}

/** POSTs each finding to `url`; failed requests throw DeliveryErrors the delivery queue retries or drops. */
export class WebhookSink implements Sink {
  readonly name: string;
  readonly isDefault: boolean;
  readonly routing: RoutingParams;
  /** The host findings go to: what errors name (the URL itself may hold a token). */
  readonly host: string;
  private readonly headers: Headers;
  private readonly http: HttpClient;

  constructor(
    base: SinkBase,
    private readonly target: WebhookTarget,
    private readonly options: WebhookSinkOptions,
  ) {
    this.name = base.name;
    this.isDefault = base.isDefault;
    this.routing = base.routing;
    this.host = new URL(target.url).host;
    this.headers = new Headers(target.headers);
    if (!this.headers.has("content-type")) this.headers.set("content-type", target.format === "json" ? "application/json" : "text/plain; charset=utf-8");
    if (target.authorization !== undefined) this.headers.set("authorization", target.authorization);
    this.http = new HttpClient(options);
  }

  /** The request body for `finding`, within `size_limit` bytes. */
  body(finding: Finding): string {
    const { format, size_limit: sizeLimit, slack_webhook: slack } = this.target;
    if (format === "text") return renderWebhookText(finding, this.options.clusterName, sizeLimit);
    return JSON.stringify(slack ? renderSlackWebhookJson(finding, sizeLimit) : renderWebhookJson(finding, this.options.clusterName, sizeLimit));
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    await this.http.sendAndDiscard({
      service: `webhook ${this.host}`,
      url: this.target.url,
      init: { method: "POST", headers: this.headers, body: this.body(finding) },
      signal: options.signal,
    });
  }
}
