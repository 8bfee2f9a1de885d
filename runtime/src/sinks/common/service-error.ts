/**
 * A service's answer that is not a success, as a DeliveryError: its body read once and parsed as
 * JSON when it is JSON, the service's own words from it, retried per status (isRetryableStatus)
 * after the wait the answer asks for (Retry-After, unless the service says it elsewhere). What a
 * service's error body holds, and which header says its rate limit, stays in that sink's file.
 */
import { DeliveryError, type DeliveryErrorOptions, isRetryableStatus, parseRetryAfter } from "../../delivery/delivery-error.js";

/** An error answer's body: its text ("" when it cannot be read) and that text as JSON (undefined when it is not JSON). */
export async function readErrorBody(response: Response): Promise<{ readonly text: string; readonly json: unknown }> {
  const text = await response.text().catch(() => "");
  try {
    return { text, json: JSON.parse(text) as unknown };
  } catch {
    return { text, json: undefined };
  }
}

/** `value` when it is a JSON object (not null, not an array), else undefined. */
export const jsonObject = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The answer's Retry-After header in milliseconds from `now`; undefined when absent or unreadable. */
export const retryAfterHeader = (response: Response, now: number): number | undefined => parseRetryAfter(response.headers.get("retry-after"), now);

/** A DeliveryError's options for an answer with `status`: retryable per the status unless said otherwise, waiting `retryAfterMs` when set. */
export const httpErrorOptions = (status: number, retryAfterMs: number | undefined, retryable = isRetryableStatus(status)): DeliveryErrorOptions => ({
  retryable,
  status,
  ...(retryAfterMs !== undefined && { retryAfterMs }),
});

/** An error answer as a ServiceErrorSpec's callbacks see it. */
export interface ErrorAnswer<B> {
  readonly response: Response;
  readonly now: number;
  /** The body's text ("" when it cannot be read). */
  readonly text: string;
  /** What `parse` made of the body's JSON: the service's error body, or undefined. */
  readonly body: B | undefined;
}

export interface ServiceErrorSpec<B> {
  /** Who answered, as the message names it: "PagerDuty", "Zulip messages". Never the URL (it may hold a token). */
  readonly service: string;
  /** What was asked, when the message says it: "create an alert" gives "Opsgenie answered 422 to create an alert: …". */
  readonly action?: string;
  /** The service's error body in the answer's JSON (undefined when the answer is not JSON); undefined when it is not one. */
  readonly parse: (json: unknown) => B | undefined;
  /** The service's words for the failure ("" for none), from its body or else the answer's text. Never a secret. */
  readonly explain: (answer: ErrorAnswer<B>) => string;
  /** How long the answer asks to wait, in milliseconds. Default: its Retry-After header. */
  readonly retryAfterMs?: (answer: ErrorAnswer<B>) => number | undefined;
  /** Whether the status is worth retrying. Default: isRetryableStatus. */
  readonly retryable?: (status: number) => boolean;
}

/** "<service> answered <status>[ to <action>][: <words>]", for an HttpClient `errorOf`. */
export async function serviceError<B>(response: Response, now: number, spec: ServiceErrorSpec<B>): Promise<DeliveryError> {
  const { text, json } = await readErrorBody(response);
  const answer: ErrorAnswer<B> = { response, now, text, body: spec.parse(json) };
  const words = spec.explain(answer);
  const retryAfterMs = spec.retryAfterMs ? spec.retryAfterMs(answer) : retryAfterHeader(response, now);
  const { status } = response;
  return new DeliveryError(
    `${spec.service} answered ${status}${spec.action ? ` to ${spec.action}` : ""}${words ? `: ${words}` : ""}`,
    httpErrorOptions(status, retryAfterMs, (spec.retryable ?? isRetryableStatus)(status)),
  );
}
