/** Robusta's `opsgenie_sink`: a firing finding creates an alert (alias = fingerprint), a resolved one closes it. */
import type { Finding } from "@robusta-ts/sdk";
import { BaseSink } from "../common/base-sink.js";
import { HttpClient, type HttpClientOptions } from "../common/http.js";
import type { DeliveryOptions, SinkBase } from "../sink.js";
import { aliasOf } from "./alert-limits.js";
import { opsgenieDeliveryError } from "./opsgenie-errors.js";
import type { OpsgenieSinkParams } from "./params.js";
import { CLOSE_ALERT_BODY, renderCreateAlert, type AlertOptions } from "./render-alert.js";

export interface OpsgenieSinkOptions extends HttpClientOptions {
  readonly clusterName: string;
}

/** Sends each finding to the Alert API; failures throw DeliveryErrors the delivery queue retries or drops. */
export class OpsgenieSink extends BaseSink {
  private readonly http: HttpClient;
  private readonly host: string;
  private readonly apiKey: string;
  private readonly alert: AlertOptions;

  constructor(
    base: SinkBase,
    params: Pick<OpsgenieSinkParams, "api_key" | "host" | "teams" | "default_team" | "tags" | "extra_details_labels">,
    options: OpsgenieSinkOptions,
  ) {
    super(base);
    this.apiKey = params.api_key;
    this.host = params.host.replace(/\/+$/, "");
    this.alert = {
      clusterName: options.clusterName,
      teams: params.teams,
      ...(params.default_team !== undefined && { defaultTeam: params.default_team }),
      tags: params.tags,
      extraDetailsLabels: params.extra_details_labels,
    };
    this.http = new HttpClient(options);
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    if (finding.status === "resolved") {
      const alias = encodeURIComponent(aliasOf(finding.fingerprint));
      await this.post(`/v2/alerts/${alias}/close?identifierType=alias`, CLOSE_ALERT_BODY, "close the alert", options.signal);
      return;
    }
    await this.post("/v2/alerts", renderCreateAlert(finding, this.alert), "create an alert", options.signal);
  }

  private async post(path: string, body: unknown, action: string, signal: AbortSignal | undefined): Promise<void> {
    await this.http.sendAndDiscard({
      service: "Opsgenie",
      url: `${this.host}${path}`,
      init: { method: "POST", headers: { authorization: `GenieKey ${this.apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) },
      signal,
      errorOf: (response, now) => opsgenieDeliveryError(response, now, action, this.apiKey),
    });
  }
}
