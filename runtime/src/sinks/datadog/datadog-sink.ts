/** Robusta's `datadog_sink`: one Datadog event per finding (Events API v1). */
import type { Finding } from "@robusta-ts/sdk";
import { type DeliveryError, parseRetryAfter } from "../../delivery/delivery-error.js";
import { BaseSink } from "../common/base-sink.js";
import { HttpClient, type HttpClientOptions } from "../common/http.js";
import { jsonObject, retryAfterHeader, serviceError } from "../common/service-error.js";
import type { DeliveryOptions, SinkBase } from "../sink.js";
import { apiBaseUrl, type DatadogSinkParams } from "./params.js";
import { renderEvent } from "./render-event.js";

export interface DatadogSinkOptions extends HttpClientOptions {
  readonly clusterName: string;
}

/**
 * A DeliveryError for a Datadog answer that is not a success: 403 (a bad API key) and 400 are for
 * good; on 429 the wait is X-RateLimit-Reset (seconds until the limit resets), else Retry-After.
 */
export function datadogError(service: string, response: Response, now: number): Promise<DeliveryError> {
  return serviceError(response, now, {
    service,
    parse: jsonObject,
    // Datadog's `{"errors": [...]}` as one line, or the body's start (a proxy's page) when it is not that.
    explain: ({ body, text }) =>
      Array.isArray(body?.errors) && body.errors.length > 0 ? body.errors.map(String).join("; ") : text.replace(/\s+/g, " ").trim().slice(0, 300),
    retryAfterMs: ({ response, now }) =>
      (response.status === 429 ? parseRetryAfter(response.headers.get("x-ratelimit-reset")) : undefined) ?? retryAfterHeader(response, now),
  });
}

export class DatadogSink extends BaseSink {
  /** Who is called, for messages: "Datadog api.datadoghq.eu". */
  readonly service: string;
  private readonly url: string;
  private readonly http: HttpClient;
  private readonly now: () => number;

  constructor(
    base: SinkBase,
    private readonly params: Pick<DatadogSinkParams, "api_key" | "site">,
    private readonly options: DatadogSinkOptions,
  ) {
    super(base);
    const baseUrl = apiBaseUrl(params.site)!;
    this.url = `${baseUrl}/api/v1/events`;
    this.service = `Datadog ${new URL(baseUrl).host}`;
    this.http = new HttpClient(options);
    this.now = options.now ?? Date.now;
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    const event = renderEvent(finding, { clusterName: this.options.clusterName, now: this.now() });
    await this.http.sendAndDiscard({
      service: this.service,
      url: this.url,
      init: {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", "dd-api-key": this.params.api_key },
        body: JSON.stringify(event),
      },
      signal: options.signal,
      errorOf: (response, now) => datadogError(this.service, response, now),
    });
  }
}
