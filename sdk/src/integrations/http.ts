/**
 * HTTP calls from actions (Prometheus, Alertmanager, webhooks) through the context's `fetch`: the
 * run's abort signal plus a timeout, and errors that say which service answered what.
 */
import type { Context } from "../context.js";

/** The longest one request may take unless the caller says otherwise. */
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;

/** A request that got an answer other than 2xx. */
export class HttpError extends Error {
  constructor(
    /** Who was called, for people: "Prometheus", "Alertmanager", "https://hooks.example.com". */
    readonly service: string,
    readonly status: number,
    /** The start of the response body, which usually says why. */
    readonly body: string,
  ) {
    super(`${service} answered ${status}${body ? `: ${body}` : ""}`);
    this.name = "HttpError";
  }
}

/** What to send. A `json` body is serialised and sent with its content type. */
export interface HttpRequest {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly body?: string;
  readonly timeoutMs?: number;
}

const BODY_IN_ERRORS = 500;

/** Why fetch failed: its "fetch failed" says why only in its cause. */
function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError") return "no answer in time";
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause ? `${error.message}: ${cause}` : error.message;
}

/**
 * Sends a request and returns the response when it is 2xx; otherwise throws an `HttpError` with
 * the start of the body, or an `Error` naming the service when it cannot be reached.
 */
export async function httpRequest(ctx: Pick<Context, "fetch" | "signal">, service: string, url: string, request: HttpRequest = {}): Promise<Response> {
  const headers: Record<string, string> = { ...request.headers };
  let body = request.body;
  if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    headers["content-type"] ??= "application/json";
  }
  let response: Response;
  try {
    response = await ctx.fetch(url, {
      method: request.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      ...(body !== undefined && { body }),
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(request.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS)]),
    });
  } catch (error) {
    throw new Error(`${service} (${new URL(url).origin}) could not be reached: ${networkReason(error)}`, { cause: error });
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    throw new HttpError(service, response.status, text.length > BODY_IN_ERRORS ? `${text.slice(0, BODY_IN_ERRORS)}…` : text);
  }
  return response;
}

/** `httpRequest`, then the body as JSON; a body that is not JSON is an error naming the service. */
export async function requestJson(ctx: Pick<Context, "fetch" | "signal">, service: string, url: string, request: HttpRequest = {}): Promise<unknown> {
  const response = await httpRequest(ctx, service, url, request);
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${service} answered with something that is not JSON: ${text.slice(0, 200)}`);
  }
}
