/**
 * A sink's `grouping` (Robusta §8.5): findings with the same `group_by` values and destination
 * form a group, which lasts `interval` seconds from its first finding.
 *
 * - summary mode: the group has one summary message with a table counting firing and resolved
 *   findings per value of `by`; each finding is counted, the summary posted or edited, and (when
 *   `threaded`) the finding sent as a reply under it. The first finding after `interval` starts a
 *   new group, hence a new summary message.
 * - regular mode, as Robusta's `NotificationGroup.register_notification`: each group keeps the
 *   times of its recent findings; a finding is sent when more than `ignore_first` findings of its
 *   group (itself included) arrived within the last `interval` seconds, and held back otherwise.
 *   With `ignore_first: 3`, the 1st to 3rd findings within the window are held back and the 4th
 *   and later are sent; once the group goes quiet for `interval`, it starts over.
 *
 * State is in memory (it resets on restart, as in Robusta) and bounded: groups past their time
 * are forgotten, and past `maxGroups` the oldest are.
 */
import type { Finding } from "@robusta-ts/sdk";
import type { GroupSummary, MessageRef } from "../sinks/sink.js";
import { findingAttributes, type FindingAttributes } from "./attributes.js";
import type { GroupingAttribute, GroupingParams } from "./params.js";

/** What to do with a finding of a grouped sink. */
export type GroupDecision =
  | { kind: "send" } // no grouping, or regular mode past ignore_first
  | { kind: "ignore"; reason: string } // regular mode: within ignore_first of its group
  | { kind: "summary"; group: SummaryGroup; threaded: boolean };

export interface SummaryGroup {
  readonly key: string;
  /** Set by the pipeline once the summary message is posted. */
  ref: MessageRef | undefined;
  /** The counts now, for posting or editing the summary message. */
  summary(): GroupSummary;
}

/** Live groups a sink keeps before forgetting the oldest. */
export const DEFAULT_MAX_GROUPS = 10_000;

/** Shown for a label or annotation the finding does not have (Robusta's "(undefined)"). */
const UNDEFINED = "(undefined)";

/** The columns (names) and values of `attributes` for one finding, as Robusta's `classify_finding`. */
function classify(attributes: readonly GroupingAttribute[], data: FindingAttributes): { names: string[]; values: string[] } {
  const names: string[] = [];
  const values: string[] = [];
  for (const attribute of attributes) {
    if (typeof attribute === "string") {
      names.push(attribute === "identifier" ? "notification" : attribute);
      values.push(data[attribute as Exclude<keyof FindingAttributes, "labels" | "annotations">] ?? UNDEFINED);
    } else if ("labels" in attribute) {
      for (const key of attribute.labels) {
        names.push(`label:${key}`);
        values.push(Object.hasOwn(data.labels, key) ? data.labels[key]! : UNDEFINED);
      }
    } else {
      for (const key of attribute.annotations) {
        names.push(`annotation:${key}`);
        values.push(Object.hasOwn(data.annotations, key) ? data.annotations[key]! : UNDEFINED);
      }
    }
  }
  return { names, values };
}

interface Row {
  readonly values: readonly string[];
  firing: number;
  resolved: number;
}

class Summary implements SummaryGroup {
  ref: MessageRef | undefined = undefined;
  private readonly rows = new Map<string, Row>();
  private firing = 0;
  private resolved = 0;

  constructor(
    readonly key: string,
    readonly startedAt: number,
    private readonly groupedBy: readonly (readonly [string, string])[],
    private readonly columns: readonly string[],
  ) {}

  count(values: readonly string[], resolved: boolean): void {
    const rowKey = JSON.stringify(values);
    let row = this.rows.get(rowKey);
    if (!row) {
      row = { values, firing: 0, resolved: 0 };
      this.rows.set(rowKey, row);
    }
    if (resolved) {
      row.resolved++;
      this.resolved++;
    } else {
      row.firing++;
      this.firing++;
    }
  }

  summary(): GroupSummary {
    return {
      groupedBy: this.groupedBy,
      columns: this.columns,
      rows: [...this.rows.values()].map(({ values, firing, resolved }) => ({ values, firing, resolved })),
      firing: this.firing,
      resolved: this.resolved,
      since: new Date(this.startedAt).toISOString(),
    };
  }
}

/** Counts a sink's findings into groups and says what to send; used by the sink's delivery pipeline. */
export class Grouper {
  private readonly intervalMs: number;
  /** Summary groups by key, oldest first (a group that starts over moves to the end). */
  private readonly summaries = new Map<string, Summary>();
  /** Regular groups by key: the times of their recent findings, least recently active first. */
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly params: GroupingParams,
    private readonly clusterName: string,
    private readonly now: () => number,
    private readonly maxGroups: number = DEFAULT_MAX_GROUPS,
  ) {
    this.intervalMs = params.interval * 1000;
  }

  /** Live groups (for tests and metrics). */
  get size(): number {
    return this.summaries.size + this.recent.size;
  }

  /** Counts `finding` into its group (key = group_by attribute values + destination) and says what to send. */
  admit(finding: Finding, destination: string): GroupDecision {
    const now = this.now();
    const data = findingAttributes(finding, this.clusterName);
    const groupBy = classify(this.params.group_by, data);
    const key = JSON.stringify([...groupBy.values, destination]);
    const { summary, regular } = this.params.notification_mode;
    if (summary) {
      this.expire(this.summaries, now, (group) => group.startedAt);
      let group = this.summaries.get(key);
      // As Robusta: the group is still current at exactly `interval` after it started.
      if (!group || now - group.startedAt > this.intervalMs) {
        this.summaries.delete(key);
        const pairs = groupBy.names.map((name, i) => [name, groupBy.values[i]!] as const);
        group = new Summary(key, now, pairs, classify(summary.by, data).names);
        this.summaries.set(key, group);
        this.bound(this.summaries);
      }
      group.count(classify(summary.by, data).values, finding.status === "resolved");
      return { kind: "summary", group, threaded: summary.threaded };
    }
    const ignoreFirst = regular?.ignore_first ?? 0;
    this.expire(this.recent, now, (times) => times[times.length - 1]!);
    const times = (this.recent.get(key) ?? []).filter((at) => now - at <= this.intervalMs);
    times.push(now);
    // Only whether there are more than ignore_first matters, so that many plus one is all to keep.
    if (times.length > ignoreFirst + 1) times.splice(0, times.length - ignoreFirst - 1);
    this.recent.delete(key);
    this.recent.set(key, times);
    this.bound(this.recent);
    if (times.length > ignoreFirst) return { kind: "send" };
    return {
      kind: "ignore",
      reason: `finding ${times.length} of its group within ${this.params.interval}s; grouping sends from the ${ignoreFirst + 1}${ordinal(ignoreFirst + 1)} on`,
    };
  }

  /** Forgets groups whose time is over, from the front (oldest) on. */
  private expire<T>(groups: Map<string, T>, now: number, lastActive: (group: T) => number): void {
    for (const [key, group] of groups) {
      if (now - lastActive(group) <= this.intervalMs) break;
      groups.delete(key);
    }
  }

  private bound(groups: Map<string, unknown>): void {
    while (groups.size > this.maxGroups) groups.delete(groups.keys().next().value!);
  }
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return "th";
  return ["th", "st", "nd", "rd"][n % 10] ?? "th";
}
