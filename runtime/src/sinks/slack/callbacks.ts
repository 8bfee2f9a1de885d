/**
 * Signed button values. A callback button's `value` carries the action to run and its parameters
 * through Slack and back to us on a press; an HMAC-SHA256 over them makes sure a press only runs
 * what this runner rendered, not a value someone edited or composed (Robusta signs its
 * ExternalActionRequest the same way, §6.3).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { CallbackChoice } from "@robusta-ts/sdk";
import { z } from "zod";

/** Slack's limit on a button's value. */
export const MAX_BUTTON_VALUE_CHARS = 2000;

/** What a press asks for: SinkServices.runAction's request. */
export interface CallbackRequest {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
}

const valueSchema = z
  .object({
    action: z.string().min(1),
    params: z.record(z.string(), z.unknown()),
    sig: z.string().min(1),
  })
  .strict();

/** Signs and verifies the button values of one sink. */
export class CallbackSigner {
  /**
   * @param key the HMAC key (see signingKeyFor).
   * @param sinkName signed along, so a value from one sink's message cannot run through another.
   */
  constructor(
    private readonly key: string,
    private readonly sinkName: string,
  ) {}

  /** The signed value for a button, or undefined when it would exceed Slack's 2000 characters (the button is left out). */
  sign(request: CallbackRequest): string | undefined {
    const value = JSON.stringify({ action: request.action, params: request.params, sig: this.signature(request) });
    return value.length > MAX_BUTTON_VALUE_CHARS ? undefined : value;
  }

  /** The value for a CallbackChoice (its parameters default to none). */
  valueFor(choice: CallbackChoice): string | undefined {
    return this.sign({ action: choice.action, params: choice.params ?? {} });
  }

  /** The request a pressed button's value carries, or undefined when it is malformed or its signature does not match. */
  verify(value: string | undefined): CallbackRequest | undefined {
    if (value === undefined || value.length > MAX_BUTTON_VALUE_CHARS) return undefined;
    let parsed: z.infer<typeof valueSchema>;
    try {
      parsed = valueSchema.parse(JSON.parse(value));
    } catch {
      return undefined;
    }
    const request: CallbackRequest = { action: parsed.action, params: parsed.params };
    const expected = Buffer.from(this.signature(request));
    const given = Buffer.from(parsed.sig);
    return given.length === expected.length && timingSafeEqual(given, expected) ? request : undefined;
  }

  private signature(request: CallbackRequest): string {
    // JSON.stringify of what JSON.parse gave back is the same text for values we produced.
    return createHmac("sha256", this.key).update(JSON.stringify([this.sinkName, request.action, request.params])).digest("base64url");
  }
}

/**
 * The key button values are signed with: `globalConfig.signing_key` when set (Robusta's setting,
 * shared by every sink and stable across token rotation); otherwise one derived from the sink's
 * bot token, a secret the runner already holds and never puts in a message, so buttons work with
 * no extra setup. Deriving (rather than using the token itself) keeps the token out of the HMAC
 * key; rotating the token makes earlier messages' buttons stop working, which is the safe way round.
 */
export function signingKeyFor(globalConfig: Readonly<Record<string, unknown>>, apiKey: string): string {
  const configured = globalConfig.signing_key;
  if (typeof configured === "string" && configured.trim() !== "") return configured;
  return createHmac("sha256", apiKey).update("robusta-ts slack callback signing").digest("hex");
}
