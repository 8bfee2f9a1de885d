/**
 * A finding as a PagerDuty Events API v2 alert event (Robusta's `__send_events_to_pagerduty`):
 * trigger or resolve by status, dedup_key = fingerprint, severity by Robusta's map, Robusta's
 * custom details in Robusta's order with the blocks' text in `state_message`, the finding's links
 * and link rows as links. Within PagerDuty's limits. Pure.
 */
import type { Finding, Severity } from "@robusta-ts/sdk";
import { SEVERITY_MARK, cutChars, robustaTitle, subjectPath } from "../common/finding-words.js";
import { SUMMARY_MAX_CHARS, dedupKeyOf, fitEvent, type PagerdutyLink } from "./event-limits.js";
import { blockText, plainLinks } from "./plain-text.js";

/** PagerDuty's severities, most severe first. */
export type PagerdutySeverity = "critical" | "error" | "warning" | "info";

/**
 * Robusta's map. MEDIUM is "error": Robusta sent that while it had a MEDIUM severity (today it
 * reads MEDIUM as HIGH); PagerDuty's default urgency rules treat error like critical.
 */
export const PAGERDUTY_SEVERITY: Readonly<Record<Severity, PagerdutySeverity>> = {
  HIGH: "critical",
  MEDIUM: "error",
  LOW: "warning",
  INFO: "info",
  DEBUG: "info",
};

/** An Events API v2 alert event, as POSTed to /v2/enqueue. */
export interface AlertEvent {
  readonly routing_key: string;
  readonly event_action: "trigger" | "resolve";
  readonly dedup_key: string;
  readonly payload: {
    readonly summary: string;
    readonly severity: PagerdutySeverity;
    readonly source: string;
    readonly timestamp: string;
    readonly component?: string;
    readonly group?: string;
    readonly class: string;
    readonly custom_details: Readonly<Record<string, string>>;
  };
  readonly links: readonly PagerdutyLink[];
}

export interface EventOptions {
  readonly clusterName: string;
  readonly routingKey: string;
}

/** The finding's links, then its link rows' links (Robusta adds the Prometheus graph link and the rows). */
export function eventLinks(finding: Finding): PagerdutyLink[] {
  return [
    ...finding.links.map((link) => ({ href: link.url, text: link.name })),
    ...finding.enrichments.flatMap((enrichment) => enrichment.blocks.flatMap((block) => (block.type === "links" ? block.links.map((link) => ({ href: link.url, text: link.text })) : []))),
  ];
}

/** The description, then each block's text, each followed by a blank line (Robusta's `state_message`). */
export function stateMessage(finding: Finding): string {
  const texts = [plainLinks(finding.description ?? ""), ...finding.enrichments.flatMap((enrichment) => enrichment.blocks.map(blockText))];
  return texts
    .filter((text) => text !== "")
    .map((text) => `${text}\n\n`)
    .join("");
}

/** Robusta's custom details, in its order; details the finding lacks are left out rather than sent as null. */
function customDetails(finding: Finding, clusterName: string): Record<string, string> {
  const severity = PAGERDUTY_SEVERITY[finding.severity];
  const details: Record<string, string | undefined> = {
    Resource: finding.subject.name,
    "Cluster running Robusta": clusterName,
    Namespace: finding.subject.namespace,
    Node: finding.subject.node,
    "Source of the Alert": finding.source,
    Severity: severity.toUpperCase(),
    "Fingerprint ID": finding.fingerprint,
    Description: finding.description && plainLinks(finding.description),
    Caption: `${SEVERITY_MARK[finding.severity]} ${severity} - ${robustaTitle(finding)}`,
    state_message: stateMessage(finding),
  };
  return Object.fromEntries(Object.entries(details).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""));
}

/** The alert event for `finding`, within 512 KB. */
export function renderAlertEvent(finding: Finding, options: EventOptions): AlertEvent {
  const resolved = finding.status === "resolved";
  // Robusta's component is the subject ("ns/kind/name") and its group the workload's service key; without
  // Robusta's service discovery, the subject stands for both.
  const subject = subjectPath(finding);
  return fitEvent<AlertEvent>({
    routing_key: options.routingKey,
    event_action: resolved ? "resolve" : "trigger",
    dedup_key: dedupKeyOf(finding.fingerprint),
    payload: {
      summary: cutChars(robustaTitle(finding), SUMMARY_MAX_CHARS),
      severity: PAGERDUTY_SEVERITY[finding.severity],
      source: options.clusterName,
      timestamp: (resolved && finding.endsAt) || finding.startsAt,
      ...(subject !== "" && { component: subject, group: subject }),
      class: finding.aggregationKey,
      custom_details: customDetails(finding, options.clusterName),
    },
    links: eventLinks(finding),
  });
}
