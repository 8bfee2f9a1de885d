/** The `slack_sink` type: what it is, its parameters, and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { slackSinkParams, type SlackSinkParams } from "./slack-params.js";
import { SlackSink } from "./slack-sink.js";

export { SlackSink, type SlackSinkDeps } from "./slack-sink.js";
export { slackSinkParams, type SlackSinkParams } from "./slack-params.js";

export const slackSinkType = {
  description:
    "Posts findings to a Slack channel as Block Kit messages, with files uploaded and linked, resolve updates, " +
    "grouping threads, and callback buttons (over Socket Mode or an HTTP request URL).",
  params: slackSinkParams,
  create: (params: SlackSinkParams, env: SinkBuildEnv): Sink => new SlackSink(sinkBaseOf(params), params, env),
  canThread: () => true,
};
