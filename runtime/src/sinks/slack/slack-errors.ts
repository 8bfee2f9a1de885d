/**
 * Slack failures as DeliveryErrors: rate limits, server errors and network failures are worth
 * retrying (with Slack's Retry-After); configuration and content errors (invalid_auth,
 * channel_not_found, not_in_channel, invalid_blocks, msg_too_long, ...) are not, and their text
 * carries Slack's error code and messages so the log says what to fix.
 */
import { errorMessage } from "@robusta-ts/sdk";
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from "@slack/web-api";
import { DeliveryError, isRetryableStatus, parseRetryAfter } from "../../delivery/delivery-error.js";

/** Slack error codes that mean "try again later" (https://api.slack.com/methods/chat.postMessage#errors). */
const RETRYABLE_CODES = new Set(["ratelimited", "rate_limited", "service_unavailable", "fatal_error", "internal_error", "request_timeout"]);

/** What `error`, thrown by a WebClient call of `method`, means for delivery. */
export function slackDeliveryError(method: string, error: unknown, now: number): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof WebAPIRateLimitedError) {
    return new DeliveryError(`Slack ${method}: rate limited, retry after ${error.retryAfter} s`, {
      retryable: true,
      retryAfterMs: error.retryAfter * 1000,
      status: 429,
      cause: error,
    });
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    const details = platformDetails(error.data);
    const retryAfter = error.data.response_metadata?.retryAfter;
    return new DeliveryError(`Slack ${method} failed: ${code}${details ? ` (${details})` : ""}`, {
      retryable: RETRYABLE_CODES.has(code),
      ...(typeof retryAfter === "number" && { retryAfterMs: retryAfter * 1000 }),
      cause: error,
    });
  }
  if (error instanceof WebAPIHTTPError) {
    const body = typeof error.body === "string" ? error.body.slice(0, 300) : "";
    const retryAfterMs = parseRetryAfter(error.headers["retry-after"], now);
    return new DeliveryError(`Slack ${method} answered HTTP ${error.statusCode}${body ? `: ${body}` : ""}`, {
      retryable: isRetryableStatus(error.statusCode),
      status: error.statusCode,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
      cause: error,
    });
  }
  if (error instanceof WebAPIRequestError) {
    return new DeliveryError(`Slack ${method} request failed: ${error.original.message}`, { retryable: true, cause: error });
  }
  // Anything else (a timeout, a bug in a library) may pass on a later try.
  return new DeliveryError(`Slack ${method} failed: ${errorMessage(error)}`, { retryable: true, cause: error });
}

/** Slack's own explanation: the `errors` list of invalid_blocks, else response_metadata.messages. */
function platformDetails(data: WebAPIPlatformError["data"]): string {
  const errors: unknown = (data as { errors?: unknown }).errors;
  const list = Array.isArray(errors) ? errors.map(String) : (data.response_metadata?.messages ?? []);
  return list.slice(0, 5).join("; ");
}
