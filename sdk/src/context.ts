/** What a playbook receives besides its event: everything it may touch in the world. */
import type { Cluster } from "./cluster.js";
import type { Block } from "./findings/blocks.js";
import type { EnrichmentType, FindingInit, Severity } from "./findings/finding.js";

/** A structured logger (pino's calling convention: an optional object of fields, then a message). */
export interface Logger {
  debug(fields: Record<string, unknown>, message?: string): void;
  debug(message: string): void;
  info(fields: Record<string, unknown>, message?: string): void;
  info(message: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  warn(message: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
  error(message: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Time, so tests can control it. */
export interface Clock {
  now(): Date;
}

/**
 * Robusta's `globalConfig`: settings every action may read (cluster_name, prometheus_url, ...).
 * In YAML playbooks it is merged into every action's parameters, as in Robusta.
 */
export type GlobalConfig = Readonly<Record<string, unknown>> & { readonly cluster_name?: string };

/** Options of an enrichment. */
export interface EnrichmentOptions {
  title?: string;
  enrichmentType?: EnrichmentType;
  annotations?: Record<string, string>;
}

/** Changes to a finding that already exists (Robusta's customise_finding). Labels are merged into the subject's. */
export interface FindingChanges {
  title?: string;
  description?: string;
  severity?: Severity;
  aggregationKey?: string;
  labels?: Readonly<Record<string, string>>;
}

/** The context of one playbook run. */
export interface Context {
  readonly cluster: Cluster;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly config: GlobalConfig;
  /**
   * HTTP to services outside the cluster (Prometheus, Alertmanager, webhooks): the WHATWG
   * `fetch`. The runtime's is Node's; tests may pass one that answers from memory.
   */
  readonly fetch: typeof fetch;
  /** Aborted when the run times out; pass it to anything long-running. */
  readonly signal: AbortSignal;
  /** The running playbook. */
  readonly playbook: { readonly name: string };
  /**
   * Adds blocks to the event's finding in each of this playbook's sinks, creating the event's
   * default finding first if there is none yet. Playbooks fired by the same incoming event share it.
   */
  addEnrichment(blocks: readonly Block[], options?: EnrichmentOptions): void;
  /** Starts a new finding: it becomes the one later enrichments go to. */
  addFinding(init: FindingInit): void;
  /**
   * Changes the current finding in each of this playbook's sinks, creating the event's default
   * finding first if there is none yet. Its fingerprint stays, so sinks still match it up.
   */
  updateFinding(changes: FindingChanges): void;
  /** Stops the actions and playbooks after this one for this event (Robusta's `stop_processing`). */
  stopProcessing(): void;
}
