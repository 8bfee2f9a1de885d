/**
 * A finding as a ServiceNow incident (Robusta's `ServiceNowSender`): Robusta's header as the
 * short description; the links, `Source:`, the description and the enrichments as the
 * description, in plain text; impact, urgency and priority from the severity; the fingerprint as
 * `correlation_id`, which later finds the incident to dedup and resolve. Pure.
 */
import { createHash } from "node:crypto";
import type { Finding, Severity } from "@robusta-ts/sdk";
import { SEVERITY_MARK, statusMark } from "../common/finding-words.js";
import { cutToMeasure, enrichmentMarkdown, fitMarkdown } from "../common/render-markdown.js";
import { PLAIN_TEXT, slackToPlain } from "./plain-text.js";

/** `incident.short_description`'s size in a default instance. */
export const SHORT_DESCRIPTION_LIMIT = 160;
/** `incident.description`'s size in a default instance. */
export const DESCRIPTION_LIMIT = 4000;
/** `incident.correlation_id`'s size. */
export const CORRELATION_ID_LIMIT = 100;

/**
 * The `correlation_id` for a fingerprint: the fingerprint itself, or, for one longer than the
 * field, its sha256, so the incident a finding opened is the one its repeats and resolve find.
 */
export const correlationIdOf = (fingerprint: string): string =>
  fingerprint.length <= CORRELATION_ID_LIMIT ? fingerprint : createHash("sha256").update(fingerprint).digest("hex");

/** ServiceNow counts a field's size as Java does, in UTF-16 units: an emoji counts twice. */
export const utf16Length = (text: string): number => text.length;

export interface ImpactUrgencyPriority {
  readonly impact: number;
  readonly urgency: number;
  readonly priority: number;
}

/**
 * Robusta's combinations, which give these priorities in ServiceNow's default priority matrix.
 * Robusta has none for MEDIUM (it fails on one); here MEDIUM is 2/2, the matrix's 3 (Moderate).
 */
export const SEVERITY_LEVELS: Readonly<Record<Severity, ImpactUrgencyPriority>> = {
  HIGH: { impact: 1, urgency: 1, priority: 1 },
  MEDIUM: { impact: 2, urgency: 2, priority: 3 },
  LOW: { impact: 3, urgency: 2, priority: 4 },
  INFO: { impact: 3, urgency: 3, priority: 5 },
  DEBUG: { impact: 3, urgency: 3, priority: 5 },
};

/** The body of `POST /api/now/v1/table/incident`. */
export interface IncidentBody extends ImpactUrgencyPriority {
  readonly short_description: string;
  readonly description: string;
  readonly category: string;
  readonly correlation_id: string;
  readonly caller_id?: string;
}

export interface IncidentOptions {
  readonly clusterName: string;
  readonly callerId?: string | undefined;
}

/**
 * Robusta's header: "🔴 HIGH 🔴 <title>", after "🔥 Prometheus Alert Firing" (or "✅ Resolved")
 * for alerts, which are what Robusta gives a silence link.
 */
export function incidentHeader(finding: Finding): string {
  const mark = SEVERITY_MARK[finding.severity];
  const status = finding.source === "PROMETHEUS" ? `${statusMark(finding)} ${finding.status === "resolved" ? "Resolved" : "Prometheus Alert Firing"} ` : "";
  return `${status}${mark} ${finding.severity} ${mark} ${finding.title}`;
}

/** What Robusta puts before the description, by where the finding came from. */
function descriptionLead(finding: Finding): string {
  if (finding.source === "PROMETHEUS") return "🚨 Alert";
  return finding.source === "KUBERNETES_API_SERVER" ? "👀 K8s event detected" : "👀 Notification";
}

/** The description's paragraphs in Robusta's order; files are named (they are attached). */
export function descriptionSections(finding: Finding, clusterName: string): string[] {
  return [
    finding.links.map((link) => PLAIN_TEXT.link(link.name, link.url)).join("\n"),
    `Source: ${clusterName}`,
    finding.description ? `${descriptionLead(finding)}: ${slackToPlain(finding.description)}` : "",
    ...finding.enrichments.map((enrichment) => enrichmentMarkdown(enrichment, { clusterName, dialect: PLAIN_TEXT })),
  ].filter((section) => section !== "");
}

/**
 * The incident for a finding, within ServiceNow's field sizes: a header too long is cut with "…"
 * (the description then starts with the whole title), and the description keeps whole
 * paragraphs in order while they fit, saying how many did not.
 */
export function renderIncident(finding: Finding, options: IncidentOptions): IncidentBody {
  const header = incidentHeader(finding);
  const shortDescription = cutToMeasure(header, SHORT_DESCRIPTION_LIMIT, utf16Length);
  const sections = descriptionSections(finding, options.clusterName);
  if (shortDescription !== header) sections.unshift(finding.title);
  return {
    short_description: shortDescription,
    description: fitMarkdown(sections, DESCRIPTION_LIMIT, { measure: utf16Length }),
    ...SEVERITY_LEVELS[finding.severity],
    category: "Network",
    correlation_id: correlationIdOf(finding.fingerprint),
    ...(options.callerId !== undefined && { caller_id: options.callerId }),
  };
}
