/**
 * PagerDuty's refusals as DeliveryErrors with PagerDuty's own words: a 400 says
 * `{status: "invalid event", message, errors: [...]}` and is not retried; 429 (PagerDuty asks to
 * retry "after some time", with no Retry-After) and 5xx are.
 */
import type { DeliveryError } from "../../delivery/delivery-error.js";
import { jsonObject, serviceError } from "../common/service-error.js";

interface EventsApiError {
  readonly status?: unknown;
  readonly message?: unknown;
  readonly errors?: unknown;
}

/** PagerDuty's explanation: its message and the errors it lists, or the start of a body that is not its JSON. */
function explanation(body: EventsApiError | undefined, text: string): string {
  if (typeof body?.message !== "string") return text.trim().slice(0, 300);
  const errors = Array.isArray(body.errors) ? body.errors.filter((error): error is string => typeof error === "string") : [];
  return errors.length > 0 ? `${body.message}: ${errors.join("; ")}` : body.message;
}

/** The error for a PagerDuty answer that is not a success; `secret` (the routing key) never appears in it. */
export function pagerdutyDeliveryError(response: Response, now: number, secret: string): Promise<DeliveryError> {
  return serviceError(response, now, {
    service: "PagerDuty",
    parse: (json): EventsApiError | undefined => jsonObject(json),
    explain: ({ body, text }) => explanation(body, text).replaceAll(secret, "[api_key]"),
  });
}
