/**
 * The base of the loopback HTTP fakes: it listens on 127.0.0.1 at a free port, reads each
 * request's body, records every request ({method, path, headers, body, status}), keeps the queue
 * of failures `failNext` injects, and closes. A fake extends it and only says how it answers
 * (`respond`), in its own service's shapes and with its own service's limits.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { close, listen, readBody } from "./http-helpers.js";

/** A request as a fake received it. */
export interface ReceivedRequest {
  readonly method: string;
  /** The path with its query, as sent. */
  readonly path: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, as UTF-8 text. */
  readonly body: string;
  /** The status the fake answered. */
  readonly status: number;
}

/** A request as `respond` sees it. */
export interface Incoming extends Omit<ReceivedRequest, "status"> {
  /** The path and query, resolved against the fake's URL. */
  readonly url: URL;
  /** The body as received. */
  readonly bytes: Buffer;
}

/** What a fake answers. */
export interface Answer {
  readonly status: number;
  /** Undefined: no body; a string: sent as text; anything else: sent as JSON. */
  readonly body?: unknown;
  /** More headers; a content-type here replaces the default one. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** When a queued failure applies: `when` picks the request, after `skip` picked ones are let through. */
interface QueuedFailure<Failure, Probe> {
  readonly failure: Failure;
  readonly when: (probe: Probe) => boolean;
  skip: number;
}

/**
 * `Failure` is what `failNext` takes; `Probe` is what a fake tells of a request when it looks for
 * a failure to answer it with (see `applies` and `queueFailures`' `when`).
 */
export abstract class HttpFake<Failure, Probe = void> {
  /** Every request, in order, failures included. */
  readonly requests: ReceivedRequest[] = [];
  private readonly failures: QueuedFailure<Failure, Probe>[] = [];
  #server: Server | undefined;
  #url = "";

  /** The base URL, http://127.0.0.1:<port> (no trailing slash). */
  get url(): string {
    return this.#url;
  }

  /** Answers the next `count` requests with `failure` (after any failures already queued). */
  failNext(count: number, failure: Failure): void {
    this.queueFailures(count, failure);
  }

  /** Stops the server; closing again does nothing. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await close(server);
  }

  /** Starts listening on 127.0.0.1 at a free port; a fake's static `start` ends with this. */
  protected async listen(): Promise<this> {
    const { server, url } = await listen((request, response) => this.handle(request, response));
    this.#server = server;
    this.#url = url;
    return this;
  }

  /** How the fake answers a request. */
  protected abstract respond(request: Incoming): Answer | Promise<Answer>;

  /** Queues `failure` for the next `count` requests that `when` picks, the first after `afterCalls` of them are answered as usual. */
  protected queueFailures(count: number, failure: Failure, { when = () => true, afterCalls = 0 }: { when?: (probe: Probe) => boolean; afterCalls?: number } = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ failure, when, skip: i === 0 ? afterCalls : 0 });
  }

  /** Whether a queued `failure` is for the request `probe` tells of. Default: it is. */
  protected applies(_failure: Failure, _probe: Probe): boolean {
    return true;
  }

  /** Takes the first queued failure for this request off the queue; undefined: answer as usual. */
  protected takeFailure(probe: Probe): Failure | undefined {
    const index = this.failures.findIndex((queued) => queued.when(probe) && this.applies(queued.failure, probe));
    const queued = this.failures[index];
    if (!queued) return undefined;
    if (queued.skip > 0) {
      queued.skip--;
      return undefined;
    }
    this.failures.splice(index, 1);
    return queued.failure;
  }

  /** What `requests` keeps of a request; a fake may add to it. */
  protected record(request: ReceivedRequest): ReceivedRequest {
    return request;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const bytes = await readBody(request);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]));
    const received = { method: request.method ?? "", path: request.url ?? "", headers, body: bytes.toString("utf8") };
    const answer = await this.respond({ ...received, url: new URL(received.path || "/", this.url), bytes });
    this.requests.push(this.record({ ...received, status: answer.status }));
    const { status, body } = answer;
    if (body === undefined) {
      response.writeHead(status, { ...answer.headers }).end();
      return;
    }
    const json = typeof body !== "string";
    response.writeHead(status, { "content-type": json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8", ...answer.headers });
    response.end(json ? JSON.stringify(body) : body);
  }
}

/** `failNext`'s arguments as (count, failure), for a fake that also takes them as (failure, count = 1). */
export function countFirst<Failure>(args: [Failure, number?] | [number, Failure]): [number, Failure] {
  return typeof args[0] === "number" ? (args as [number, Failure]) : [(args[1] as number | undefined) ?? 1, args[0]];
}
