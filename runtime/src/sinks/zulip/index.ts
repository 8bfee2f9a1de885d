/** The `zulip_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { zulipSinkParams, type ZulipSinkParams } from "./params.js";
import { ZulipSink } from "./zulip-sink.js";

export { zulipSinkParams, type ZulipSinkParams } from "./params.js";
export { renderZulipContent, zulipTopic, filesToUpload, zulipFiles, ZULIP_LIMITS, type UploadOutcome } from "./render-message.js";
export { ZulipSink, type ZulipSinkOptions } from "./zulip-sink.js";

export const zulipSinkType = {
  description: "Posts each finding to a Zulip stream and topic as a bot, previewing logs inline and uploading files.",
  params: zulipSinkParams,
  create: (params: ZulipSinkParams, env: SinkBuildEnv): Sink => new ZulipSink(sinkBaseOf(params), params, { clusterName: env.clusterName, logger: env.logger }),
};
