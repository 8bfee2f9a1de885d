/**
 * A loopback Opsgenie Alert API for tests: POST /v2/alerts (create) and
 * POST /v2/alerts/{identifier}/close?identifierType=alias, authenticated by `Authorization:
 * GenieKey <key>`, with the Alert API's field limits checked, answered in Opsgenie's shapes: 202
 * `{result, took, requestId}`; 422 `{message, errors: {field: reason}, took, requestId}`; 401
 * `{message: "Could not authenticate", ...}`. It keeps the alerts by alias (a create for an open
 * alias counts up, as Opsgenie dedups), and can be told to fail the next requests (429 with
 * Opsgenie's X-RateLimit headers, 5xx).
 */
import { randomUUID } from "node:crypto";
import { type Answer, HttpFake, type Incoming, type ReceivedRequest } from "./http-fake.js";

export type OpsgenieRequest = ReceivedRequest;

export interface OpsgenieFailure {
  readonly status: number;
  /** The JSON answered. Default: Opsgenie's body for the status. */
  readonly body?: unknown;
  /** Extra headers. A 429 gets Opsgenie's X-RateLimit headers (a 60-second window) unless given here. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An alert as Opsgenie keeps it. */
export interface OpsgenieAlert {
  status: "open" | "closed";
  /** How many creates it took (Opsgenie's dedup count). */
  count: number;
  /** The create body that opened it. */
  readonly created: Record<string, unknown>;
  /** The close body, once closed. */
  closed?: Record<string, unknown>;
}

const took = (): number => 0.005;
const chars = (text: string): number => Array.from(text).length;

/** The Alert API's complaints about a create body, by field. */
function createErrors(body: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  const tooLong = (field: string, max: number) => {
    const value = body[field];
    if (typeof value === "string" && chars(value) > max) errors[field] = `${field} can not be longer than ${max} characters.`;
  };
  if (typeof body.message !== "string" || body.message.trim() === "") errors.message = "Message can not be empty.";
  tooLong("message", 130);
  tooLong("alias", 512);
  tooLong("description", 15000);
  tooLong("entity", 512);
  tooLong("source", 100);
  const tags = Array.isArray(body.tags) ? (body.tags as unknown[]) : [];
  if (tags.length > 20) errors.tags = "Tags can not be more than 20.";
  else if (tags.some((tag) => typeof tag !== "string" || chars(tag) > 50)) errors.tags = "Tags can not be longer than 50 characters.";
  const details = (body.details ?? {}) as Record<string, unknown>;
  if (Object.values(details).some((value) => typeof value !== "string")) errors.details = "Details values must be strings.";
  else if (Object.entries(details).reduce((sum, [key, value]) => sum + chars(key) + chars(value as string), 0) > 8000) errors.details = "Details can not be longer than 8000 characters.";
  if (Array.isArray(body.responders) && body.responders.length > 50) errors.responders = "Responders can not be more than 50.";
  if (body.priority !== undefined && !["P1", "P2", "P3", "P4", "P5"].includes(body.priority as string)) errors.priority = "Priority should be one of [P1, P2, P3, P4, P5].";
  return errors;
}

function defaultFailure(status: number): { body: unknown; headers: Record<string, string> } {
  if (status === 429) {
    return { body: { message: "TooManyRequests", took: took(), requestId: randomUUID() }, headers: { "x-ratelimit-state": "THROTTLED", "x-ratelimit-reason": "ACCOUNT", "x-ratelimit-period-in-sec": "60" } };
  }
  return { body: { message: "Internal Server Error", took: took(), requestId: randomUUID() }, headers: {} };
}

export class FakeOpsgenie extends HttpFake<OpsgenieFailure> {
  /** Alerts by alias. */
  readonly alerts = new Map<string, OpsgenieAlert>();

  private constructor(
    /** The API key it takes. */
    readonly apiKey: string,
  ) {
    super();
  }

  /** Starts the API on 127.0.0.1 and a free port; its `url` is the sink's `host`. */
  static start(apiKey: string): Promise<FakeOpsgenie> {
    return new FakeOpsgenie(apiKey).listen();
  }

  protected override respond({ method, url, headers, body: text }: Incoming): Answer {
    const answer = (status: number, body: unknown, extra: Readonly<Record<string, string>> = {}): Answer => ({ status, body, headers: extra });
    const requestId = randomUUID();

    const failure = this.takeFailure();
    if (failure) {
      const fallback = defaultFailure(failure.status);
      return answer(failure.status, failure.body ?? fallback.body, { ...fallback.headers, ...failure.headers });
    }
    if (headers.authorization !== `GenieKey ${this.apiKey}`) return answer(401, { message: "Could not authenticate", took: took(), requestId });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return answer(400, { message: "Could not parse the request body", took: took(), requestId });
    }
    const close = /^\/v2\/alerts\/([^/]+)\/close$/.exec(url.pathname);
    if (method === "POST" && url.pathname === "/v2/alerts") {
      const errors = createErrors(body);
      if (Object.keys(errors).length > 0) return answer(422, { message: "Request body is not processable. Please check the errors.", errors, took: took(), requestId });
      const alias = typeof body.alias === "string" && body.alias !== "" ? body.alias : randomUUID();
      const alert = this.alerts.get(alias);
      if (alert?.status === "open") alert.count++;
      else this.alerts.set(alias, { status: "open", count: 1, created: body });
      return answer(202, { result: "Request will be processed", took: took(), requestId });
    }
    if (method === "POST" && close) {
      // Processed later, as Opsgenie does: an unknown alert still gets 202.
      const alert = url.searchParams.get("identifierType") === "alias" ? this.alerts.get(decodeURIComponent(close[1]!)) : undefined;
      if (alert?.status === "open") Object.assign(alert, { status: "closed", closed: body });
      return answer(202, { result: "Request will be processed", took: took(), requestId });
    }
    return answer(404, { message: "Not Found", took: took(), requestId });
  }
}
