/** The `webex_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { webexSinkParams, type WebexSinkParams } from "./params.js";
import { WebexSink } from "./webex-sink.js";

export { webexSinkParams, type WebexSinkParams } from "./params.js";
export { renderWebexMarkdown, webexTitle, MAX_MESSAGE_BYTES, WEBEX_MARKDOWN } from "./render-message.js";
export { WebexSink, type WebexSinkOptions, type WebexTarget, MAX_FILE_BYTES } from "./webex-sink.js";

export const webexSinkType = {
  description: "Posts findings to a Webex room as its bot: a markdown message, then one message per file; the room may follow a label.",
  params: webexSinkParams,
  create: (params: WebexSinkParams, env: SinkBuildEnv): Sink => new WebexSink(sinkBaseOf(params), params, { clusterName: env.clusterName, logger: env.logger }),
};
