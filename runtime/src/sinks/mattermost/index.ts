/** The `mattermost_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { MattermostSink } from "./mattermost-sink.js";
import { mattermostSinkParams, type MattermostSinkParams } from "./params.js";

export { mattermostSinkParams, type MattermostSinkParams } from "./params.js";
export { renderMattermostPost, mattermostTitle, MAX_MESSAGE_CHARS } from "./render-post.js";
export { MattermostSink, type MattermostSinkOptions, MAX_FILES_PER_POST, MAX_FILE_BYTES } from "./mattermost-sink.js";

export const mattermostSinkType = {
  description: "Posts findings to a Mattermost channel as its bot: a title line and an attachment coloured by status, with files uploaded.",
  params: mattermostSinkParams,
  create: (params: MattermostSinkParams, env: SinkBuildEnv): Sink =>
    new MattermostSink(sinkBaseOf(params), params, { clusterName: env.clusterName, logger: env.logger }),
};
