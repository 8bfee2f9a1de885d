/**
 * How a sink says a send failed, and whether trying again can help. The delivery queue retries
 * retryable failures with backoff (waiting at least `retryAfterMs` when the service said so) until
 * the retry budget is spent, and gives up at once on the others.
 */

export interface DeliveryErrorOptions {
  /** Whether the same request may succeed later (rate limits, 5xx, network errors). */
  readonly retryable: boolean;
  /** The service's Retry-After, in milliseconds: the queue waits at least this long. */
  readonly retryAfterMs?: number;
  /** The HTTP status, when there was one. */
  readonly status?: number;
  readonly cause?: unknown;
}

export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(message: string, options: DeliveryErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** Statuses worth retrying: timeouts, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** A Retry-After header (seconds or an HTTP date) in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Whether a failure may be retried. Errors that are not DeliveryErrors are network failures
 * (fetch's TypeError, ECONNRESET) as far as the queue can tell: retried, within the budget.
 */
export function isRetryable(error: unknown): boolean {
  return error instanceof DeliveryError ? error.retryable : true;
}

/** A DeliveryError for an HTTP answer that is not a success, with the service's words in it. */
export async function httpDeliveryError(service: string, response: Response, now: number = Date.now()): Promise<DeliveryError> {
  const body = (await response.text().catch(() => "")).slice(0, 300);
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now);
  return new DeliveryError(`${service} answered ${response.status}${body ? `: ${body}` : ""}`, {
    retryable: isRetryableStatus(response.status),
    status: response.status,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });
}
