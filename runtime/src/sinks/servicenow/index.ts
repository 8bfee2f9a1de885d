/** The `service_now_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { serviceNowSinkParams, type ServiceNowSinkParams } from "./params.js";
import { ServiceNowSink } from "./servicenow-sink.js";

export { serviceNowSinkParams, type ServiceNowSinkParams, instanceUrl } from "./params.js";
export { renderIncident, SEVERITY_LEVELS } from "./render-incident.js";
export { ServiceNowSink, type ServiceNowSinkOptions } from "./servicenow-sink.js";

export const serviceNowSinkType = {
  description:
    "Opens a ServiceNow incident per firing finding (with its files attached), at most one open per fingerprint, and resolves it when the finding resolves.",
  params: serviceNowSinkParams,
  create: (params: ServiceNowSinkParams, env: SinkBuildEnv): Sink =>
    new ServiceNowSink(sinkBaseOf(params), params, { clusterName: env.clusterName, logger: env.logger }),
};
