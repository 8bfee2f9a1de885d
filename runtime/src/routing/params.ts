/**
 * The routing parameters every sink takes (Robusta's sink base params, §7.1 and §8): scope,
 * legacy match, activity, mute_intervals, stop, grouping, and dedup_interval. Everything that can
 * be wrong (a regex, an attribute name, a time, a time zone) fails here, at load time, with the
 * path of the bad value. The parsed values stay plain data (regexes as strings, compiled when
 * matched), so two configurations compare by their JSON.
 */
import { z } from "zod";
import { regexProblem } from "./regex.js";
import { parseLabelSelector, parseLegacyLabels } from "./selectors.js";
import { isTimeZone, parseDateTime, zonedToEpoch } from "./zoned-time.js";

/** What scope rules may name (Robusta's attribute_map plus namespace_labels). */
export const SCOPE_ATTRIBUTES = ["identifier", "title", "name", "namespace", "node", "severity", "type", "kind", "source", "labels", "annotations", "namespace_labels"] as const;
/** What the legacy `match` may name (Robusta's attribute_map). */
export const MATCH_ATTRIBUTES = ["title", "identifier", "severity", "source", "type", "kind", "namespace", "node", "name", "labels", "annotations"] as const;
/** What grouping may group and count by, besides {labels: [...]} and {annotations: [...]}. */
export const GROUPING_ATTRIBUTES = ["cluster", "namespace", "identifier", "workload", "severity", "name", "kind", "title", "type", "source", "node"] as const;

/** Scope attributes whose values are selectors ("k=regex,k2!=regex") rather than regexes. */
export const SELECTOR_ATTRIBUTES: ReadonlySet<string> = new Set(["labels", "annotations", "namespace_labels"]);

const listing = (names: readonly string[]) => names.join(", ");

// ---------------------------------------------------------------- scope

const scopeRule = z
  .record(z.string(), z.union([z.string(), z.array(z.string()).min(1, "must not be empty")], { error: "takes a regex (a selector for labels) or a list of them" }))
  .superRefine((rule, ctx) => {
    const keys = Object.keys(rule);
    if (keys.length === 0) ctx.addIssue({ code: "custom", message: `a rule needs at least one of ${listing(SCOPE_ATTRIBUTES)}` });
    for (const key of keys) {
      if (!(SCOPE_ATTRIBUTES as readonly string[]).includes(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `unknown attribute "${key}"; scope rules take ${listing(SCOPE_ATTRIBUTES)}` });
        continue;
      }
      const value = rule[key]!;
      const sources = Array.isArray(value) ? value : [value];
      sources.forEach((source, i) => {
        const path = Array.isArray(value) ? [key, i] : [key];
        if (SELECTOR_ATTRIBUTES.has(key)) {
          try {
            parseLabelSelector(source);
          } catch (error) {
            ctx.addIssue({ code: "custom", path, message: (error as Error).message });
          }
        } else {
          const problem = regexProblem(source, "full");
          if (problem) ctx.addIssue({ code: "custom", path, message: problem });
        }
      });
    }
  })
  .transform((rule): ScopeRule => Object.fromEntries(Object.entries(rule).map(([key, value]) => [key, Array.isArray(value) ? value : [value]])))
  .describe(
    'Conditions that must all hold (AND). Each value is a regex the whole attribute must match, or a list of them (any may match); labels, annotations and namespace_labels take selectors like "app=web.*,tier!=db".',
  )
  .meta({ title: "scope rule" });

/** One include or exclude rule: attribute name to regexes (or selectors), any of which may match. */
export type ScopeRule = Readonly<Record<string, readonly string[]>>;

const scopeSchema = z
  .object({
    include: z.array(scopeRule).min(1, "must not be empty").optional().describe("The sink takes only findings that match one of these rules."),
    exclude: z.array(scopeRule).min(1, "must not be empty").optional().describe("The sink never takes findings that match one of these rules (checked first)."),
  })
  .strict()
  .superRefine((scope, ctx) => {
    if (scope.include === undefined && scope.exclude === undefined) ctx.addIssue({ code: "custom", message: "scope needs include, exclude or both" });
  })
  .meta({ title: "scope" });

