/** Findings: what a playbook reports, routed to sinks. Field names follow Robusta's (camelCase here). */
import { randomUUID } from "node:crypto";
import type { Block } from "./blocks.js";
import { fingerprintOf } from "./fingerprint.js";

/** How bad it is, lowest first. */
export const SEVERITIES = ["DEBUG", "INFO", "LOW", "MEDIUM", "HIGH"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What produced the finding. */
export type FindingSource = "NONE" | "KUBERNETES_API_SERVER" | "PROMETHEUS" | "MANUAL" | "CALLBACK" | "SCHEDULER";

/** What kind of finding it is. */
export type FindingType = "ISSUE" | "CONF_CHANGE" | "HEALTH_CHECK" | "REPORT";

/** Whether the problem is going on or over. Robusta encodes this in a "[RESOLVED] " title prefix; here it is a field. */
export type FindingStatus = "firing" | "resolved";

/** Robusta's enrichment types, which sinks use to choose a layout. */
export type EnrichmentType =
  | "graph"
  | "ai_analysis"
  | "node_info"
  | "container_info"
  | "k8s_events"
  | "alert_labels"
  | "diff"
  | "text_file"
  | "crash_info"
  | "image_pull_backoff_info"
  | "pending_pod_info";

/** What the finding is about. */
export interface FindingSubject {
  readonly name?: string;
  /** The lower-case kind: "pod", "deployment", "node", ... */
  readonly subjectType?: string;
  readonly namespace?: string;
  readonly node?: string;
  readonly container?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A group of blocks with a title, added by one action. */
export interface Enrichment {
  readonly blocks: readonly Block[];
  readonly title?: string;
  readonly enrichmentType?: EnrichmentType;
  /** Rendering hints for sinks, e.g. { attachment: "true" } for Slack's coloured attachment. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** A link shown with the finding. */
export interface FindingLink {
  readonly url: string;
  readonly name: string;
  readonly type?: "video" | "prometheus_generator_url";
}

/** A finding, complete. Findings are plain data; sinks get their own copy. */
export interface Finding {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly severity: Severity;
  readonly status: FindingStatus;
  readonly source: FindingSource;
  readonly findingType: FindingType;
  /** False for findings that are not problems, such as configuration changes. */
  readonly failure: boolean;
  /** Groups findings of the same kind; called `identifier` in routing. Prometheus: the alert name. */
  readonly aggregationKey: string;
  readonly subject: FindingSubject;
  /** Stable across firing and resolved: sinks use it to dedup and to resolve what they opened. */
  readonly fingerprint: string;
  readonly startsAt: string;
  readonly endsAt?: string;
  readonly enrichments: readonly Enrichment[];
  readonly links: readonly FindingLink[];
}

/** What you give to create a finding: a title and an aggregation key; the rest has defaults. */
export interface FindingInit {
  title: string;
  aggregationKey: string;
  description?: string;
  severity?: Severity;
  status?: FindingStatus;
  source?: FindingSource;
  findingType?: FindingType;
  failure?: boolean;
  subject?: Partial<FindingSubject>;
  /** Defaults to Robusta's formula over the subject, source and aggregation key. */
  fingerprint?: string;
  startsAt?: string;
  endsAt?: string;
  enrichments?: readonly Enrichment[];
  links?: readonly FindingLink[];
}

/** Builds a finding from its parts, filling in defaults and the fingerprint. */
export function createFinding(init: FindingInit, now: Date = new Date()): Finding {
  const subject: FindingSubject = {
    ...init.subject,
    labels: { ...init.subject?.labels },
    annotations: { ...init.subject?.annotations },
  };
  const source = init.source ?? "NONE";
  return {
    id: randomUUID(),
    title: init.title,
    ...(init.description !== undefined && { description: init.description }),
    severity: init.severity ?? "INFO",
    status: init.status ?? "firing",
    source,
    findingType: init.findingType ?? "ISSUE",
    failure: init.failure ?? true,
    aggregationKey: init.aggregationKey,
    subject,
    fingerprint: init.fingerprint || fingerprintOf(subject, source, init.aggregationKey),
    startsAt: init.startsAt ?? now.toISOString(),
    ...(init.endsAt !== undefined && { endsAt: init.endsAt }),
    enrichments: [...(init.enrichments ?? [])],
    links: [...(init.links ?? [])],
  };
}
