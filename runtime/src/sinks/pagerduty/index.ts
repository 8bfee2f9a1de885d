/** The `pagerduty_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { pagerdutySinkParams, type PagerdutySinkParams } from "./params.js";
import { PagerdutySink } from "./pagerduty-sink.js";

export { pagerdutySinkParams, type PagerdutySinkParams, PAGERDUTY_EVENTS_URL } from "./params.js";
export { renderAlertEvent, PAGERDUTY_SEVERITY, type AlertEvent, type PagerdutySeverity } from "./render-event.js";
export { renderChangeEvents, CHANGE_AGGREGATION_KEY, type ChangeEvent } from "./render-change.js";
export { EVENT_MAX_BYTES, SUMMARY_MAX_CHARS } from "./event-limits.js";
export { PagerdutySink, type PagerdutySinkOptions } from "./pagerduty-sink.js";

export const pagerdutySinkType = {
  description:
    "Sends findings to PagerDuty's Events API v2: alert events that trigger and resolve by the finding's fingerprint, and configuration changes as change events.",
  params: pagerdutySinkParams,
  create: (params: PagerdutySinkParams, env: SinkBuildEnv): Sink => new PagerdutySink(sinkBaseOf(params), params, { clusterName: env.clusterName }),
};
