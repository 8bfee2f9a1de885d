/** `discord_sink` parameters: Robusta's one key, `url` (a channel's webhook URL). */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";

// /api/webhooks/<id>/<token>, optionally versioned (/api/v10/...). A /slack or /github suffix
// would make Discord expect another service's payload, so it is refused.
const WEBHOOK_PATH = /^\/api(?:\/v\d+)?\/webhooks\/\d+\/[\w-]+\/?$/;

export const discordSinkParams = z
  .object({
    ...sinkBaseParams,
    url: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .refine((url) => !URL.canParse(url) || WEBHOOK_PATH.test(new URL(url).pathname), {
        message: "must be a Discord webhook URL: https://discord.com/api/webhooks/<id>/<token> (Channel settings → Integrations → Webhooks → Copy Webhook URL)",
      })
      .describe(
        "The channel's webhook URL, https://discord.com/api/webhooks/<id>/<token>. It holds the webhook's token: keep it in a Secret. " +
          "A `?thread_id=<id>` query posts into a thread (or forum post) of the channel.",
      ),
  })
  .strict();

/** A validated `discord_sink` entry. */
export type DiscordSinkParams = z.output<typeof discordSinkParams>;
