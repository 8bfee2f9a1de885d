/** The `google_chat_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { GoogleChatSink } from "./google-chat-sink.js";
import { googleChatSinkParams, type GoogleChatSinkParams } from "./params.js";

export { googleChatSinkParams, type GoogleChatSinkParams } from "./params.js";
export { GOOGLE_CHAT_MARKDOWN } from "./dialect.js";
export { GOOGLE_CHAT_TEXT_LIMIT, renderGoogleChatText } from "./render-text.js";
export { GoogleChatSink, type GoogleChatSinkOptions, type GoogleChatMessage } from "./google-chat-sink.js";

export const googleChatSinkType = {
  description: "Posts each finding to a Google Chat space's incoming webhook as a text message, threaded by finding.",
  params: googleChatSinkParams,
  create: (params: GoogleChatSinkParams, env: SinkBuildEnv): Sink => new GoogleChatSink(sinkBaseOf(params), params, { clusterName: env.clusterName }),
};
