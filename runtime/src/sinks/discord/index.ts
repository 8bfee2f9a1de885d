/** The `discord_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { DiscordSink } from "./discord-sink.js";
import { discordSinkParams, type DiscordSinkParams } from "./params.js";

export { discordSinkParams, type DiscordSinkParams } from "./params.js";
export { DISCORD_LIMITS } from "./limits.js";
export { renderDiscordMessage, type DiscordMessage, type DiscordRendering } from "./render-message.js";
export { DiscordSink, type DiscordSinkOptions } from "./discord-sink.js";

export const discordSinkType = {
  description: "Posts each finding to a Discord channel webhook: an embed coloured by status, with the finding's files attached.",
  params: discordSinkParams,
  create: (params: DiscordSinkParams, env: SinkBuildEnv): Sink => new DiscordSink(sinkBaseOf(params), params, { clusterName: env.clusterName }),
};
