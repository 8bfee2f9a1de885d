/**
 * `ms_teams_sink` in webhook mode: each finding as one Adaptive Card POSTed to a Teams Workflows
 * webhook ("Post to a channel when a webhook request is received"; legacy Office 365 connector
 * URLs work too). Cards are cut to Teams' 28 KB, and sends are paced to the webhook's 4 requests
 * per second before Teams has to refuse them.
 */
import type { Finding, Logger } from "@robusta-ts/sdk";
import { systemDeliveryClock, type DeliveryClock } from "../../delivery/clock.js";
import { DeliveryError, httpDeliveryError } from "../../delivery/delivery-error.js";
import { Pacer } from "../../delivery/pacer.js";
import type { RoutingParams } from "../../routing/params.js";
import type { DeliveryOptions, Sink, SinkBase } from "../sink.js";
import { teamsMessageBytes } from "./adaptive-card.js";
import { renderTeamsCard } from "./render-card.js";
import { resolveWebhookUrl } from "./webhook-url.js";

/** Requests per second a Teams webhook takes (Teams' connector limits: 4 per second, 60 per 30 s). */
export const WEBHOOK_REQUESTS_PER_SECOND = 4;
const DEFAULT_TIMEOUT_MS = 30_000;

export interface TeamsWebhookSinkOptions {
  readonly webhookUrl: string;
  /** Robusta's webhook_override template. */
  readonly webhookOverride?: string;
  readonly clusterName: string;
  /** Whether text files show their last lines. Default true. */
  readonly sendFiles?: boolean;
  /** The card's byte budget. Default 28 KB. */
  readonly maxBytes?: number;
  readonly logger: Logger;
  /** Pacing and Retry-After dates use it. Default: the system clock. */
  readonly clock?: DeliveryClock;
  /** Spaces requests per webhook URL. Default: 4 per second. */
  readonly pacer?: Pacer;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** Where webhook_override's variable names are looked up. Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long one request may take before it is given up (and retried). Default 30 s. */
  readonly timeoutMs?: number;
}

/**
 * What a webhook's answer means. Workflows answer 202 and run the flow afterwards; legacy
 * connectors answer 200 even when Teams refused the message, with the error in the body text, so
 * a success is only a success when its body says no error.
 */
export async function webhookResponseError(response: Response, cardBytes: number, now: number): Promise<DeliveryError | undefined> {
  if (response.status === 413) {
    const body = (await response.text().catch(() => "")).slice(0, 300);
    return new DeliveryError(`Teams refused the card as too large (413, ${cardBytes} bytes as Teams counts them)${body ? `: ${body}` : ""}`, { retryable: false, status: 413 });
  }
  if (!response.ok) return httpDeliveryError("Teams webhook", response, now);
  const body = (await response.text().catch(() => "")).slice(0, 300);
  if (/HTTP error 429/i.test(body)) return new DeliveryError(`Teams webhook is rate limited: ${body}`, { retryable: true, status: 429 });
  if (/error/i.test(body)) return new DeliveryError(`Teams webhook answered ${response.status} with an error: ${body}`, { retryable: false, status: response.status });
  return undefined;
}

export class TeamsWebhookSink implements Sink {
  readonly name: string;
  readonly isDefault: boolean;
  readonly routing: RoutingParams;
  private readonly clock: DeliveryClock;
  private readonly pacer: Pacer;
  private readonly fetch: typeof fetch;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly timeoutMs: number;
  private readonly log: Logger;
  /** Override problems already reported: a misconfiguration is logged once, not per finding. */
  private readonly reported = new Set<string>();

  constructor(
    base: SinkBase,
    private readonly options: TeamsWebhookSinkOptions,
  ) {
    this.name = base.name;
    this.isDefault = base.isDefault;
    this.routing = base.routing;
    this.clock = options.clock ?? systemDeliveryClock;
    this.pacer = options.pacer ?? new Pacer({ perSecond: WEBHOOK_REQUESTS_PER_SECOND, clock: this.clock });
    this.fetch = options.fetch ?? fetch;
    this.env = options.env ?? process.env;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.log = options.logger.child({ sink: base.name });
  }

  /** The webhook URL `finding` goes to (after webhook_override). */
  destination(finding: Finding): string {
    const { url, problem } = resolveWebhookUrl(this.options.webhookOverride, this.options.webhookUrl, finding, this.options.clusterName, this.env);
    if (problem !== undefined && !this.reported.has(problem)) {
      this.reported.add(problem);
      this.log.warn({ reason: problem }, "ms_teams_sink: sending to webhook_url instead");
    }
    return url;
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    const url = this.destination(finding);
    const message = renderTeamsCard(finding, {
      clusterName: this.options.clusterName,
      ...(this.options.maxBytes !== undefined && { maxBytes: this.options.maxBytes }),
      ...(this.options.sendFiles !== undefined && { showFiles: this.options.sendFiles }),
    });
    await this.pacer.wait(url, options.signal);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.fetch(url, { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(message), signal });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      // The URL holds the webhook's secret: errors name only its host.
      const host = new URL(url).host;
      if (timeout.aborted) throw new DeliveryError(`Teams webhook ${host} did not answer within ${this.timeoutMs / 1000} s`, { retryable: true, cause: error });
      throw new DeliveryError(`Teams webhook ${host} could not be reached: ${error instanceof Error ? error.message : String(error)}`, { retryable: true, cause: error });
    }
    const failure = await webhookResponseError(response, teamsMessageBytes(message), this.clock.now());
    if (failure) throw failure;
  }
}
