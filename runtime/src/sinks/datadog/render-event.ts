/**
 * A finding as a Datadog event (Robusta's `DataDogSink`, Events API v1): the title, Robusta's
 * host (namespace/kind/name), a `cluster:` tag, the alert type from the severity, the aggregation
 * key, and the finding as Datadog markdown inside %%% fences, within Datadog's sizes. Pure.
 */
import type { Finding } from "@robusta-ts/sdk";
import { robustaTitle, subjectPath } from "../common/finding-words.js";
import { COMMONMARK, cutToMeasure, fitMarkdown, markdownSections, type MarkdownDialect } from "../common/render-markdown.js";

/** Sizes the Events API documents, in characters. */
export const TITLE_LIMIT = 100;
export const TEXT_LIMIT = 4000;
export const AGGREGATION_KEY_LIMIT = 100;
export const TAG_LIMIT = 200;
/** How much of a text file's end the event shows (Datadog takes no attachments). */
export const FILE_TAIL_BYTES = 1000;

// Datadog reads the text as markdown between these fences.
const OPEN = "%%% \n";
const CLOSE = "\n %%%";

/** Characters counted as UTF-16 units, which is never fewer than Datadog counts. */
const utf16Length = (text: string): number => text.length;

/** Standard markdown; tables as aligned text, which every Datadog view shows. */
export const DATADOG_MARKDOWN: MarkdownDialect = { ...COMMONMARK, tables: false };

export type AlertType = "error" | "warning" | "info" | "success";

/** The body of `POST /api/v1/events`. */
export interface DatadogEvent {
  readonly title: string;
  readonly text: string;
  readonly alert_type: AlertType;
  readonly aggregation_key: string;
  /** POSIX seconds. */
  readonly date_happened: number;
  readonly source_type_name: string;
  readonly host?: string;
  readonly tags: readonly string[];
}

export interface EventOptions {
  readonly clusterName: string;
  /** When the event happened, in milliseconds. */
  readonly now: number;
}

/** Robusta's alert types (HIGH error, MEDIUM warning, else info); a resolved finding is a success. */
export function alertType(finding: Pick<Finding, "severity" | "status">): AlertType {
  if (finding.status === "resolved") return "success";
  if (finding.severity === "HIGH") return "error";
  return finding.severity === "MEDIUM" ? "warning" : "info";
}

const firstChars = (text: string, max: number): string => Array.from(text).slice(0, max).join("");

/** `cluster:<name>` (Robusta's tag), then what findings are routed by: namespace, kind, severity and status. */
export function eventTags(finding: Finding, clusterName: string): string[] {
  const { namespace, subjectType } = finding.subject;
  return [
    `cluster:${clusterName}`,
    ...(namespace ? [`namespace:${namespace}`] : []),
    ...(subjectType ? [`kind:${subjectType}`] : []),
    `severity:${finding.severity.toLowerCase()}`,
    `status:${finding.status}`,
  ].map((tag) => firstChars(tag, TAG_LIMIT));
}

/**
 * The event's markdown: the status line, source, description, links and enrichments (the title
 * is the event's own), whole sections in order while they fit, with a note saying how many did not.
 */
export function eventText(finding: Finding, clusterName: string): string {
  const sections = markdownSections(finding, { clusterName, dialect: DATADOG_MARKDOWN, files: { mode: "tail", bytes: FILE_TAIL_BYTES } })
    .filter((section) => section.kind !== "title")
    .map((section) => section.text);
  return `${OPEN}${fitMarkdown(sections, TEXT_LIMIT - OPEN.length - CLOSE.length, { measure: utf16Length })}${CLOSE}`;
}

/** The event for a finding. */
export function renderEvent(finding: Finding, options: EventOptions): DatadogEvent {
  const host = subjectPath(finding);
  return {
    title: cutToMeasure(robustaTitle(finding), TITLE_LIMIT, utf16Length),
    text: eventText(finding, options.clusterName),
    alert_type: alertType(finding),
    aggregation_key: firstChars(finding.aggregationKey, AGGREGATION_KEY_LIMIT),
    date_happened: Math.floor(options.now / 1000),
    source_type_name: "Robusta",
    ...(host !== "" && { host }),
    tags: eventTags(finding, options.clusterName),
  };
}
