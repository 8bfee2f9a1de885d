/**
 * Callback button presses, received with @slack/bolt: over Socket Mode (the runner connects out
 * with the app-level token; no public URL needed) or as requests to the Interactivity Request URL
 * (POST /sinks/<name>/interactivity), checked against the signing secret. Both hand the payload to
 * Bolt's App.processEvent, which acknowledges it and calls our listener; for HTTP we verify the
 * signature ourselves (with Bolt's verifier) because the runner's own server receives the request.
 *
 * A press of a `robusta_callback:<i>` button: verify our HMAC on its value (a tampered value is
 * refused, and the presser told so), run the action, deliver its findings as replies in the
 * message's thread, and edit the message so the pressed buttons say who ran what.
 */
import { errorMessage, type Logger } from "@robusta-ts/sdk";
import { App, isValidSlackRequest, SocketModeReceiver, type Receiver } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import { WebAPIPlatformError } from "@slack/web-api";
import { z } from "zod";
import type { DeliveryClock } from "../../delivery/clock.js";
import type { SinkServices } from "../sink.js";
import type { CallbackSigner } from "./callbacks.js";
import { CALLBACK_ACTION_PREFIX, replaceCallbackBlock } from "./render-message.js";
import type { SlackApi } from "./slack-api.js";
import { slackLogger } from "./slack-logger.js";

/** Slack refuses requests older (or newer) than this: a replayed request is stale. */
const REQUEST_WINDOW_SECONDS = 5 * 60;
/** Interaction payloads are a few KB; more is not Slack. */
const MAX_REQUEST_BYTES = 1024 * 1024;
/** How long close() waits for Socket Mode's close handshake. */
const CLOSE_WAIT_MS = 5_000;
/** An error text shown in the edited message is cut to this. */
const MAX_ERROR_CHARS = 500;
/** Socket Mode start errors that retrying cannot fix (a wrong or revoked token, a missing scope). */
const FATAL_START_ERRORS = new Set(["invalid_auth", "not_authed", "not_allowed_token_type", "missing_scope", "account_inactive", "token_revoked"]);

export interface SlackInteractivityOptions {
  readonly sinkName: string;
  /** The bot token, for Bolt's authorization of incoming events. */
  readonly botToken: string;
  /** Socket Mode's app-level token (xapp-); none for HTTP only. */
  readonly appToken?: string;
  /** Checks requests to the request URL; none for Socket Mode only. */
  readonly signingSecret?: string;
  readonly apiUrl: string;
  readonly api: SlackApi;
  readonly signer: CallbackSigner;
  readonly clock: DeliveryClock;
  readonly logger: Logger;
  /** Told when a press edited a message, so the sink's copy of it (for a later resolve edit) stays current. */
  readonly onMessageEdited?: (ref: { channel: string; ts: string }, blocks: readonly KnownBlock[]) => void;
}

/** The parts of a block_actions payload a press needs (https://api.slack.com/reference/interaction-payloads/block-actions). */
const pressSchema = z.object({
  type: z.literal("block_actions"),
  user: z.object({ id: z.string().min(1) }),
  channel: z.object({ id: z.string().min(1) }).optional(),
  container: z.object({ channel_id: z.string().optional(), message_ts: z.string().optional() }).optional(),
  message: z
    .object({
      ts: z.string().min(1),
      text: z.string().optional(),
      thread_ts: z.string().optional(),
      blocks: z.array(z.looseObject({ type: z.string() })).default([]),
    })
    .optional(),
  actions: z.array(z.object({ action_id: z.string(), block_id: z.string(), value: z.string().optional() })).min(1),
});

/** The receiver when there is no Socket Mode: events come in through handleRequest. */
class RequestUrlReceiver implements Receiver {
  init(): void {}
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
}

