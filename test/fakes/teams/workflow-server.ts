/**
 * A fake Teams Workflows webhook ("Post to a channel when a webhook request is received") for
 * tests, enforcing what the real one does to a sender:
 * - the message envelope: {type: "message", attachments: [{contentType: adaptive card, content: AdaptiveCard}]};
 * - Teams' 28 KB message limit, counted as Teams counts it (the card stored as a JSON string, so
 *   quotes count twice). The real workflow answers 202 and its run fails afterwards with
 *   "MessageSizeExceeded"; the fake answers 413 RequestEntityTooLarge at once, so tests see it;
 * - 4 requests per second per webhook URL (Teams' connector limit, a fixed one-second window):
 *   more are answered 429 with Retry-After;
 * - 202 Accepted, empty body, otherwise.
 * Every request is recorded.
 */
import { z } from "zod";
import { type Answer, HttpFake, type Incoming } from "../http-fake.js";

export const WORKFLOW_MAX_MESSAGE_BYTES = 28 * 1024;
export const WORKFLOW_REQUESTS_PER_SECOND = 4;

const adaptiveCard = z.looseObject({ type: z.literal("AdaptiveCard"), version: z.string(), body: z.array(z.looseObject({ type: z.string() })) });
const envelope = z.object({
  type: z.literal("message"),
  attachments: z
    .array(z.object({ contentType: z.literal("application/vnd.microsoft.card.adaptive"), contentUrl: z.null().optional(), content: adaptiveCard }))
    .min(1),
});

export type WorkflowMessage = z.infer<typeof envelope>;

export interface WorkflowCall {
  /** Path and query: which webhook was called. */
  readonly url: string;
  readonly status: number;
  /** The request body's size. */
  readonly bytes: number;
  /** The message's size as Teams counts it (undefined when the body was not a message). */
  readonly messageBytes?: number;
  readonly body: unknown;
  /** The server's clock when the request came. */
  readonly at: number;
}

export interface FakeWorkflowOptions {
  /** The clock the rate limit counts on. Default: Date.now. */
  readonly now?: () => number;
}

/** The size Teams holds a message to: the card counted as the JSON string it is stored as. */
export function storedMessageBytes(message: WorkflowMessage): number {
  return Buffer.byteLength(JSON.stringify({ ...message, attachments: message.attachments.map((a) => ({ ...a, content: JSON.stringify(a.content) })) }));
}

/** It takes no injected failures: `failNext` is not for it. */
export class FakeWorkflowServer extends HttpFake<never> {
  readonly calls: WorkflowCall[] = [];
  private readonly windows = new Map<string, { second: number; count: number }>();

  private constructor(private readonly now: () => number) {
    super();
  }

  static start(options: FakeWorkflowOptions = {}): Promise<FakeWorkflowServer> {
    return new FakeWorkflowServer(options.now ?? Date.now).listen();
  }

  /** http://127.0.0.1:<port> */
  get baseUrl(): string {
    return this.url;
  }

  /** A webhook URL shaped like a Workflows one (the `sig` query is its secret). */
  webhookUrl(name = "alerts"): string {
    return `${this.baseUrl}/workflows/${name}/triggers/manual/paths/invoke?api-version=2016-06-01&sig=secret-${name}`;
  }

  /** Messages accepted (202), for one webhook or all. */
  accepted(webhookUrl?: string): WorkflowMessage[] {
    const path = webhookUrl === undefined ? undefined : webhookUrl.slice(this.baseUrl.length);
    return this.calls.filter((call) => call.status === 202 && (path === undefined || call.url === path)).map((call) => call.body as WorkflowMessage);
  }

  protected override respond({ method, path: url, bytes: raw }: Incoming): Answer {
    const at = this.now();
    const record = (status: number, body: unknown, messageBytes?: number) =>
      this.calls.push({ url, status, bytes: raw.length, body, at, ...(messageBytes !== undefined && { messageBytes }) });

    if (method !== "POST" || !url.startsWith("/workflows/")) {
      record(404, undefined);
      return { status: 404, body: { error: { code: "TriggerNotFound", message: "The workflow trigger was not found." } } };
    }
    // A fixed one-second window per webhook, as Teams counts its connector limits.
    const second = Math.floor(at / 1000);
    const window = this.windows.get(url);
    const count = window && window.second === second ? window.count + 1 : 1;
    this.windows.set(url, { second, count });
    if (count > WORKFLOW_REQUESTS_PER_SECOND) {
      record(429, undefined);
      const retryAfter = Math.max(1, Math.ceil(((second + 1) * 1000 - at) / 1000));
      return { status: 429, body: { error: { code: "TooManyRequests", message: "Rate limit is exceeded. Try again later." } }, headers: { "retry-after": String(retryAfter) } };
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      record(400, raw.toString("utf8"));
      return { status: 400, body: { error: { code: "InvalidRequestContent", message: "The request content is not valid JSON." } } };
    }
    const parsed = envelope.safeParse(json);
    if (!parsed.success) {
      record(400, json);
      return { status: 400, body: { error: { code: "InvalidMessage", message: `Not an Adaptive Card message: ${parsed.error.issues[0]?.message ?? "invalid"}` } } };
    }
    const messageBytes = Math.max(raw.length, storedMessageBytes(parsed.data));
    if (messageBytes > WORKFLOW_MAX_MESSAGE_BYTES) {
      record(413, json, messageBytes);
      return {
        status: 413,
        body: {
          error: {
            code: "RequestEntityTooLarge",
            message: `MessageSizeExceeded-Message properties size exceeded. Actual message properties size: ${messageBytes} bytes, whereas max allowed size is ${WORKFLOW_MAX_MESSAGE_BYTES} bytes`,
          },
        },
      };
    }
    record(202, parsed.data, messageBytes);
    return { status: 202 };
  }
}
