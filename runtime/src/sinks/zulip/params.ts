/** `zulip_sink` parameters: Robusta's keys and defaults (`ZulipSinkParams`). */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";
import { destinationTemplate } from "../common/destination-override.js";

export const zulipSinkParams = z
  .object({
    ...sinkBaseParams,
    api_url: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .describe("Your Zulip server, e.g. `https://example.zulipchat.com`."),
    bot_email: z.string().regex(/^[^@\s]+@[^@\s]+$/, "must be the bot's email address").describe("The bot's email (Settings → Personal → Bots)."),
    bot_api_key: z.string().min(1, "must not be empty").describe("The bot's API key. Never logged."),
    stream_name: z.string().min(1, "must not be empty").max(60, "must be at most 60 characters (Zulip's limit)").default("Monitoring").describe("The stream (channel) messages go to; the bot must be allowed to post there."),
    topic_name: z.string().min(1, "must not be empty").default("Robusta").describe("The topic messages go to, unless `topic_override` names another. Cut to Zulip's 60 characters."),
    topic_override: destinationTemplate()
      .optional()
      .describe("The topic per finding, like Slack's channel_override: `cluster_name`, `labels.foo`, `annotations.foo`, or a template like `$cluster_name-${labels.team}`. Falls back to `topic_name` when the finding lacks a label or annotation it names."),
    log_preview_char_limit: z
      .number()
      .int()
      .min(0)
      .default(500)
      .describe("Text logs (.txt, .log) show their last lines up to this many characters in the message; the whole file is uploaded and linked when it is longer. 0: upload logs as files instead."),
  })
  .strict();

/** A validated `zulip_sink` entry. */
export type ZulipSinkParams = z.output<typeof zulipSinkParams>;
