/**
 * Opsgenie's refusals as DeliveryErrors with Opsgenie's own words: `{message, errors: {field:
 * reason}, took, requestId}` (422 for a body it cannot process, 401/403 for a key it refuses: not
 * retried). 429 and 5xx are retried; a 429 carries no Retry-After, but X-RateLimit-Period-In-Sec
 * says which window (1 or 60 seconds) ran out, so the retry waits that long.
 */
import { type DeliveryError, parseRetryAfter } from "../../delivery/delivery-error.js";
import { jsonObject, retryAfterHeader, serviceError } from "../common/service-error.js";

interface AlertApiError {
  readonly message?: unknown;
  readonly errors?: unknown;
  readonly requestId?: unknown;
}

/** Opsgenie's message, the field errors it lists and its request id; or the start of a body that is not its JSON. */
function explanation(body: AlertApiError | undefined, text: string): string {
  if (typeof body?.message !== "string") return text.trim().slice(0, 300);
  const errors = typeof body.errors === "object" && body.errors !== null ? Object.entries(body.errors).map(([field, reason]) => `${field}: ${String(reason)}`) : [];
  const request = typeof body.requestId === "string" ? ` [request ${body.requestId}]` : "";
  return `${body.message}${errors.length > 0 ? ` (${errors.join("; ")})` : ""}${request}`;
}

function retryAfterOf(response: Response, now: number): number | undefined {
  const retryAfter = retryAfterHeader(response, now);
  if (retryAfter !== undefined || response.status !== 429) return retryAfter;
  return parseRetryAfter(response.headers.get("x-ratelimit-period-in-sec"), now);
}

/** The error for an Opsgenie answer that is not a success, `action` saying what was asked; `secret` (the API key) never appears in it. */
export function opsgenieDeliveryError(response: Response, now: number, action: string, secret: string): Promise<DeliveryError> {
  return serviceError(response, now, {
    service: "Opsgenie",
    action,
    parse: (json): AlertApiError | undefined => jsonObject(json),
    explain: ({ body, text }) => explanation(body, text).replaceAll(secret, "[api_key]"),
    retryAfterMs: ({ response, now }) => retryAfterOf(response, now),
  });
}
