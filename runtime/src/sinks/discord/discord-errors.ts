/**
 * Discord's error answers as DeliveryErrors. Discord says what went wrong in a JSON body:
 * {code, message, errors} for refused requests (50035 "Invalid Form Body" names each field
 * path, e.g. embeds.0.fields.3.value), and {message, retry_after (seconds), global} for rate
 * limits, whose retry_after is more precise than the Retry-After header.
 */
import { DeliveryError } from "../../delivery/delivery-error.js";
import { httpErrorOptions, jsonObject, readErrorBody, retryAfterHeader } from "../common/service-error.js";

interface DiscordErrorBody {
  readonly code?: number;
  readonly message?: string;
  readonly errors?: unknown;
  readonly retry_after?: number;
  readonly global?: boolean;
}

const SERVICE = "Discord webhook";
const MAX_FIELD_ERRORS = 5;

/** "path: message" for each `_errors` list in Discord's nested errors object. */
export function fieldErrors(errors: unknown, path: readonly string[] = []): string[] {
  if (typeof errors !== "object" || errors === null) return [];
  return Object.entries(errors).flatMap(([key, value]) => {
    if (key !== "_errors") return fieldErrors(value, [...path, key]);
    const messages = Array.isArray(value) ? value.map((error: { message?: unknown }) => String(error?.message ?? "")).filter(Boolean) : [];
    if (messages.length === 0) return [];
    return [`${path.length > 0 ? `${path.join(".")}: ` : ""}${messages.join("; ")}`];
  });
}

function describe(body: DiscordErrorBody): string {
  const fields = fieldErrors(body.errors);
  const shown = fields.slice(0, MAX_FIELD_ERRORS);
  if (fields.length > shown.length) shown.push(`and ${fields.length - shown.length} more`);
  return [body.message ?? "", shown.join("; ")].filter(Boolean).join(": ");
}

/** The DeliveryError for an answer of Discord's that is not a success. */
export async function discordError(response: Response, now: number): Promise<DeliveryError> {
  const { status } = response;
  const { text, json } = await readErrorBody(response);
  const body = jsonObject(json) as DiscordErrorBody | undefined;
  const headerWait = retryAfterHeader(response, now);
  if (status === 429) {
    const retryAfterMs = typeof body?.retry_after === "number" ? Math.ceil(body.retry_after * 1000) : headerWait;
    const wait = retryAfterMs !== undefined ? `; retry after ${retryAfterMs / 1000} s` : "";
    return new DeliveryError(`${SERVICE} is rate limited (429${body?.global ? ", global limit" : ""}): ${body?.message ?? "Too Many Requests"}${wait}`, httpErrorOptions(status, retryAfterMs));
  }
  // A proxy's HTML or text page rather than Discord's JSON.
  const detail = body ? describe(body) : text.slice(0, 300);
  const code = body?.code !== undefined ? `, code ${body.code}` : "";
  return new DeliveryError(`${SERVICE} answered ${status}${code}${detail ? `: ${detail}` : ""}`, httpErrorOptions(status, headerWait));
}
