/**
 * One HTTP request to a service, with what every HTTP sink needs: a timeout, the runner's stop
 * signal, and failures as DeliveryErrors the delivery queue can retry (network errors, timeouts,
 * 408/425/429/5xx, honouring Retry-After) or give up on (other 4xx).
 */
import { DeliveryError, httpDeliveryError } from "../../delivery/delivery-error.js";

export interface HttpClientOptions {
  /** How long one request may take before it is given up (and retried). Default 30 s. */
  readonly timeoutMs?: number;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** The time a Retry-After date is measured from. Default: Date.now. */
  readonly now?: () => number;
}

export interface HttpRequest {
  /** Who is called, for messages: "PagerDuty", "webhook hooks.example.com". Never the URL (it may hold a token). */
  readonly service: string;
  readonly url: string | URL;
  readonly init: Omit<RequestInit, "signal">;
  /** Aborted when the runner stops waiting (shutdown). */
  readonly signal?: AbortSignal | undefined;
  /**
   * Turns an answer that is not a success into the error to throw, for services that say more in
   * their body (a rate limit's wait in JSON). Default: the status decides, Retry-After is honoured.
   */
  readonly errorOf?: (response: Response, now: number) => Promise<DeliveryError>;
  /** This request's timeout instead of the client's: uploads of large files take longer. */
  readonly timeoutMs?: number;
}

/** How long a file upload may take: files may be tens of MB, and a timed-out upload starts over. */
export const UPLOAD_TIMEOUT_MS = 300_000;

const DEFAULT_TIMEOUT_MS = 30_000;

/** Sends requests for one sink; see `send`. */
export class HttpClient {
  readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(options: HttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetch = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  /** Sends the request; returns the answer when it is a 2xx (its body unread), throws a DeliveryError otherwise. */
  async send(request: HttpRequest): Promise<Response> {
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.fetch(request.url, { ...request.init, signal });
    } catch (error) {
      throw this.failure(request.service, error, request.signal, timeout, timeoutMs);
    }
    if (!response.ok) throw await (request.errorOf ?? httpDeliveryError.bind(undefined, request.service))(response, this.now());
    return response;
  }

  /** Sends the request and reads a 2xx answer's JSON body (undefined when it is empty or not JSON). */
  async sendForJson(request: HttpRequest): Promise<unknown> {
    const response = await this.send(request);
    const text = await response.text().catch(() => "");
    try {
      return text === "" ? undefined : (JSON.parse(text) as unknown);
    } catch {
      return undefined;
    }
  }

  /** Sends the request and drops a 2xx answer's body (read, so the connection can be reused). */
  async sendAndDiscard(request: HttpRequest): Promise<void> {
    const response = await this.send(request);
    await response.arrayBuffer().catch(() => undefined);
  }

  private failure(service: string, error: unknown, stop: AbortSignal | undefined, timeout: AbortSignal, timeoutMs: number): unknown {
    // Shutdown: the queue's own reason, not a delivery failure.
    if (stop?.aborted) return stop.reason;
    if (timeout.aborted) {
      return new DeliveryError(`${service} did not answer within ${timeoutMs / 1000} s`, { retryable: true, cause: error });
    }
    return new DeliveryError(`${service} could not be reached: ${networkReason(error)}`, { retryable: true, cause: error });
  }
}

/** fetch's "fetch failed" says little; its cause (ECONNREFUSED, ENOTFOUND, ...) says what happened. */
export function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${message} (${code})` : message;
}

/** Basic authentication's header value. */
export const basicAuth = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
