/** The `datadog_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { DatadogSink } from "./datadog-sink.js";
import { datadogSinkParams, type DatadogSinkParams } from "./params.js";

export { datadogSinkParams, type DatadogSinkParams, apiBaseUrl } from "./params.js";
export { renderEvent, alertType, eventTags } from "./render-event.js";
export { DatadogSink, type DatadogSinkOptions } from "./datadog-sink.js";

export const datadogSinkType = {
  description: "Posts each finding as a Datadog event (Events API), tagged with the cluster, with the finding as markdown.",
  params: datadogSinkParams,
  create: (params: DatadogSinkParams, env: SinkBuildEnv): Sink => new DatadogSink(sinkBaseOf(params), params, { clusterName: env.clusterName }),
};
