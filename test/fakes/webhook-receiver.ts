/**
 * A loopback HTTP receiver for webhook tests: records every request (method, path, headers,
 * body, the status it answered) and can be told to fail the next requests with a status and a
 * Retry-After, or to refuse bodies over a size (413), as real receivers and proxies do.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The status the receiver answered. */
  readonly status: number;
}

export interface Failure {
  readonly status: number;
  /** Sent as the Retry-After header: seconds ("2") or an HTTP date. */
  readonly retryAfter?: string;
  /** The response body. Default: the status's reason phrase. */
  readonly body?: string;
}

export interface WebhookReceiverOptions {
  /** Bodies larger than this (bytes) are answered 413. Default: no limit. */
  readonly maxBodyBytes?: number;
}

export class WebhookReceiver {
  /** Every request received, in order, failures included. */
  readonly requests: ReceivedRequest[] = [];
  /** Bodies larger than this (bytes) are answered 413; undefined for no limit. */
  maxBodyBytes: number | undefined;
  private failures: Failure[] = [];

  private constructor(
    private readonly server: Server,
    /** The base URL, e.g. http://127.0.0.1:41234; any path is accepted. */
    readonly url: string,
    options: WebhookReceiverOptions,
  ) {
    this.maxBodyBytes = options.maxBodyBytes;
  }

  /** Starts a receiver on 127.0.0.1 and a free port. */
  static async start(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((request, response) => void receiver!.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}`, options);
    return receiver;
  }

  /** Answers the next `count` requests with `failure` (after any failures already queued). */
  failNext(count: number, failure: Failure): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  /** The bodies received with a 2xx answer, in order. */
  get delivered(): string[] {
    return this.requests.filter((request) => request.status < 300).map((request) => request.body);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]),
    );
    const tooLarge = this.maxBodyBytes !== undefined && bytes.length > this.maxBodyBytes;
    const failure = tooLarge ? { status: 413, body: `body of ${bytes.length} bytes is over ${this.maxBodyBytes}` } : this.failures.shift();
    const status = failure?.status ?? 200;
    this.requests.push({ method: request.method ?? "", path: request.url ?? "", headers, body: bytes.toString("utf8"), status });
    response.writeHead(status, {
      "content-type": "text/plain",
      ...(failure && "retryAfter" in failure && failure.retryAfter !== undefined && { "retry-after": failure.retryAfter }),
    });
    response.end(failure ? (failure.body ?? (response.statusMessage || String(status))) : "ok");
  }
}
