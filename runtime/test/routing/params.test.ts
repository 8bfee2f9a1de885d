import { describe, expect, it } from "vitest";
import { z } from "zod";
import { routingParamsSchema } from "../../src/routing/params.js";
import { routing } from "./helpers.js";

/** The issues of parsing `raw`, as "path: message". */
function problems(raw: Record<string, unknown>): string[] {
  const result = routingParamsSchema.safeParse(raw);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("routing params: defaults and normal forms", () => {
  it("defaults to no routing rules, stop false and dedup off", () => {
    expect(routing()).toEqual({ stop: false, dedup_interval: 0 });
  });

  it("turns single scope values into lists, as Robusta normalizes them", () => {
    const params = routing({ scope: { include: [{ namespace: "prod", name: ["a", "b"] }], exclude: [{ labels: "app=x" }] } });
    expect(params.scope).toEqual({ include: [{ namespace: ["prod"], name: ["a", "b"] }], exclude: [{ labels: ["app=x"] }] });
  });

  it("parses the legacy match's label strings into maps", () => {
    const params = routing({ match: { labels: "a=b, c = d", annotations: { team: "sre" }, severity: "HIGH" } });
    expect(params.match).toEqual({ labels: [{ a: "b", c: "d" }], annotations: [{ team: "sre" }], severity: ["HIGH"] });
  });

  it("fills in grouping's defaults: by cluster, 900 s, summary mode threaded by identifier", () => {
    expect(routing({ grouping: {} }).grouping).toEqual({
      group_by: ["cluster"],
      interval: 900,
      notification_mode: { summary: { threaded: true, by: ["identifier"] } },
    });
    expect(routing({ grouping: { notification_mode: { regular: {} } } }).grouping?.notification_mode).toEqual({ regular: { ignore_first: 0 } });
  });

  it("reads days in any case and accepts thu for Robusta's thr", () => {
    const params = routing({ activity: { intervals: [{ days: ["MON", "Thu", "thr", "sUn"] }] } });
    expect(params.activity).toEqual({ timezone: "UTC", intervals: [{ days: ["mon", "thr", "thr", "sun"], hours: [] }] });
  });

  it("keeps parsed params plain data, so configurations compare by their JSON", () => {
    const a = routing({ scope: { include: [{ namespace: "prod" }] } });
    const b = routing({ scope: { include: [{ namespace: "staging" }] } });
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});

describe("routing params: errors name the problem and its path", () => {
  it("rejects an invalid regex in scope", () => {
    expect(problems({ scope: { include: [{ namespace: "prod(" }] } })).toEqual([
      expect.stringMatching(/^scope\.include\.0\.namespace: invalid regular expression "prod\(": /),
    ]);
    expect(problems({ scope: { exclude: [{ name: ["ok", "[bad"] }] } })).toEqual([expect.stringMatching(/^scope\.exclude\.0\.name\.1: invalid regular expression "\[bad"/)]);
  });

  it("rejects an unknown scope attribute, listing the known ones", () => {
    expect(problems({ scope: { include: [{ namespac: "prod" }] } })).toEqual([expect.stringMatching(/^scope\.include\.0\.namespac: unknown attribute "namespac"; scope rules take identifier, title, .*namespace_labels$/)]);
    // Grouping-only attributes are not scope attributes (Robusta's attribute_map has neither).
    expect(problems({ scope: { include: [{ cluster: "prod" }] } })).toEqual([expect.stringContaining('scope.include.0.cluster: unknown attribute "cluster"')]);
  });

  it("rejects malformed label selectors and regexes inside them", () => {
    expect(problems({ scope: { include: [{ labels: "app" }] } })).toEqual(['scope.include.0.labels: "app" in "app" is not a condition: write key=regex or key!=regex']);
    expect(problems({ scope: { include: [{ namespace_labels: ["team=a", "tier=(db"] }] } })).toEqual([expect.stringMatching(/^scope\.include\.0\.namespace_labels\.1: invalid regular expression "\(db"/)]);
  });

  it("rejects empty and incomplete scopes", () => {
    expect(problems({ scope: {} })).toEqual(["scope: scope needs include, exclude or both"]);
    expect(problems({ scope: { include: [] } })).toEqual(["scope.include: must not be empty"]);
    expect(problems({ scope: { include: [{}] } })).toEqual([expect.stringMatching(/^scope\.include\.0: a rule needs at least one of/)]);
    expect(problems({ scope: { include: [{ name: [] }] } })).toEqual(["scope.include.0.name: must not be empty"]);
    expect(problems({ scope: { include: [{ namespace: 5 }] } })).toEqual(["scope.include.0.namespace: takes a regex (a selector for labels) or a list of them"]);
    expect(problems({ scope: { includes: [{ name: "a" }] } })).toEqual(['scope: Unrecognized key: "includes"', "scope: scope needs include, exclude or both"]);
  });

  it("rejects legacy match mistakes", () => {
    expect(problems({ match: { namespcae: "prod" } })).toEqual([expect.stringMatching(/^match\.namespcae: unknown attribute "namespcae"; match takes/)]);
    expect(problems({ match: { name: "web(" } })).toEqual([expect.stringMatching(/^match\.name: invalid regular expression "web\("/)]);
    expect(problems({ match: { labels: "app!=web" } })).toEqual([expect.stringMatching(/^match\.labels: "app!=web" in "app!=web" is not key=value/)]);
    expect(problems({ match: { severity: { a: "b" } } })).toEqual(["match.severity: severity takes a regex or a list of regexes"]);
  });

  it("rejects unknown time zones, days and times", () => {
    expect(problems({ activity: { timezone: "Mars/Olympus", intervals: [{ days: ["mon"] }] } })).toEqual([
      'activity.timezone: unknown time zone "Mars/Olympus"; use an IANA name such as "Europe/Berlin" or "UTC"',
    ]);
    expect(problems({ activity: { intervals: [{ days: ["mon", "funday"] }] } })).toEqual(['activity.intervals.0.days.1: "funday" is not a day; write one of mon, tue, wed, thr, fri, sat, sun (or thu)']);
    expect(problems({ activity: { intervals: [{ days: ["mon"], hours: [{ start: "25:00", end: "26:00" }] }] } })).toEqual([
      'activity.intervals.0.hours.0.start: invalid time "25:00": write "HH:MM", from 00:00 to 23:59',
      'activity.intervals.0.hours.0.end: invalid time "26:00": write "HH:MM", from 00:01 to 24:00',
    ]);
    expect(problems({ activity: { intervals: [] } })).toEqual(["activity.intervals: at least one interval is needed"]);
  });

  it("refuses a window over midnight, saying how to write it", () => {
    expect(problems({ activity: { intervals: [{ days: ["fri"], hours: [{ start: "22:00", end: "06:00" }] }] } })).toEqual([
      "activity.intervals.0.hours.0.end: 22:00-06:00 does not go forward; a window cannot span midnight: split it into 22:00-24:00 and 00:00-06:00 on the next day",
    ]);
    expect(problems({ activity: { intervals: [{ days: ["fri"], hours: [{ start: "22:00", end: "24:00" }] }] } })).toEqual([]);
  });

  it("rejects impossible mute dates and intervals that end before they start", () => {
    expect(problems({ mute_intervals: [{ start_date: "2024-02-30 10:00", end_date: "2024-03-01 10:00" }] })).toEqual([
      'mute_intervals.0.start_date: invalid date "2024-02-30 10:00": write "YYYY-MM-DD HH:MM"',
    ]);
    expect(problems({ mute_intervals: [{ start_date: "2024-03-02 10:00", end_date: "2024-03-01 10:00", timezone: "Europe/Berlin" }] })).toEqual([
      "mute_intervals.0.end_date: end_date 2024-03-01 10:00 is not after start_date 2024-03-02 10:00",
    ]);
    expect(problems({ mute_intervals: [{ start_date: "2024-03-01 10:00", end_date: "2024-03-02 10:00", timezone: "Nowhere/Land" }] })).toEqual([expect.stringMatching(/^mute_intervals\.0\.timezone: unknown time zone/)]);
  });

  it("rejects grouping mistakes", () => {
    expect(problems({ grouping: { group_by: ["namespce"] } })).toEqual([expect.stringMatching(/^grouping\.group_by\.0: unknown attribute "namespce"; use one of cluster, /)]);
    expect(problems({ grouping: { group_by: [{ tags: ["x"] }] } })).toEqual(["grouping.group_by.0: write {labels: [key, ...]} or {annotations: [key, ...]}; got {tags}"]);
    expect(problems({ grouping: { group_by: [{ labels: [] }] } })).toEqual(["grouping.group_by.0.labels: must not be empty"]);
    expect(problems({ grouping: { notification_mode: { summary: {}, regular: { ignore_first: 2 } } } })).toEqual(["grouping.notification_mode: give summary or regular, not both"]);
    expect(problems({ grouping: { notification_mode: {} } })).toEqual(["grouping.notification_mode: give summary or regular"]);
    expect(problems({ grouping: { interval: 0 } })).toEqual([expect.stringMatching(/^grouping\.interval: /)]);
    expect(problems({ grouping: { notification_mode: { regular: { ignore_first: -1 } } } })).toEqual([expect.stringMatching(/^grouping\.notification_mode\.regular\.ignore_first: /)]);
  });

  it("rejects a negative dedup_interval", () => {
    expect(problems({ dedup_interval: -5 })).toEqual([expect.stringMatching(/^dedup_interval: /)]);
  });
});

describe("routing params: docs", () => {
  it("describes every field, since the docs are generated from the descriptions", () => {
    const undescribed: string[] = [];
    const walk = (schema: Record<string, unknown>, path: string) => {
      for (const [key, prop] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (!prop.description) undescribed.push(`${path}${key}`);
        walk(prop, `${path}${key}.`);
        const items = prop.items as Record<string, unknown> | undefined;
        if (items) walk(items, `${path}${key}[].`);
      }
      for (const option of (schema.anyOf ?? []) as Record<string, unknown>[]) walk(option, path);
    };
    walk(z.toJSONSchema(routingParamsSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>, "");
    expect(undescribed).toEqual([]);
  });
});
