/**
 * @robusta-ts/sdk: write Kubernetes playbooks in TypeScript. Events, triggers, actions,
 * findings and blocks, the context a playbook receives, and the engine that runs them.
 */
export * from "./kubernetes/objects.js";
export { eventRow, type EventRow } from "./kubernetes/events.js";
export * from "./events/model.js";
export { EventClasses, satisfies, type EventClass, type EventClassName } from "./events/classes.js";
export { specializeChange } from "./events/specialize.js";
export { alertmanagerWebhookSchema, alertEvent, alertEvents, type AlertmanagerWebhook } from "./events/alertmanager.js";
export { AlertDeduplicator, alertRelabelSchema, relabelAlert, type AlertRelabel } from "./events/alert-intake.js";
export * from "./findings/blocks.js";
export * from "./findings/finding.js";
export { fingerprintOf } from "./findings/fingerprint.js";
export { defaultFindingFor, subjectOf, ALERT_SEVERITY_MAP } from "./findings/defaults.js";
export type { Cluster, ListQuery, LogRequest, PatchType, DeleteOptions } from "./cluster.js";
export { ownerChain } from "./kubernetes/owners.js";
export type { Context, Logger, Clock, GlobalConfig, EnrichmentOptions } from "./context.js";
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
export { kubernetesParams, objectMatches } from "./triggers/kubernetes.js";
export { allContainerStatuses, oomKilledStatuses } from "./triggers/pod-health.js";
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
} from "./actions/define.js";
export { ActionRegistry, collectActions } from "./actions/registry.js";
export { builtinActions, logsEnricher, podEventsEnricher } from "./actions/builtin/index.js";
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
export { EXPERIMENTAL_DECORATORS_MESSAGE } from "./playbooks/metadata.js";
export { Engine, PlaybookLoadError, type EngineOptions, type DispatchResult, type PlaybookRun } from "./engine/engine.js";
export type { ActionRun } from "./engine/run-context.js";
export { RateLimiter } from "./engine/rate-limiter.js";
export { resolveAlertObjects } from "./engine/alert-objects.js";
export { withTimeout, TimeoutError, errorMessage } from "./util/timeout.js";
export type { CamelKeys, SnakeToCamel } from "./util/case.js";