// ---------------------------------------------------------------- legacy match

const matchSchema = z
  .record(
    z.string(),
    z.union([z.string(), z.array(z.union([z.string(), z.record(z.string(), z.string())])).min(1, "must not be empty"), z.record(z.string(), z.string())], {
      error: 'takes a regex or a list of them ("key=value,..." strings or maps for labels and annotations)',
    }),
  )
  .superRefine((match, ctx) => {
    for (const [key, value] of Object.entries(match)) {
      if (!(MATCH_ATTRIBUTES as readonly string[]).includes(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `unknown attribute "${key}"; match takes ${listing(MATCH_ATTRIBUTES)}` });
        continue;
      }
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, i) => {
        const path = Array.isArray(value) ? [key, i] : [key];
        if (key === "labels" || key === "annotations") {
          if (typeof item !== "string") return;
          try {
            parseLegacyLabels(item);
          } catch (error) {
            ctx.addIssue({ code: "custom", path, message: (error as Error).message });
          }
        } else if (typeof item !== "string") {
          ctx.addIssue({ code: "custom", path, message: `${key} takes a regex or a list of regexes` });
        } else {
          const problem = regexProblem(item, "prefix");
          if (problem) ctx.addIssue({ code: "custom", path, message: problem });
        }
      });
    }
  })
  .transform(
    (match): MatchParams =>
      Object.fromEntries(
        Object.entries(match).map(([key, value]) => {
          const items = Array.isArray(value) ? value : [value];
          return [key, items.map((item) => (typeof item === "string" && (key === "labels" || key === "annotations") ? parseLegacyLabels(item) : item))];
        }),
      ),
  )
  .describe(
    'Legacy routing (use scope instead): every attribute given must match. Values are regexes matched at the start of the value (or lists of them); labels and annotations take "a=b,c=d" or a map, which must be a subset of the labels.',
  )
  .meta({ title: "match" });

/** The legacy match, parsed: attribute to alternatives (regex strings; for labels and annotations, maps). */
export type MatchParams = Readonly<Record<string, readonly (string | Readonly<Record<string, string>>)[]>>;

// ---------------------------------------------------------------- activity and mute intervals

const DAYS = ["mon", "tue", "wed", "thr", "fri", "sat", "sun"] as const;
/** A day of the week, in Robusta's spelling (Thursday is "thr"). */
export type Day = (typeof DAYS)[number];

const day = z
  .string()
  .transform((value, ctx): Day => {
    const lower = value.trim().toLowerCase();
    const normal = lower === "thu" ? "thr" : lower;
    if ((DAYS as readonly string[]).includes(normal)) return normal as Day;
    ctx.addIssue({ code: "custom", message: `"${value}" is not a day; write one of ${listing(DAYS)} (or thu)` });
    return z.NEVER;
  })
  .describe("mon, tue, wed, thr (or thu), fri, sat or sun; any case.");

const timeZone = z
  .string()
  .default("UTC")
  .superRefine((zone, ctx) => {
    if (!isTimeZone(zone)) ctx.addIssue({ code: "custom", message: `unknown time zone "${zone}"; use an IANA name such as "Europe/Berlin" or "UTC"` });
  });

/** "HH:MM" to minutes since midnight; "24:00" only where `allowEndOfDay`. */
function minutesOf(value: string, allowEndOfDay: boolean): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (allowEndOfDay && hours === 24 && minutes === 0) return 24 * 60;
  return hours <= 23 && minutes <= 59 ? hours * 60 + minutes : undefined;
}

