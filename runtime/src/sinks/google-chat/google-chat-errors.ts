/**
 * Google Chat's error answers as DeliveryErrors. Google APIs say what went wrong in
 * {"error": {"code", "message", "status"}}: 400 INVALID_ARGUMENT (a bad key, text too long),
 * 403 PERMISSION_DENIED (a bad token), 404 NOT_FOUND (a deleted space or webhook), 429
 * RESOURCE_EXHAUSTED (the space's quota), 5xx. Rate limits and 5xx are retried.
 */
import { DeliveryError } from "../../delivery/delivery-error.js";
import { httpErrorOptions, jsonObject, readErrorBody, retryAfterHeader } from "../common/service-error.js";

const SERVICE = "Google Chat";

/** The DeliveryError for an answer of Google Chat's that is not a success. */
export async function googleChatError(response: Response, now: number): Promise<DeliveryError> {
  const { text, json } = await readErrorBody(response);
  const error = jsonObject(jsonObject(json)?.error);
  const detail = error
    ? [typeof error.status === "string" ? error.status : "", typeof error.message === "string" ? error.message : ""].filter(Boolean).join(": ")
    : text.slice(0, 300);
  return new DeliveryError(`${SERVICE} answered ${response.status}${detail ? ` ${detail}` : ""}`, httpErrorOptions(response.status, retryAfterHeader(response, now)));
}
