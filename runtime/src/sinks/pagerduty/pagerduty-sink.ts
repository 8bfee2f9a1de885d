/** Robusta's `pagerduty_sink`: findings as PagerDuty alert events (trigger/resolve), configuration changes as change events. */
import type { Finding } from "@robusta-ts/sdk";
import { BaseSink } from "../common/base-sink.js";
import { BoundedCache } from "../common/bounded-cache.js";
import { HttpClient, type HttpClientOptions } from "../common/http.js";
import type { DeliveryOptions, SinkBase } from "../sink.js";
import type { PagerdutySinkParams } from "./params.js";
import { pagerdutyDeliveryError } from "./pagerduty-errors.js";
import { CHANGE_AGGREGATION_KEY, renderChangeEvents } from "./render-change.js";
import { renderAlertEvent } from "./render-event.js";

/** Change events already sent per finding, so a retry after a failed one does not send them again: how many findings, how long. */
const SENT_MEMORY = { maxEntries: 500, ttlMs: 3600_000 };

export interface PagerdutySinkOptions extends HttpClientOptions {
  readonly clusterName: string;
}

/** Sends each finding to the Events API v2; failures throw DeliveryErrors the delivery queue retries or drops. */
export class PagerdutySink extends BaseSink {
  private readonly http: HttpClient;
  private readonly routingKey: string;
  private readonly apiUrl: string;
  /** finding id → how many of its change events PagerDuty accepted (change events have no dedup_key). */
  private readonly sentChanges: BoundedCache<string, number>;

  constructor(
    base: SinkBase,
    params: Pick<PagerdutySinkParams, "api_key" | "api_url">,
    private readonly options: PagerdutySinkOptions,
  ) {
    super(base);
    this.routingKey = params.api_key;
    this.apiUrl = params.api_url.replace(/\/+$/, "");
    this.http = new HttpClient(options);
    this.sentChanges = new BoundedCache({ ...SENT_MEMORY, now: options.now ?? Date.now });
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    const render = { clusterName: this.options.clusterName, routingKey: this.routingKey };
    if (finding.aggregationKey === CHANGE_AGGREGATION_KEY) {
      const done = this.sentChanges.get(finding.id) ?? 0;
      for (const [index, event] of renderChangeEvents(finding, render).entries()) {
        if (index < done) continue;
        await this.post("/v2/change/enqueue", event, options.signal);
        this.sentChanges.set(finding.id, index + 1);
      }
      this.sentChanges.delete(finding.id);
      return;
    }
    await this.post("/v2/enqueue", renderAlertEvent(finding, render), options.signal);
  }

  private async post(path: string, event: unknown, signal: AbortSignal | undefined): Promise<void> {
    await this.http.sendAndDiscard({
      service: "PagerDuty",
      url: `${this.apiUrl}${path}`,
      init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(event) },
      signal,
      errorOf: (response, now) => pagerdutyDeliveryError(response, now, this.routingKey),
    });
  }
}