const hoursRange = z
  .object({
    start: z.string().describe('"HH:MM", 24-hour, in the activity\'s time zone: the window opens then.'),
    end: z.string().describe('"HH:MM": the window closes then (the minute itself is outside). "24:00" is the end of the day.'),
  })
  .strict()
  .superRefine((range, ctx) => {
    const start = minutesOf(range.start, false);
    const end = minutesOf(range.end, true);
    if (start === undefined) ctx.addIssue({ code: "custom", path: ["start"], message: `invalid time "${range.start}": write "HH:MM", from 00:00 to 23:59` });
    if (end === undefined) ctx.addIssue({ code: "custom", path: ["end"], message: `invalid time "${range.end}": write "HH:MM", from 00:01 to 24:00` });
    if (start !== undefined && end !== undefined && start >= end) {
      ctx.addIssue({
        code: "custom",
        path: ["end"],
        message: `${range.start}-${range.end} does not go forward; a window cannot span midnight: split it into ${range.start}-24:00 and 00:00-${range.end} on the next day`,
      });
    }
  })
  .meta({ title: "hours" });

const activityInterval = z
  .object({
    days: z.array(day).min(1, "must not be empty").describe("The days this window applies to."),
    hours: z.array(hoursRange).default([]).describe("Times of day the sink is active on those days; none means the whole day."),
  })
  .strict()
  .meta({ title: "activity interval" });

const activitySchema = z
  .object({
    timezone: timeZone.describe('IANA time zone the days and hours are in, such as "Europe/Berlin".'),
    intervals: z.array(activityInterval).min(1, "at least one interval is needed").describe("When the sink is active; at any other time it takes nothing."),
  })
  .strict()
  .meta({ title: "activity" });

const muteInterval = z
  .object({
    start_date: z.string().describe('"YYYY-MM-DD HH:MM" in the interval\'s time zone: muting starts then.'),
    end_date: z.string().describe('"YYYY-MM-DD HH:MM": muting ends then.'),
    timezone: timeZone.describe("IANA time zone of the two dates."),
  })
  .strict()
  .superRefine((interval, ctx) => {
    const start = parseDateTime(interval.start_date);
    const end = parseDateTime(interval.end_date);
    if (!start) ctx.addIssue({ code: "custom", path: ["start_date"], message: `invalid date "${interval.start_date}": write "YYYY-MM-DD HH:MM"` });
    if (!end) ctx.addIssue({ code: "custom", path: ["end_date"], message: `invalid date "${interval.end_date}": write "YYYY-MM-DD HH:MM"` });
    if (start && end && isTimeZone(interval.timezone) && zonedToEpoch(...start, interval.timezone) >= zonedToEpoch(...end, interval.timezone)) {
      ctx.addIssue({ code: "custom", path: ["end_date"], message: `end_date ${interval.end_date} is not after start_date ${interval.start_date}` });
    }
  })
  .meta({ title: "mute interval" });

// ---------------------------------------------------------------- grouping

/** A grouping attribute: a name, or label or annotation keys. */
export type GroupingAttribute = string | { readonly labels: readonly string[] } | { readonly annotations: readonly string[] };

const groupingAttribute = z
  .union([z.string(), z.record(z.string(), z.array(z.string().min(1)).min(1, "must not be empty"))], {
    error: "write an attribute name, {labels: [key, ...]} or {annotations: [key, ...]}",
  })
  .superRefine((attribute, ctx) => {
    if (typeof attribute === "string") {
      if (!(GROUPING_ATTRIBUTES as readonly string[]).includes(attribute)) {
        ctx.addIssue({ code: "custom", message: `unknown attribute "${attribute}"; use one of ${listing(GROUPING_ATTRIBUTES)}, {labels: [...]} or {annotations: [...]}` });
      }
      return;
    }
    const keys = Object.keys(attribute);
    if (keys.length !== 1 || (keys[0] !== "labels" && keys[0] !== "annotations")) {
      ctx.addIssue({ code: "custom", message: `write {labels: [key, ...]} or {annotations: [key, ...]}; got {${keys.join(", ")}}` });
    }
  })
  .transform((attribute) => attribute as GroupingAttribute)
  .describe(`One of ${listing(GROUPING_ATTRIBUTES)}, or {labels: [key, ...]} or {annotations: [key, ...]}.`)
  .meta({ title: "grouping attribute" });

