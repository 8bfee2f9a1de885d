/**
 * The webhook sink's `format: json` bodies (Robusta's `WebhookSink.__write_json`, §7.5). Pure.
 *
 * Robusta adds the finding's keys in order, counting each `{key: value}` on its own, stops at
 * the first key that does not fit, and keeps enrichments (last) only if all of them fit; nothing
 * says something was left out. Here the size counted is the body's own (compact JSON, UTF-8
 * bytes); a key that does not fit is left out and the later ones are still tried; enrichments are
 * kept one by one, in order, until the next one does not fit; and `"truncated": true` is added
 * (last) whenever anything was left out.
 */
import type { Finding } from "@robusta-ts/sdk";
import { cutToFit } from "../common/render-markdown.js";
import { findingToJson } from "../finding-json.js";
import { jsonBytes } from "./byte-budget.js";
import { robustaTitle } from "./render-text.js";

/** The finding as JSON within `sizeLimit` bytes (from 18 bytes up, so that `{"truncated":true}` fits). */
export function renderWebhookJson(finding: Finding, clusterName: string, sizeLimit: number): Record<string, unknown> {
  const full = findingToJson(finding, clusterName);
  if (jsonBytes(full) <= sizeLimit) return full;

  // Something is left out, so every candidate keeps room for the marker.
  const fits = (candidate: Record<string, unknown>): boolean => jsonBytes({ ...candidate, truncated: true }) <= sizeLimit;
  const message: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(full)) {
    if (key !== "enrichments" && fits({ ...message, [key]: value })) message[key] = value;
  }
  const kept: unknown[] = [];
  for (const enrichment of full.enrichments as unknown[]) {
    if (!fits({ ...message, enrichments: [...kept, enrichment] })) break;
    kept.push(enrichment);
  }
  if (fits({ ...message, enrichments: kept })) message.enrichments = kept;
  if (fits(message)) message.truncated = true;
  return message;
}

const python = (value: unknown): string => (value === true ? "True" : value === false ? "False" : value === undefined || value === null ? "None" : String(value));

/**
 * The `slack_webhook: true` body: `{"text": ...}` with Robusta's lines (title, description,
 * failure, aggregation key, labels; values printed as Python prints them, `None` for none), cut
 * with "…" so the body stays within `sizeLimit` bytes.
 */
export function renderSlackWebhookJson(finding: Finding, sizeLimit: number): { text: string } {
  const labels = Object.entries(finding.subject.labels);
  const text =
    `*Title:* ${robustaTitle(finding)}\n` +
    `*Description:* ${python(finding.description)}\n` +
    `*Failure:* ${python(finding.failure)}\n` +
    `*Aggregation Key:* ${finding.aggregationKey}\n` +
    `*labels*: ${labels.length > 0 ? labels.map(([key, value]) => `${key}: ${value}`).join(", ") : "None"}\n`;
  if (jsonBytes({ text }) <= sizeLimit) return { text };
  return { text: cutToFit(text, (candidate) => jsonBytes({ text: candidate }) <= sizeLimit) };
}
