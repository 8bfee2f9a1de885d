/** The `jira_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { JiraSink } from "./jira-sink.js";
import { jiraSinkParams, type JiraSinkParams } from "./params.js";

export { jiraSinkParams, type JiraSinkParams, DEDUP_ATTRIBUTES } from "./params.js";
export { JiraSink, type JiraSinkOptions, RESOLVED_COMMENT } from "./jira-sink.js";
export { issueDescription, DESCRIPTION_MAX } from "./render-description.js";
export { issueSummary, issueLabels, issuePriority } from "./render-fields.js";

export const jiraSinkType = {
  description:
    "Opens a Jira issue per finding (ADF description, files attached); a Prometheus alert updates its open issue, resolves it (sendResolved) or reopens it (reopenIssues).",
  params: jiraSinkParams,
  create: (params: JiraSinkParams, env: SinkBuildEnv): Sink => new JiraSink(sinkBaseOf(params), params, { clusterName: env.clusterName, logger: env.logger }),
};
