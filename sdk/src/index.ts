/**
 * @robusta-ts/sdk: write Kubernetes playbooks in TypeScript. Events, triggers, actions,
 * findings and blocks, the context a playbook receives, and the engine that runs them.
 */
export * from "./kubernetes/objects.js";
export { eventRow, type EventRow } from "./kubernetes/events.js";
export * from "./events/model.js";
export { EventClasses, satisfies, type EventClass, type EventClassName } from "./events/classes.js";
export { specializeChange } from "./events/specialize.js";
export { manualEvent, eventParamNames, isManuallyTriggerable, ManualTriggerError } from "./events/from-params.js";
export { alertmanagerWebhookSchema, alertEvent, alertEvents, type AlertmanagerWebhook } from "./events/alertmanager.js";
export { AlertDeduplicator, alertRelabelSchema, relabelAlert, type AlertRelabel } from "./events/alert-intake.js";
export * from "./findings/blocks.js";
export * from "./findings/finding.js";
export { fingerprintOf } from "./findings/fingerprint.js";
export { boundBlocks, keepEnd, tableText, DEFAULT_BLOCK_LIMITS, type BlockLimits } from "./findings/bounds.js";
export { httpRequest, requestJson, HttpError, DEFAULT_HTTP_TIMEOUT_MS, type HttpRequest } from "./integrations/http.js";
export * from "./integrations/prometheus.js";
export * from "./integrations/alertmanager.js";
export { defaultFindingFor, subjectOf, ALERT_SEVERITY_MAP } from "./findings/defaults.js";
export type { Cluster, ListQuery, LogRequest, PatchType, DeleteOptions } from "./cluster.js";
export { ownerChain } from "./kubernetes/owners.js";
export { diffObjects, diffValues, withoutFields, type DiffOptions } from "./kubernetes/diff.js";
export { cutPodSpec, isCutPodSpec } from "./kubernetes/pod-projection.js";
export { parsePath, formatPath, getAtPath, PathSyntaxError, type PathSegment } from "./kubernetes/object-path.js";
export type { Context, Logger, Clock, GlobalConfig, EnrichmentOptions, FindingChanges } from "./context.js";
export {
  triggerFactory,
  parseTriggerParams,
  TriggerParamsError,
  type Trigger,
  type TriggerType,
  type TriggerSpec,
  type TriggerEnv,
  type TriggerParams,
  type IncomingEvent,
  type EventOf,
} from "./triggers/trigger.js";
export * from "./triggers/catalog.js";
export { onScheduleType, nextCronRun, type OnScheduleParams } from "./triggers/schedule.js";
export { kubernetesParams, objectMatches, changeFilters, filterChange, type ChangeFilters, type KubernetesParams } from "./triggers/kubernetes.js";
export { kubernetesScope, alertScope, scopeMatches, fullMatchRegex, type Scope, type ScopeRule, type ScopeSubject } from "./triggers/scope.js";
export { DEFAULT_RESOURCE_CHANGE_FILTERS, type ResourceOperationParams } from "./triggers/resource-operation.js";
export {
  customResourceTriggers,
  type CustomResource,
  type CustomResourceTriggers,
  type CustomResourceTriggerParams,
} from "./triggers/custom-resource.js";
export { CLUSTER_PROVIDERS, type ClusterProvider } from "./triggers/prometheus.js";
export { allContainerStatuses, oomKilledStatuses } from "./triggers/pod-health.js";
export { HELM_UNHEALTHY_STATUSES, HELM_FAILED_STATUSES, HELM_DEPLOYED_STATUSES } from "./triggers/helm.js";
export {
  defineAction,
  isAction,
  parseActionParams,
  ActionParamsError,
  type Action,
  type AnyAction,
  type ActionDefinition,
  type ActionOutcome,
  type ActionParams,
  type PermissionRule,
} from "./actions/define.js";
export { ActionRegistry, collectActions } from "./actions/registry.js";
export * from "./actions/builtin/index.js";
export {
  Playbook,
  playbook,
  definePlaybook,
  collectPlaybooks,
  registryData,
  REGISTRY_VERSION,
  type PlaybookData,
  type PlaybookDefinition,
  type PlaybookObject,
  type PlaybookOptions,
  type RegistryData,
  type ActionSpec,
} from "./playbooks/playbook.js";
export {
  checkPlaybook,
  formatProblemPath,
  type CheckEnv,
  type CheckResult,
  type CheckedAction,
  type CheckedTrigger,
  type PlaybookProblem,
  type ProblemPath,
} from "./playbooks/check.js";
export { EXPERIMENTAL_DECORATORS_MESSAGE } from "./playbooks/metadata.js";
export { Engine, PlaybookLoadError, type EngineOptions, type DispatchResult, type PlaybookRun } from "./engine/engine.js";
export type { ActionRun } from "./engine/run-context.js";
export type { ManualRunRequest, ManualRunResult } from "./engine/manual-run.js";
export { RateLimiter, type RateLimitEntry } from "./engine/rate-limiter.js";
export { resolveAlertObjects } from "./engine/alert-objects.js";
export { withTimeout, TimeoutError, errorMessage } from "./util/timeout.js";
export type { CamelKeys, SnakeToCamel } from "./util/case.js";
