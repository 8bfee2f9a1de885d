/**
 * A loopback HTTP receiver for webhook tests: records every request (method, path, headers,
 * body, the status it answered) and can be told to fail the next requests with a status and a
 * Retry-After, or to refuse bodies over a size (413), as real receivers and proxies do.
 */
import { STATUS_CODES } from "node:http";
import { type Answer, HttpFake, type Incoming } from "./http-fake.js";

export type { ReceivedRequest } from "./http-fake.js";

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

export class WebhookReceiver extends HttpFake<Failure> {
  /** Bodies larger than this (bytes) are answered 413; undefined for no limit. */
  maxBodyBytes: number | undefined;

  private constructor(options: WebhookReceiverOptions) {
    super();
    this.maxBodyBytes = options.maxBodyBytes;
  }

  /** Starts a receiver on 127.0.0.1 and a free port; its `url` takes any path. */
  static start(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
    return new WebhookReceiver(options).listen();
  }

  /** The bodies received with a 2xx answer, in order. */
  get delivered(): string[] {
    return this.requests.filter((request) => request.status < 300).map((request) => request.body);
  }

  protected override respond({ bytes }: Incoming): Answer {
    const tooLarge = this.maxBodyBytes !== undefined && bytes.length > this.maxBodyBytes;
    const failure: Failure | undefined = tooLarge ? { status: 413, body: `body of ${bytes.length} bytes is over ${this.maxBodyBytes}` } : this.takeFailure();
    if (!failure) return { status: 200, body: "ok" };
    return {
      status: failure.status,
      body: failure.body ?? STATUS_CODES[failure.status] ?? String(failure.status),
      ...(failure.retryAfter !== undefined && { headers: { "retry-after": failure.retryAfter } }),
    };
  }
}