export class SlackInteractivity {
  private readonly app: App;
  private readonly socket: SocketModeReceiver | undefined;
  private readonly log: Logger;
  private services: SinkServices | undefined;
  /** Presses being handled, by message and block: a second press waits for the first to finish. */
  private readonly running = new Set<string>();
  private closed = false;
  private socketStarted = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SlackInteractivityOptions) {
    this.log = options.logger.child({ component: "slack-interactivity" });
    const boltLogger = slackLogger(this.log);
    this.socket = options.appToken
      ? new SocketModeReceiver({
          appToken: options.appToken,
          logger: boltLogger,
          // apps.connections.open goes to the configured API URL (a proxy, or a test's fake Slack).
          installerOptions: { clientOptions: { slackApiUrl: options.apiUrl } },
        })
      : undefined;
    this.app = new App({
      receiver: this.socket ?? new RequestUrlReceiver(),
      // A single workspace with a known bot token: no auth.test round trip before each event.
      authorize: async () => ({ botToken: options.botToken }),
      ignoreSelf: false,
      logger: boltLogger,
      clientOptions: { slackApiUrl: options.apiUrl },
    });
    this.app.action(new RegExp(`^${CALLBACK_ACTION_PREFIX}:`), async ({ ack, body }) => {
      await ack();
      await this.press(body);
    });
    // Link buttons send block_actions too; Slack shows the user an error unless they are acknowledged.
    this.app.action(new RegExp(`^(?!${CALLBACK_ACTION_PREFIX}:)`), async ({ ack }) => {
      await ack();
    });
    this.app.error(async (error) => {
      this.log.warn({ error: errorMessage(error) }, "Slack interaction failed");
    });
  }

  /** Keeps `services` for presses and, with an app token, connects Socket Mode in the background (retrying; never throws). */
  async start(services: SinkServices): Promise<void> {
    this.services = services;
    if (this.options.appToken && !this.socketStarted) {
      this.socketStarted = true;
      void this.connect(1);
    }
  }

  /** Answers a request to the Interactivity Request URL: 401 unless Slack signed it within the last 5 minutes. */
  async handleRequest(request: Request): Promise<Response> {
    const secret = this.options.signingSecret;
    if (!secret || request.method !== "POST" || !new URL(request.url).pathname.endsWith("/interactivity")) {
      return new Response("not found\n", { status: 404 });
    }
    if (Number(request.headers.get("content-length") ?? 0) > MAX_REQUEST_BYTES) return new Response("too large\n", { status: 413 });
    const body = await request.text();
    const timestamp = Number(request.headers.get("x-slack-request-timestamp"));
    const now = this.options.clock.now();
    const fresh = Number.isInteger(timestamp) && Math.abs(now / 1000 - timestamp) <= REQUEST_WINDOW_SECONDS;
    const signed =
      fresh &&
      isValidSlackRequest({
        signingSecret: secret,
        body,
        headers: { "x-slack-signature": request.headers.get("x-slack-signature") ?? "", "x-slack-request-timestamp": timestamp },
        nowMilliseconds: now,
      });
    if (!signed) {
      this.log.warn("refused a Slack interactivity request: bad or stale signature");
      return new Response("invalid signature\n", { status: 401 });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(new URLSearchParams(body).get("payload") ?? "");
    } catch {
      return new Response("expected a form with a JSON payload\n", { status: 400 });
    }
    if (typeof payload !== "object" || payload === null) return new Response("expected a JSON object payload\n", { status: 400 });
    // Slack wants an answer within 3 s: respond once the listener acknowledges, and let it go on.
    let acknowledge!: (response: unknown) => void;
    const acked = new Promise<unknown>((resolve) => (acknowledge = resolve));
    const processed = this.app
      .processEvent({
        body: payload as Record<string, unknown>,
        ack: async (response?: unknown) => acknowledge(response),
      })
      .catch((error: unknown) => this.log.warn({ error: errorMessage(error) }, "Slack interaction failed"));
    const response = await Promise.race([acked, processed.then(() => undefined)]);
    return response === undefined || response === ""
      ? new Response(null, { status: 200 })
      : Response.json(response, { status: 200 });
  }

  /** Disconnects Socket Mode: waits for the close handshake, a few seconds at most. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    if (!this.socket || !this.socketStarted) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)));
    try {
      await Promise.race([this.socket.client.disconnect(), timeout]);
    } catch (error) {
      this.log.warn({ error: errorMessage(error) }, "Slack Socket Mode disconnect failed");
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Connects Socket Mode. Once connected, the Socket Mode client reconnects by itself; what it
   * gives up on at start (Slack unreachable) is retried here, with a growing pause.
   */
  private async connect(attempt: number): Promise<void> {
    if (this.closed) return;
    try {
      await this.app.start();
      this.log.info("connected to Slack over Socket Mode");
    } catch (error) {
      if (this.closed) return;
      const code = error instanceof WebAPIPlatformError ? error.data.error : undefined;
      if (code !== undefined && FATAL_START_ERRORS.has(code)) {
        this.log.error({ error: code }, "Slack Socket Mode cannot connect: check app_token (an xapp- token with connections:write); buttons will not work");
        return;
      }
      const retryInMs = Math.min(60_000, 5_000 * attempt);
      this.log.warn({ error: errorMessage(error), retry_in_ms: retryInMs }, "Slack Socket Mode connection failed; retrying");
      this.retryTimer = setTimeout(() => void this.connect(attempt + 1), retryInMs);
      this.retryTimer.unref();
    }
  }

  private async press(body: unknown): Promise<void> {
    const parsed = pressSchema.safeParse(body);
    if (!parsed.success) {
      this.log.warn({ error: parsed.error.message }, "ignored a Slack button press with an unexpected payload");
      return;
    }
    const press = parsed.data;
    const action = press.actions[0]!;
    const channel = press.channel?.id ?? press.container?.channel_id;
    const message = press.message;
    const user = press.user.id;
    if (channel === undefined || message === undefined) {
      this.log.warn({ action_id: action.action_id }, "ignored a Slack button press outside a channel message");
      return;
    }
    const threadTs = message.thread_ts ?? message.ts;
    // Answers to the presser show where the message is: in its thread if it is a reply, else in the channel.
    const answerIn = message.thread_ts;
    const request = this.options.signer.verify(action.value);
    if (!request) {
      this.log.warn({ sink: this.options.sinkName, channel, user, action_id: action.action_id }, "refused a Slack button press: its value failed the signature check");
      await this.tell(channel, user, answerIn, "⚠️ This button's value did not pass its signature check, so nothing was run.");
      return;
    }
    const services = this.services;
    if (!services) {
      await this.tell(channel, user, answerIn, "⚠️ The runner is not ready to run actions yet; try again in a moment.");
      return;
    }
    const key = `${channel}/${message.ts}/${action.block_id}`;
    if (this.running.has(key)) {
      await this.tell(channel, user, answerIn, `⏳ ${request.action} is already running for this message.`);
      return;
    }
    this.running.add(key);
    try {
      let outcome: string;
      try {
        const findings = await services.runAction(request);
        for (const finding of findings) {
          if (!services.deliver(finding, { thread: { channel, id: threadTs } })) {
            this.log.warn({ action: request.action, finding: finding.title }, "a button's finding was dropped: the sink's queue is full");
          }
        }
        outcome = `✅ <@${user}> ran ${request.action}`;
        this.log.info({ action: request.action, user, channel, findings: findings.length }, "ran an action from a Slack button");
      } catch (error) {
        const reason = errorMessage(error).slice(0, MAX_ERROR_CHARS);
        outcome = `❌ <@${user}> could not run ${request.action}: ${reason}`;
        this.log.warn({ action: request.action, user, channel, error: reason }, "an action from a Slack button failed");
      }
      const blocks = replaceCallbackBlock(message.blocks as unknown as KnownBlock[], action.block_id, outcome);
      try {
        await this.options.api.update({ channel, ts: message.ts, text: message.text ?? outcome, blocks });
        this.options.onMessageEdited?.({ channel, ts: message.ts }, blocks);
      } catch (error) {
        this.log.warn({ error: errorMessage(error), channel }, "could not edit the message of a pressed Slack button");
      }
    } finally {
      this.running.delete(key);
    }
  }

  /** A message only the presser sees. */
  private async tell(channel: string, user: string, threadTs: string | undefined, text: string): Promise<void> {
    try {
      await this.options.api.postEphemeral({ channel, user, text, ...(threadTs !== undefined && { threadTs }) });
    } catch (error) {
      this.log.warn({ error: errorMessage(error), channel, user }, "could not answer a Slack button press");
    }
  }
}
