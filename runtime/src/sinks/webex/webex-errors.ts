/** Webex's failures as DeliveryErrors, with Webex's own words ({message, errors, trackingId}). */
import { z } from "zod";
import { type DeliveryError, isRetryableStatus } from "../../delivery/delivery-error.js";
import { serviceError } from "../common/service-error.js";

const errorSchema = z.looseObject({
  message: z.string().optional(),
  errors: z.array(z.looseObject({ description: z.string() })).optional(),
  trackingId: z.string().optional(),
});

/** What Webex says in an error body: its message and the tracking id its support asks for; else the body (a proxy's page) as it is. */
function webexWords(body: z.infer<typeof errorSchema> | undefined, text: string): string {
  const message = body?.message ?? body?.errors?.[0]?.description;
  if (message === undefined) return text.trim().slice(0, 300);
  return body?.trackingId ? `${message} (trackingId ${body.trackingId})` : message;
}

/**
 * A Webex answer that is not a success, as a DeliveryError: 429, 423 (Webex's "temporarily
 * unavailable") and 5xx are retried after Retry-After; other statuses are not.
 */
export function webexError(response: Response, now: number): Promise<DeliveryError> {
  return serviceError(response, now, {
    service: "Webex",
    parse: (json) => errorSchema.safeParse(json).data,
    explain: ({ body, text }) => webexWords(body, text),
    retryable: (status) => isRetryableStatus(status) || status === 423,
  });
}
