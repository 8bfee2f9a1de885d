/** The Jira issue fields of a finding besides its description: summary, labels, priority. Pure. */
import type { Finding, Severity } from "@robusta-ts/sdk";
import { robustaTitle } from "../common/finding-words.js";
import { cutToMeasure } from "../common/render-markdown.js";
import { SLACK_LINK } from "../common/slack-markdown.js";
import type { DedupAttribute } from "./params.js";

/** Jira's limits on a summary and on a label, in characters (Java's: UTF-16 code units). */
export const SUMMARY_MAX = 255;
export const LABEL_MAX = 255;

const utf16 = (value: string): number => value.length;

/**
 * The summary: the title as Robusta shows it ("[RESOLVED] " for resolved findings), on one line
 * (Jira refuses line breaks there), Slack links as their text, cut to 255 characters with "…".
 */
export function issueSummary(finding: Finding): string {
  const line = robustaTitle(finding)
    .replace(SLACK_LINK, (_, url: string, label: string | undefined) => label || url)
    .replace(/\s+/g, " ")
    .trim();
  return cutToMeasure(line || finding.aggregationKey, SUMMARY_MAX, utf16);
}

/** A value as a Jira label: Jira refuses spaces in labels, so runs of white space become "_"; at most 255 characters. */
export function jiraLabel(value: string): string {
  const label = value.trim().replace(/\s+/g, "_");
  return cutToMeasure(label === "" ? "None" : label, LABEL_MAX, utf16);
}

/** An attribute's value, as Robusta reads it off the finding (a missing subject field is "None", as in its attribute_map). */
function attributeValue(finding: Finding, attribute: DedupAttribute, clusterName: string): string {
  const { subject } = finding;
  switch (attribute) {
    case "fingerprint":
      return finding.fingerprint;
    case "cluster_name":
      return clusterName;
    case "title":
      // The title without "[RESOLVED]", so a resolved alert finds the issue its firing opened.
      return finding.title;
    case "aggregation_key":
    case "identifier":
      return finding.aggregationKey;
    case "severity":
      return finding.severity;
    case "source":
      return finding.source;
    case "finding_type":
    case "type":
      return finding.findingType;
    case "kind":
      return subject.subjectType || "None";
    case "namespace":
      return subject.namespace ?? "None";
    case "node":
      return subject.node ?? "None";
    case "name":
      return subject.name ?? "None";
    case "failure":
      return String(finding.failure);
    case "id":
      return finding.id;
    case "creation_date":
    case "starts_at":
      return finding.startsAt;
  }
}

/** The issue's labels: one per `dedups` attribute, in order, duplicates dropped. */
export function issueLabels(finding: Finding, dedups: readonly DedupAttribute[], clusterName: string): string[] {
  return [...new Set(dedups.map((attribute) => jiraLabel(attributeValue(finding, attribute, clusterName))))];
}

/** Robusta's default priorities (SEVERITY_JIRA_ID); Jira Cloud's own default scheme names them differently. */
export const DEFAULT_PRIORITIES: Readonly<Partial<Record<Severity, string>>> = { HIGH: "Critical", MEDIUM: "Major", LOW: "Minor", INFO: "Minor" };

/** The priority name for the finding's severity: from `priority_mapping` when given (else Robusta's defaults), "Major" when the severity is not in it. */
export function issuePriority(severity: Severity, mapping: Readonly<Partial<Record<Severity, string>>> | undefined): string {
  return (mapping ?? DEFAULT_PRIORITIES)[severity] ?? "Major";
}