const summaryMode = z
  .object({
    threaded: z.boolean().default(true).describe("Send each finding as a reply under the summary; false sends only the summary."),
    by: z.array(groupingAttribute).min(1, "must not be empty").default(["identifier"]).describe("The summary's count table has a row per distinct value of these."),
  })
  .strict()
  .describe("One summary message per group, with a count table of firing and resolved findings, edited as findings arrive.");

const regularMode = z
  .object({
    ignore_first: z.number().int().nonnegative().default(0).describe("Hold back findings until more than this many of the group arrived within `interval` seconds."),
  })
  .strict()
  .describe("Findings are sent as usual, each on its own, once the group has had more than ignore_first findings within interval.");

const notificationMode = z
  .object({ summary: summaryMode.optional(), regular: regularMode.optional() })
  .strict()
  .superRefine((mode, ctx) => {
    if (mode.summary && mode.regular) ctx.addIssue({ code: "custom", message: "give summary or regular, not both" });
    if (!mode.summary && !mode.regular) ctx.addIssue({ code: "custom", message: "give summary or regular" });
  })
  .prefault({ summary: {} })
  .describe("summary (the default) or regular.")
  .meta({ title: "notification mode" });

const groupingSchema = z
  .object({
    group_by: z.array(groupingAttribute).min(1, "must not be empty").default(["cluster"]).describe("Findings with the same values of these (and the same destination) form a group."),
    interval: z.number().int().positive().default(900).describe("Seconds a group lasts from its first finding; the next finding after that starts a new group."),
    notification_mode: notificationMode,
  })
  .strict()
  .meta({ title: "grouping" });

// ---------------------------------------------------------------- all together

export const routingParamsShape = {
  scope: scopeSchema.optional().describe("Which findings this sink takes: include and exclude rules on the finding's attributes (see routing.md)."),
  match: matchSchema.optional().describe("Legacy routing, kept for Robusta configurations: every attribute given must match."),
  activity: activitySchema.optional().describe("Days and hours the sink is active, in a time zone; outside them it takes nothing. Absent: always active."),
  mute_intervals: z.array(muteInterval).optional().describe("Date ranges in which the sink takes nothing."),
  stop: z.boolean().default(false).describe("Once this sink accepts a finding, no later sink gets any finding of the event."),
  grouping: groupingSchema
    .optional()
    .describe(
      "Groups findings: a summary message per group with the findings threaded under it (sinks that can thread), or, in regular mode, nothing until a group has had more than ignore_first findings.",
    ),
  dedup_interval: z.number().int().nonnegative().default(0).describe("Seconds in which a finding identical to one this sink took is skipped; 0 turns this off."),
};

export const routingParamsSchema = z.object(routingParamsShape);

export type RoutingParams = z.output<typeof routingParamsSchema>;
export type ScopeParams = z.output<typeof scopeSchema>;
export type ActivityParams = z.output<typeof activitySchema>;
export type ActivityInterval = z.output<typeof activityInterval>;
export type MuteInterval = z.output<typeof muteInterval>;
export type GroupingParams = z.output<typeof groupingSchema>;
export type NotificationMode = z.output<typeof notificationMode>;

/** The named parameter types, by the title the reference shows them under (docs/reference/sinks.md). */
export const ROUTING_TYPES = {
  scope: scopeSchema,
  "scope rule": scopeRule,
  activity: activitySchema,
  "activity interval": activityInterval,
  hours: hoursRange,
  "mute interval": muteInterval,
  grouping: groupingSchema,
  "notification mode": notificationMode,
  summary: summaryMode,
  regular: regularMode,
} as const;
