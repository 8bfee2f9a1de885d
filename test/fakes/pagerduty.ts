/**
 * A loopback PagerDuty Events API v2 for tests: POST /v2/enqueue (alert events) and
 * /v2/change/enqueue (change events), checked as PagerDuty checks them (32-character routing key,
 * event_action, required payload fields, summary ≤ 1024, dedup_key ≤ 255, 512 KB per event) and
 * answered in PagerDuty's shapes: 202 `{status: "success", message, dedup_key}`, 400
 * `{status: "invalid event", message: "Event object is invalid", errors: [...]}`. It keeps the
 * alerts the events opened and resolved, and can be told to fail the next requests (429, 5xx).
 */
import { randomUUID } from "node:crypto";
import { type Answer, HttpFake, type Incoming, type ReceivedRequest } from "./http-fake.js";

/** A request as the fake received it. */
export type PagerdutyRequest = ReceivedRequest;

/** An injected failure. */
export interface PagerdutyFailure {
  readonly status: number;
  /** Sent as Retry-After (PagerDuty itself sends none). */
  readonly retryAfter?: string;
  /** The JSON (or text) answered. Default: PagerDuty's body for the status. */
  readonly body?: unknown;
}

/** An alert as PagerDuty keeps it, by dedup_key. */
export interface PagerdutyAlert {
  status: "triggered" | "resolved";
  /** Every accepted event for this dedup_key, in order. */
  readonly events: Record<string, unknown>[];
}

export const MAX_EVENT_BYTES = 512 * 1024;
const SEVERITIES = ["critical", "error", "warning", "info"];
const ACTIONS = ["trigger", "acknowledge", "resolve"];

/** What PagerDuty answers by default for an injected failure (for 429, the words its rate-limit docs give). */
function defaultBody(status: number): unknown {
  if (status === 429) return "Request Limit Exceeded";
  if (status === 400) return { status: "invalid event", message: "Event object is invalid", errors: ["Invalid routing key"] };
  return "Internal Server Error";
}

const blank = (value: unknown): boolean => typeof value !== "string" || value.trim() === "";

/** PagerDuty's complaints about an alert event; none when it is valid. */
function alertEventErrors(event: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const action = event.event_action;
  if (!ACTIONS.includes(action as string)) errors.push("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')");
  if (typeof event.dedup_key === "string" && event.dedup_key.length > 255) errors.push("'dedup_key' is too long (maximum is 255 characters)");
  if (action !== "trigger") {
    if (blank(event.dedup_key)) errors.push("'dedup_key' is missing or blank");
    return errors;
  }
  const payload = event.payload as Record<string, unknown> | undefined;
  if (typeof payload !== "object" || payload === null) return [...errors, "'payload' is missing or blank"];
  if (blank(payload.summary)) errors.push("'payload.summary' is missing or blank");
  else if (Array.from(payload.summary as string).length > 1024) errors.push("'payload.summary' is too long (maximum is 1024 characters)");
  if (blank(payload.source)) errors.push("'payload.source' is missing or blank");
  if (!SEVERITIES.includes(payload.severity as string)) errors.push("'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')");
  return errors;
}

/** PagerDuty's complaints about a change event. */
function changeEventErrors(event: Record<string, unknown>): string[] {
  const payload = event.payload as Record<string, unknown> | undefined;
  if (typeof payload !== "object" || payload === null) return ["'payload' is missing or blank"];
  if (blank(payload.summary)) return ["'payload.summary' is missing or blank"];
  return Array.from(payload.summary as string).length > 1024 ? ["'payload.summary' is too long (maximum is 1024 characters)"] : [];
}

export class FakePagerDuty extends HttpFake<PagerdutyFailure> {
  /** Accepted alert events, in order. */
  readonly events: Record<string, unknown>[] = [];
  /** Accepted change events, in order. */
  readonly changeEvents: Record<string, unknown>[] = [];
  /** Alerts by dedup_key. */
  readonly alerts = new Map<string, PagerdutyAlert>();

  /** Answers `count` requests with `failure`: the next ones, or those after `afterCalls` more requests are answered as usual. */
  override failNext(count: number, failure: PagerdutyFailure, afterCalls = 0): void {
    this.queueFailures(count, failure, { afterCalls });
  }

  /** Starts the Events API on 127.0.0.1 and a free port; its `url` is the sink's `api_url`. */
  static start(): Promise<FakePagerDuty> {
    return new FakePagerDuty().listen();
  }

  protected override respond({ method, path, bytes, body }: Incoming): Answer {
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}): Answer => ({ status, body: payload, headers });

    const failure = this.takeFailure();
    if (failure) return answer(failure.status, failure.body ?? defaultBody(failure.status), failure.retryAfter ? { "retry-after": failure.retryAfter } : {});
    if (method !== "POST" || (path !== "/v2/enqueue" && path !== "/v2/change/enqueue")) return answer(404, "Not Found");
    if (bytes.length > MAX_EVENT_BYTES) return answer(413, "Request Entity Too Large");
    const invalid = (errors: string[]) => answer(400, { status: "invalid event", message: "Event object is invalid", errors });
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return invalid(["Request body is not valid JSON"]);
    }
    if (typeof event.routing_key !== "string" || event.routing_key.length !== 32) return invalid(["Length of 'routing_key' is incorrect (should be 32 characters)"]);

    if (path === "/v2/change/enqueue") {
      const errors = changeEventErrors(event);
      if (errors.length > 0) return invalid(errors);
      this.changeEvents.push(event);
      return answer(202, { status: "success", message: "Change event processed" });
    }
    const errors = alertEventErrors(event);
    if (errors.length > 0) return invalid(errors);
    const dedupKey = typeof event.dedup_key === "string" ? event.dedup_key : randomUUID().replaceAll("-", "");
    this.events.push(event);
    this.apply(dedupKey, event);
    return answer(202, { status: "success", message: "Event processed", dedup_key: dedupKey });
  }

  /** PagerDuty's alert lifecycle: a trigger opens (or adds to) an alert; a resolve closes an open one, and is dropped otherwise. */
  private apply(dedupKey: string, event: Record<string, unknown>): void {
    const alert = this.alerts.get(dedupKey);
    if (event.event_action === "trigger") {
      if (alert?.status === "triggered") alert.events.push(event);
      else this.alerts.set(dedupKey, { status: "triggered", events: [event] });
    } else if (alert?.status === "triggered") {
      alert.events.push(event);
      if (event.event_action === "resolve") alert.status = "resolved";
    }
  }
}
