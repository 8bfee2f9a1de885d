/** The `telegram_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { telegramSinkParams, type TelegramSinkParams } from "./params.js";
import { TelegramSink } from "./telegram-sink.js";

export { telegramSinkParams, type TelegramSinkParams, DEFAULT_TELEGRAM_API_URL } from "./params.js";
export { renderTelegramMessage, documentCaption, TELEGRAM_LIMITS, type TelegramMessage } from "./render-message.js";
export { TelegramSink, type TelegramSinkOptions } from "./telegram-sink.js";

export const telegramSinkType = {
  description: "Sends each finding to a Telegram chat or forum topic through a bot, with its files as documents.",
  params: telegramSinkParams,
  create: (params: TelegramSinkParams, env: SinkBuildEnv): Sink => new TelegramSink(sinkBaseOf(params), params, { clusterName: env.clusterName, logger: env.logger }),
};
