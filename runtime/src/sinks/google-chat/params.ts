/** `google_chat_sink` parameters: Robusta's one key, `webhook_url` (a space's incoming webhook). */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";

const WEBHOOK_PATH = /^\/v1\/spaces\/[^/]+\/messages$/;

/** Whether `url` has a Chat webhook's path and its key and token. */
function isWebhookUrl(url: string): boolean {
  const parsed = new URL(url);
  return WEBHOOK_PATH.test(parsed.pathname) && parsed.searchParams.has("key") && parsed.searchParams.has("token");
}

export const googleChatSinkParams = z
  .object({
    ...sinkBaseParams,
    webhook_url: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .refine((url) => !URL.canParse(url) || isWebhookUrl(url), {
        message:
          "must be a Google Chat incoming webhook URL: https://chat.googleapis.com/v1/spaces/<space>/messages?key=…&token=… " +
          "(in the space: Apps & integrations → Webhooks)",
      })
      .describe(
        "The space's incoming webhook URL, https://chat.googleapis.com/v1/spaces/<space>/messages?key=…&token=…. Its key and token " +
          "are secrets: keep it in a Secret. Messages about one finding (by fingerprint) go in one thread unless the URL sets " +
          "`messageReplyOption` itself.",
      ),
  })
  .strict();

/** A validated `google_chat_sink` entry. */
export type GoogleChatSinkParams = z.output<typeof googleChatSinkParams>;
