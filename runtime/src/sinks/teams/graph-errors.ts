/** Microsoft Graph's failures as DeliveryErrors, with Graph's own error code and words. */
import { GraphError } from "@microsoft/microsoft-graph-client";
import { DeliveryError, isRetryableStatus, parseRetryAfter } from "../../delivery/delivery-error.js";

/** Graph refuses app-only (client credentials) tokens for posting channel messages, except for message import. */
const APP_ONLY_POST_REFUSED = /application-only context|Teamwork\.Migrate\.All/i;

/**
 * What a Graph failure means for delivery: 429 and 5xx are retried (after Graph's Retry-After),
 * other statuses are not; a request that never got an answer is retried as a network failure.
 * Errors that are not Graph's pass through.
 */
export function graphDeliveryError(error: unknown, action: string, now: number): unknown {
  if (!(error instanceof GraphError)) return error;
  const status = error.statusCode;
  if (status <= 0) {
    return new DeliveryError(`Microsoft Graph could not be reached to ${action}: ${error.message}`, { retryable: true, cause: error });
  }
  const retryAfterMs = parseRetryAfter(error.headers?.get("retry-after"), now);
  const hint = APP_ONLY_POST_REFUSED.test(error.message)
    ? " (Graph lets only a signed-in user post channel messages: configure username and password, see the Teams sink docs)"
    : "";
  return new DeliveryError(`Microsoft Graph refused to ${action}: ${status}${error.code ? ` ${error.code}` : ""}: ${error.message}${hint}`, {
    retryable: isRetryableStatus(status),
    status,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
    cause: error,
  });
}
