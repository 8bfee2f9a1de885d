import { defaultEnricher } from "./default-enricher.js";
import { enrichPodWithNodeEvents } from "./enrich-pod-with-node-events.js";
import { imagePullBackoffReporter } from "./image-pull-backoff-reporter.js";
import { logsEnricher } from "./logs-enricher.js";
import { nameSilencer } from "./name-silencer.js";
import { podEventsEnricher } from "./pod-events-enricher.js";
import { podEvictedEnricher } from "./pod-evicted-enricher.js";
import { podOomKillerEnricher } from "./pod-oom-killer-enricher.js";
import { reportCrashLoop } from "./report-crash-loop.js";
import { helmStatusEnricher } from "./helm-status-enricher.js";
import { alertEnricherActions } from "./alert-enrichers/index.js";
import { findingActions } from "./findings/index.js";
import { prometheusActions } from "./prometheus/index.js";
import { remediationActions } from "./remediation/index.js";
import { workloadActions } from "./workloads/index.js";

export * from "./alert-enrichers/index.js";
export * from "./findings/index.js";
export * from "./prometheus/index.js";
export * from "./remediation/index.js";
export * from "./workloads/index.js";

export {
  defaultEnricher,
  helmStatusEnricher,
  enrichPodWithNodeEvents,
  imagePullBackoffReporter,
  logsEnricher,
  nameSilencer,
  podEventsEnricher,
  podEvictedEnricher,
  podOomKillerEnricher,
  reportCrashLoop,
};

/** The built-in actions, available by name to every YAML playbook. */
export const builtinActions = [
  logsEnricher,
  podEventsEnricher,
  reportCrashLoop,
  imagePullBackoffReporter,
  podEvictedEnricher,
  enrichPodWithNodeEvents,
  podOomKillerEnricher,
  defaultEnricher,
  nameSilencer,
  helmStatusEnricher,
  ...workloadActions,
  ...findingActions,
  ...remediationActions,
  ...prometheusActions,
  ...alertEnricherActions,
];
