/**
 * A finding as Opsgenie Alert API requests (Robusta's `OpsGenieSink`): a create-alert body with
 * alias = fingerprint, the finding's links, description and enrichments as an HTML description,
 * Robusta's details, teams and tags (templates filled in), and Robusta's priority map; and the
 * close body sent when the finding resolves. Every field within the Alert API's limits. Pure.
 */
import type { Finding, Severity } from "@robusta-ts/sdk";
import { cutChars, subjectPath } from "../common/finding-words.js";
import { fitMarkdown } from "../common/render-markdown.js";
import { OPSGENIE_LIMITS, aliasOf } from "./alert-limits.js";
import { enrichmentHtml, htmlLink, slackToHtml } from "./render-html.js";
import { resolveTeams, resolveValues } from "./templates.js";

export type OpsgeniePriority = "P1" | "P2" | "P3" | "P4" | "P5";

/**
 * Robusta's map ("Robusta has only 4 severities, OpsGenie has 5"): P2 is unused; DEBUG and
 * MEDIUM are P3 (Robusta mapped MEDIUM to P3 while it had one; today it reads MEDIUM as HIGH).
 */
export const OPSGENIE_PRIORITY: Readonly<Record<Severity, OpsgeniePriority>> = { HIGH: "P1", MEDIUM: "P3", LOW: "P4", INFO: "P5", DEBUG: "P3" };

/** A create-alert request body (POST /v2/alerts). */
export interface CreateAlertBody {
  readonly message: string;
  readonly alias: string;
  readonly description: string;
  readonly responders: readonly { readonly name: string; readonly type: "team" }[];
  readonly tags: readonly string[];
  readonly details: Readonly<Record<string, string>>;
  readonly entity?: string;
  readonly source: string;
  readonly priority: OpsgeniePriority;
}

/** What Robusta says when it closes an alert (POST /v2/alerts/{alias}/close?identifierType=alias). */
export const CLOSE_ALERT_BODY = { user: "Robusta", note: "Robusta Finding Resolved", source: "Robusta Opsgenie Sink" } as const;

export interface AlertOptions {
  readonly clusterName: string;
  readonly teams: readonly string[];
  readonly defaultTeam?: string;
  readonly tags: readonly string[];
  readonly extraDetailsLabels: boolean;
}

const charCount = (text: string): number => Array.from(text).length;

/** The finding's own description takes at most a third of the alert's, so enrichments still fit. */
const FINDING_DESCRIPTION_CHARS = OPSGENIE_LIMITS.description / 3;

/**
 * The finding's links on one line, its description, then each enrichment (after the first, below
 * Robusta's "---"), whole sections kept while they fit 15000 characters.
 */
export function alertDescription(finding: Finding): string {
  const enrichments = finding.enrichments.map(enrichmentHtml).filter((html) => html !== "");
  const sections = [
    finding.links.map((link) => htmlLink(link.name, link.url)).join(" "),
    finding.description ? `<p>${slackToHtml(cutChars(finding.description, FINDING_DESCRIPTION_CHARS))}</p>` : "",
    ...enrichments.map((html, i) => (i === 0 ? html : `---\n${html}`)),
  ].filter((section) => section !== "");
  return fitMarkdown(sections, OPSGENIE_LIMITS.description, { separator: "\n" });
}

/**
 * Robusta's details (Resource, Cluster, Namespace, Node, Source), then with `extra_details_labels`
 * the subject's labels whose names are not already details. Labels that would pass the 8000
 * characters Opsgenie takes are left out, and counted.
 */
export function alertDetails(finding: Finding, clusterName: string, withLabels: boolean): Record<string, string> {
  const base: Record<string, string | undefined> = {
    Resource: finding.subject.name,
    Cluster: clusterName,
    Namespace: finding.subject.namespace,
    Node: finding.subject.node,
    Source: finding.source,
  };
  const details = Object.fromEntries(Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined));
  if (!withLabels) return details;
  const taken = new Set(Object.keys(base).map((key) => key.toLowerCase()));
  const budget = OPSGENIE_LIMITS.detailsChars - 60; // room for the note on what was left out
  let size = Object.entries(details).reduce((sum, [key, value]) => sum + charCount(key) + charCount(value), 0);
  let leftOut = 0;
  for (const [key, value] of Object.entries(finding.subject.labels)) {
    if (taken.has(key)) continue;
    const entrySize = charCount(key) + charCount(value);
    if (size + entrySize > budget) {
      leftOut++;
      continue;
    }
    details[key] = value;
    size += entrySize;
  }
  if (leftOut > 0) details["✂️ Left out"] = `${leftOut} label${leftOut === 1 ? "" : "s"} (details are limited to 8000 characters)`;
  return details;
}

/** The create-alert body for a firing `finding`. */
export function renderCreateAlert(finding: Finding, options: AlertOptions): CreateAlertBody {
  const teams = resolveTeams(options.teams, finding, options.clusterName, options.defaultTeam).slice(0, OPSGENIE_LIMITS.responders);
  const tags = resolveValues(options.tags, finding, options.clusterName, "", options.clusterName)
    .slice(0, OPSGENIE_LIMITS.tags)
    .map((tag) => cutChars(tag, OPSGENIE_LIMITS.tagChars));
  // Robusta's entity is the workload's service key; without Robusta's service discovery, the subject stands for it.
  const entity = cutChars(subjectPath(finding), OPSGENIE_LIMITS.entity);
  return {
    message: cutChars(finding.title, OPSGENIE_LIMITS.message),
    alias: aliasOf(finding.fingerprint),
    description: alertDescription(finding),
    responders: teams.map((name) => ({ name, type: "team" })),
    tags,
    details: alertDetails(finding, options.clusterName, options.extraDetailsLabels),
    ...(entity !== "" && { entity }),
    source: "Robusta",
    priority: OPSGENIE_PRIORITY[finding.severity],
  };
}
