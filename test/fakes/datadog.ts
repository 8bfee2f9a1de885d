/**
 * A loopback Datadog API for the datadog_sink tests: `POST /api/v1/events` with the DD-API-KEY
 * header, answering as Datadog does (202 {"status": "ok", "event": {...}}; 400/403/429/5xx with
 * {"errors": [...]}; 429 with the X-RateLimit-* headers). Like Datadog, it keeps only the first
 * 4000 characters of an event's text. Records what it received; `failNext` injects failures.
 */
import { type Answer, HttpFake, type Incoming } from "./http-fake.js";

export type { ReceivedRequest } from "./http-fake.js";

/** An event as Datadog stored it. */
export interface StoredEvent {
  readonly id: number;
  readonly title: string;
  readonly text: string;
  readonly alert_type?: string;
  readonly aggregation_key?: string;
  readonly date_happened?: number;
  readonly host?: string;
  readonly source_type_name?: string;
  readonly tags?: readonly string[];
}

export interface Failure {
  readonly status: number;
  /** Datadog's error messages. Default: the status's usual one. */
  readonly errors?: readonly string[];
  /** Seconds until the rate limit resets (X-RateLimit-Reset), for 429. Default 10. */
  readonly reset?: number;
}

/** What Datadog shows of an event's text. */
export const SHOWN_TEXT = 4000;

const DEFAULT_ERRORS: Readonly<Record<number, string>> = {
  400: "Invalid JSON structure",
  403: "Forbidden",
  429: "Too many requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export class FakeDatadog extends HttpFake<Failure> {
  readonly events: StoredEvent[] = [];

  private constructor(private readonly apiKey: string) {
    super();
  }

  /** Starts a Datadog API on 127.0.0.1 and a free port that accepts `apiKey`; its `url` is the sink's `site`. */
  static start(apiKey: string): Promise<FakeDatadog> {
    return new FakeDatadog(apiKey).listen();
  }

  protected override respond({ method, path, headers, body }: Incoming): Answer {
    if (method !== "POST" || path !== "/api/v1/events") return errors(404, ["Not found"]);
    if (headers["dd-api-key"] !== this.apiKey) return errors(403, ["Forbidden"]);
    const failure = this.takeFailure();
    if (failure) return this.failed(failure);
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return errors(400, ["Invalid JSON structure"]);
    }
    if (typeof event.title !== "string" || event.title === "") return errors(400, ["Event title is required"]);
    if (typeof event.text !== "string") return errors(400, ["Event text is required"]);
    const id = 1_000_000 + this.events.length;
    const stored: StoredEvent = { ...(event as Partial<StoredEvent>), id, title: event.title, text: event.text.slice(0, SHOWN_TEXT) };
    this.events.push(stored);
    return {
      status: 202,
      body: {
        status: "ok",
        event: {
          id,
          id_str: String(id),
          title: stored.title,
          text: stored.text,
          date_happened: stored.date_happened ?? 0,
          handle: null,
          priority: null,
          related_event_id: null,
          tags: stored.tags ?? null,
          url: `https://app.datadoghq.com/event/event?id=${id}`,
        },
      },
    };
  }

  private failed(failure: Failure): Answer {
    const answer = errors(failure.status, failure.errors ?? [DEFAULT_ERRORS[failure.status] ?? "Error"]);
    if (failure.status !== 429) return answer;
    const reset = failure.reset ?? 10;
    return {
      ...answer,
      headers: {
        "x-ratelimit-limit": "1000",
        "x-ratelimit-period": "60",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(reset),
        "x-ratelimit-name": "events_post",
      },
    };
  }
}

const errors = (status: number, messages: readonly string[]): Answer => ({ status, body: { errors: messages } });
