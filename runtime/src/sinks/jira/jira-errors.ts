/**
 * Jira's failures as DeliveryErrors with Jira's own words. Jira answers errors as
 * `{"errorMessages": [...], "errors": {"field": "message"}}` (some, like a bad login, as plain
 * text); 429 and 5xx are retried after its Retry-After, other statuses are not.
 */
import { DeliveryError } from "../../delivery/delivery-error.js";
import { httpErrorOptions, jsonObject, readErrorBody, retryAfterHeader } from "../common/service-error.js";

/** A DeliveryError from Jira, with its per-field errors (what a 400 on a field says). */
export class JiraError extends DeliveryError {
  constructor(
    message: string,
    status: number,
    /** Jira's `errors`: field name → message. */
    readonly fieldErrors: Readonly<Record<string, string>>,
    retryAfterMs: number | undefined,
  ) {
    super(message, httpErrorOptions(status, retryAfterMs));
  }
}

/** What an error body says: its messages and field errors (from its JSON), or its text (tags stripped, shortened). */
export function jiraErrorWords(json: unknown, text: string): { messages: string[]; fieldErrors: Record<string, string> } {
  const { errorMessages, errors } = jsonObject(json) ?? {};
  const messages = Array.isArray(errorMessages) ? errorMessages.filter((m): m is string => typeof m === "string") : [];
  const fieldErrors =
    typeof errors === "object" && errors !== null
      ? Object.fromEntries(Object.entries(errors).filter((entry): entry is [string, string] => typeof entry[1] === "string"))
      : {};
  if (messages.length > 0 || Object.keys(fieldErrors).length > 0) return { messages, fieldErrors };
  // Not Jira's JSON: its plain-text and HTML answers.
  const plain = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
  return { messages: plain ? [plain] : [], fieldErrors: {} };
}

const HINTS: Readonly<Record<number, string>> = {
  401: " (check username and api_key)",
  403: " (check that the user may do this in the project)",
};

/** An `errorOf` for HttpClient: Jira's answer to `action` ("create an issue") as a JiraError. */
export const jiraErrorOf =
  (service: string, action: string) =>
  async (response: Response, now: number): Promise<JiraError> => {
    const { text, json } = await readErrorBody(response);
    const { messages, fieldErrors } = jiraErrorWords(json, text);
    const words = [...messages, ...Object.entries(fieldErrors).map(([field, message]) => `${field}: ${message}`)].join("; ");
    const message = `${service} answered ${response.status} to ${action}${words ? `: ${words}` : ""}${HINTS[response.status] ?? ""}`;
    return new JiraError(message, response.status, fieldErrors, retryAfterHeader(response, now));
  };
