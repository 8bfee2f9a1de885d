/**
 * What Slack sends an app when a button is pressed: a `block_actions` payload built from the
 * message as stored, delivered over Socket Mode or as a signed request to the request URL
 * (https://api.slack.com/authentication/verifying-requests-from-slack).
 */
import { createHmac } from "node:crypto";

/** Which button of which message, pressed by whom. */
export interface PressOptions {
  /** Channel id. */
  readonly channel: string;
  readonly ts: string;
  /** The button's action_id, e.g. "robusta_callback:0". */
  readonly actionId: string;
  /** Default "U0ALICE". */
  readonly user?: string;
  /** Sends this value instead of the button's own (a tampered press). */
  readonly value?: string;
}

interface StoredMessage {
  readonly ts: string;
  readonly text: string;
  readonly blocks: readonly unknown[];
  readonly attachments: readonly unknown[];
  readonly threadTs?: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** The block_actions payload for pressing `actionId` in `message`. */
export function blockActionsPayload(message: StoredMessage, press: PressOptions, context: { teamId: string; channelName: string }): Json {
  const found = findButton(message, press.actionId);
  if (!found) throw new Error(`no button ${press.actionId} in message ${message.ts}`);
  const user = press.user ?? "U0ALICE";
  const value = press.value ?? (typeof found.button.value === "string" ? found.button.value : undefined);
  return {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: context.teamId },
    api_app_id: "A0FAKE",
    token: "legacy-verification-token",
    container: { type: "message", message_ts: message.ts, channel_id: press.channel, is_ephemeral: false },
    trigger_id: "1.2.3",
    team: { id: context.teamId, domain: "fake" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: press.channel, name: context.channelName },
    message: {
      type: "message",
      user: "U0BOT",
      bot_id: "B0BOT",
      ts: message.ts,
      text: message.text,
      blocks: message.blocks,
      ...(message.attachments.length > 0 && { attachments: message.attachments }),
      ...(message.threadTs !== undefined && { thread_ts: message.threadTs }),
    },
    response_url: "https://hooks.slack.invalid/actions/T0FAKE/1/abc",
    actions: [
      {
        type: "button",
        action_id: press.actionId,
        block_id: found.blockId,
        text: found.button.text,
        ...(value !== undefined && { value }),
        action_ts: "1700000000.000001",
      },
    ],
    state: { values: {} },
  };
}

function findButton(message: StoredMessage, actionId: string): { blockId: string; button: Json } | undefined {
  const blocks = [...message.blocks, ...message.attachments.flatMap((a) => (isObject(a) && Array.isArray(a.blocks) ? a.blocks : []))];
  for (const block of blocks) {
    if (!isObject(block) || block.type !== "actions" || !Array.isArray(block.elements)) continue;
    const button = block.elements.find((e: unknown) => isObject(e) && e.action_id === actionId);
    // Slack assigns a block_id when the app gave none.
    if (isObject(button)) return { blockId: typeof block.block_id === "string" ? block.block_id : "generated", button };
  }
  return undefined;
}

/** A form-encoded interactivity request, signed as Slack signs it. */
export function signedInteractivityRequest(url: string, payload: unknown, signingSecret: string, timestampSeconds: number): Request {
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const signature = `v0=${createHmac("sha256", signingSecret).update(`v0:${timestampSeconds}:${body}`).digest("hex")}`;
  return new Request(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestampSeconds),
      "x-slack-signature": signature,
    },
    body,
  });
}
