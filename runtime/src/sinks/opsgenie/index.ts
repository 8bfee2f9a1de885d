/** The `opsgenie_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { OpsgenieSink } from "./opsgenie-sink.js";
import { opsgenieSinkParams, type OpsgenieSinkParams } from "./params.js";

export { opsgenieSinkParams, type OpsgenieSinkParams, OPSGENIE_API_URL } from "./params.js";
export { renderCreateAlert, OPSGENIE_PRIORITY, CLOSE_ALERT_BODY, type CreateAlertBody, type OpsgeniePriority } from "./render-alert.js";
export { OPSGENIE_LIMITS } from "./alert-limits.js";
export { OpsgenieSink, type OpsgenieSinkOptions } from "./opsgenie-sink.js";

export const opsgenieSinkType = {
  description:
    "Creates an Opsgenie alert for each firing finding (alias = fingerprint, so repeats count up on one alert) and closes it when the finding resolves; teams and tags may be label templates.",
  params: opsgenieSinkParams,
  create: (params: OpsgenieSinkParams, env: SinkBuildEnv): Sink => {
    if (params.teams.some((team) => team.includes("$")) && params.default_team === undefined) {
      env.logger.warn({ sink: params.name }, "opsgenie_sink: teams has templates but no default_team: an alert that lacks a template's label or annotation gets no team for it");
    }
    return new OpsgenieSink(sinkBaseOf(params), params, { clusterName: env.clusterName });
  },
};
