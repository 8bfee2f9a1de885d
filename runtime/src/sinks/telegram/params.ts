/** `telegram_sink` parameters: Robusta's keys (§7.2), plus `api_url` for self-hosted Bot API servers. */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";

export const DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org";

export const telegramSinkParams = z
  .object({
    ...sinkBaseParams,
    // The token goes into the request path, so its shape is checked here: a token that is not a
    // valid path segment would make fetch fail with an error quoting the whole URL.
    bot_token: z
      .string()
      .regex(/^\d+:[\w-]+$/, "must be the token @BotFather gave, like 123456789:AAE...")
      .describe("The bot's token from @BotFather (`<bot id>:<secret>`). Never logged."),
    chat_id: z
      .union([z.number().int(), z.string().regex(/^(-?\d+|@\w{5,})$/, "must be a numeric chat id (e.g. -1001234567890) or @channelusername")])
      .describe("The chat findings go to: a numeric id (groups and channels are negative) or `@channelusername`. The bot must be a member."),
    thread_id: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("A forum topic's id (`message_thread_id`) in a supergroup with topics; messages and files go there."),
    send_files: z.boolean().default(true).describe("Send each file of a finding (logs, graphs) as a document after the message, replying to it."),
    api_url: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .default(DEFAULT_TELEGRAM_API_URL)
      .describe("The Bot API server: Telegram's, or a self-hosted telegram-bot-api server."),
  })
  .strict();

/** A validated `telegram_sink` entry. */
export type TelegramSinkParams = z.output<typeof telegramSinkParams>;
