/**
 * What Robusta does to alerts as they arrive (§3.1), before any playbook sees them: relabelling,
 * and dropping replays of an alert state already handled.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { PrometheusAlertEvent } from "./model.js";

/** One relabel rule (Robusta's `alertRelabel`). */
export const alertRelabelSchema = z
  .object({
    source: z.string().min(1).describe("The label to read."),
    target: z.string().min(1).describe("The label to write."),
    operation: z
      .enum(["add", "replace"])
      .default("add")
      .describe('"add" copies source to target; "replace" renames source to target.'),
  })
  .strict();

export type AlertRelabel = z.output<typeof alertRelabelSchema>;

/** The alert with its labels relabelled; the same object when no rule applies. */
export function relabelAlert(event: PrometheusAlertEvent, rules: readonly AlertRelabel[]): PrometheusAlertEvent {
  const applicable = rules.filter((rule) => event.labels[rule.source] !== undefined);
  if (applicable.length === 0) return event;
  const labels: Record<string, string> = { ...event.labels };
  for (const rule of applicable) {
    const value = labels[rule.source];
    if (value === undefined) continue;
    labels[rule.target] = value;
    if (rule.operation === "replace" && rule.target !== rule.source) delete labels[rule.source];
  }
  return { ...event, labels, alert: { ...event.alert, labels } };
}

/**
 * Remembers the alert states it has let through for `ttlMs` (Robusta: 2 h, 100,000 entries), keyed
 * on fingerprint, status, startsAt and endsAt: Alertmanager's repeats of an unchanged alert are
 * dropped, while firing and resolved stay distinct.
 */
export class AlertDeduplicator {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 2 * 3600 * 1000,
    private readonly maxEntries = 100_000,
  ) {}

  /** True the first time an alert state is offered within the TTL (and remembers it). */
  firstTime(event: PrometheusAlertEvent, now: Date): boolean {
    const key = createHash("sha1").update(`${event.fingerprint}\0${event.status}\0${event.startsAt}\0${event.endsAt ?? ""}`).digest("base64");
    const at = now.getTime();
    const last = this.seen.get(key);
    if (last !== undefined && at - last < this.ttlMs) return false;
    this.seen.delete(key);
    this.seen.set(key, at);
    if (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
