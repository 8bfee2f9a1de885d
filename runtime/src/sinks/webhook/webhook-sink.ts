/** Robusta's `webhook_sink`: POSTs each finding to a URL as text or JSON (§7.5). */
import type { Finding } from "@robusta-ts/sdk";
import { DeliveryError, httpDeliveryError } from "../../delivery/delivery-error.js";
import type { RoutingParams } from "../../routing/params.js";
import type { DeliveryOptions, Sink, SinkBase } from "../sink.js";
import type { WebhookSinkParams } from "./params.js";
import { renderSlackWebhookJson, renderWebhookJson } from "./render-json.js";
import { renderWebhookText } from "./render-text.js";

/** What the sink sends and where: the webhook-specific part of its parameters. */
export type WebhookTarget = Pick<WebhookSinkParams, "url" | "format" | "size_limit" | "slack_webhook" | "headers"> &
  Partial<Pick<WebhookSinkParams, "authorization">>;

export interface WebhookSinkOptions {
  readonly clusterName: string;
  /** How long one request may take before it is given up (and retried). Default 30 s. */
  readonly timeoutMs?: number;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** The time a Retry-After date is measured from. Default: Date.now. */
  readonly now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** POSTs each finding to `url`; failed requests throw DeliveryErrors the delivery queue retries or drops. */
export class WebhookSink implements Sink {
  readonly name: string;
  readonly isDefault: boolean;
  readonly routing: RoutingParams;
  /** The host findings go to: what errors name (the URL itself may hold a token). */
  readonly host: string;
  private readonly headers: Headers;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly now: () => number;

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
    this.fetch = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  /** The request body for `finding`, within `size_limit` bytes. */
  body(finding: Finding): string {
    const { format, size_limit: sizeLimit, slack_webhook: slack } = this.target;
    if (format === "text") return renderWebhookText(finding, this.options.clusterName, sizeLimit);
    return JSON.stringify(slack ? renderSlackWebhookJson(finding, sizeLimit) : renderWebhookJson(finding, this.options.clusterName, sizeLimit));
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const service = `webhook ${this.host}`;
    let response: Response;
    try {
      response = await this.fetch(this.target.url, { method: "POST", headers: this.headers, body: this.body(finding), signal });
    } catch (error) {
      throw this.failure(service, error, options.signal, timeout);
    }
    if (!response.ok) throw await httpDeliveryError(service, response, this.now());
    // Read the answer so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
  }

  private failure(service: string, error: unknown, stop: AbortSignal | undefined, timeout: AbortSignal): unknown {
    // Shutdown: the queue's own reason, not a delivery failure.
    if (stop?.aborted) return stop.reason;
    if (timeout.aborted) {
      return new DeliveryError(`${service} did not answer within ${this.timeoutMs / 1000} s`, { retryable: true, cause: error });
    }
    return new DeliveryError(`${service} could not be reached: ${reasonOf(error)}`, { retryable: true, cause: error });
  }
}

/** fetch's "fetch failed" says little; its cause (ECONNREFUSED, ENOTFOUND, ...) says what happened. */
function reasonOf(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${message} (${code})` : message;
}
