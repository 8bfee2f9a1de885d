import { describe, expect, it } from "vitest";
import { Grouper, type GroupDecision, type SummaryGroup } from "../../src/routing/grouping.js";
import { finding, routing } from "./helpers.js";

/** A grouper on a clock the test moves. */
function grouper(grouping: Record<string, unknown>, maxGroups?: number) {
  const clock = { now: Date.UTC(2024, 2, 6, 12, 0, 0) };
  const g = new Grouper(routing({ grouping }).grouping!, "prod-eu", () => clock.now, maxGroups);
  return { g, clock };
}

function summaryOf(decision: GroupDecision): SummaryGroup {
  if (decision.kind !== "summary") throw new Error(`expected a summary decision, got ${decision.kind}`);
  return decision.group;
}

describe("grouping: summary mode", () => {
  it("counts firing and resolved findings per identifier in one group per cluster", () => {
    const { g } = grouper({});
    const first = summaryOf(g.admit(finding({ aggregationKey: "KubePodCrashLooping" }), "#alerts"));
    g.admit(finding({ aggregationKey: "KubePodCrashLooping" }), "#alerts");
    g.admit(finding({ aggregationKey: "KubePodCrashLooping", status: "resolved" }), "#alerts");
    const last = summaryOf(g.admit(finding({ aggregationKey: "KubeNodeNotReady" }), "#alerts"));
    expect(last).toBe(first);
    expect(last.summary()).toEqual({
      groupedBy: [["cluster", "prod-eu"]],
      columns: ["notification"],
      rows: [
        { values: ["KubePodCrashLooping"], firing: 2, resolved: 1 },
        { values: ["KubeNodeNotReady"], firing: 1, resolved: 0 },
      ],
      firing: 3,
      resolved: 1,
      since: "2024-03-06T12:00:00.000Z",
    });
  });

  it("says whether findings go under the summary (threaded) or only into its counts", () => {
    expect(grouper({}).g.admit(finding(), "#a")).toMatchObject({ kind: "summary", threaded: true });
    expect(grouper({ notification_mode: { summary: { threaded: false } } }).g.admit(finding(), "#a")).toMatchObject({ kind: "summary", threaded: false });
  });

  it("keeps a group per destination", () => {
    const { g } = grouper({});
    const a = summaryOf(g.admit(finding(), "#team-a"));
    const b = summaryOf(g.admit(finding(), "#team-b"));
    expect(a).not.toBe(b);
    expect(a.summary().firing).toBe(1);
    expect(b.summary().firing).toBe(1);
  });

  it("groups by the group_by values, labels and annotations, showing them with Robusta's column names", () => {
    const { g } = grouper({ group_by: ["namespace", { labels: ["app"] }], notification_mode: { summary: { by: ["identifier", "severity", { annotations: ["team"] }] } } });
    const prodWeb = summaryOf(g.admit(finding({ subject: { namespace: "prod", labels: { app: "web" } } }), "#a"));
    const prodApi = summaryOf(g.admit(finding({ subject: { namespace: "prod", labels: { app: "api" } } }), "#a"));
    const stagingWeb = summaryOf(g.admit(finding({ subject: { namespace: "staging", labels: { app: "web" } } }), "#a"));
    const again = summaryOf(g.admit(finding({ severity: "HIGH", subject: { namespace: "prod", labels: { app: "web" }, annotations: { team: "sre" } } }), "#a"));
    expect(new Set([prodWeb, prodApi, stagingWeb]).size).toBe(3);
    expect(again).toBe(prodWeb);
    expect(prodWeb.summary()).toMatchObject({
      groupedBy: [
        ["namespace", "prod"],
        ["label:app", "web"],
      ],
      columns: ["notification", "severity", "annotation:team"],
      rows: [
        { values: ["CrashLoopBackoff", "INFO", "(undefined)"], firing: 1, resolved: 0 },
        { values: ["CrashLoopBackoff", "HIGH", "sre"], firing: 1, resolved: 0 },
      ],
    });
  });

  it("groups the pods of one workload together", () => {
    const { g } = grouper({ group_by: ["workload"] });
    const one = summaryOf(g.admit(finding({ subject: { name: "web-7d9f8b6c5-x2x4q" } }), "#a"));
    const two = summaryOf(g.admit(finding({ subject: { name: "web-7d9f8b6c5-k8zpn" } }), "#a"));
    const other = summaryOf(g.admit(finding({ subject: { name: "api-5c6b7d8f9-x2x4q" } }), "#a"));
    expect(two).toBe(one);
    expect(other).not.toBe(one);
    expect(one.summary().groupedBy).toEqual([["workload", "web"]]);
  });

  it("starts a new group, with a new summary message, once interval has passed since the first finding", () => {
    const { g, clock } = grouper({ interval: 600 });
    const first = summaryOf(g.admit(finding(), "#a"));
    first.ref = { channel: "C1", id: "1.0" };
    clock.now += 600_000;
    expect(summaryOf(g.admit(finding(), "#a"))).toBe(first); // still current at exactly interval
    clock.now += 1;
    const second = summaryOf(g.admit(finding({ status: "resolved" }), "#a"));
    expect(second).not.toBe(first);
    expect(second.ref).toBeUndefined();
    expect(second.summary()).toMatchObject({ firing: 0, resolved: 1, since: new Date(clock.now).toISOString() });
    expect(first.summary().firing).toBe(2);
  });
});

describe("grouping: regular mode", () => {
  it("holds back the first ignore_first findings of a group within interval, then sends", () => {
    const { g, clock } = grouper({ interval: 300, notification_mode: { regular: { ignore_first: 3 } } });
    const kinds = [0, 10, 20, 30, 40].map((s) => {
      clock.now += s === 0 ? 0 : 10_000;
      return g.admit(finding(), "#a").kind;
    });
    expect(kinds).toEqual(["ignore", "ignore", "ignore", "send", "send"]);
  });

  it("counts within a sliding window of interval seconds", () => {
    const { g, clock } = grouper({ interval: 300, notification_mode: { regular: { ignore_first: 3 } } });
    const start = clock.now;
    const at = (s: number) => {
      clock.now = start + s * 1000;
      return g.admit(finding(), "#a");
    };
    expect([at(0), at(100), at(200)].map((d) => d.kind)).toEqual(["ignore", "ignore", "ignore"]);
    // At 350 s the finding of 0 s has left the window: three in it, still held back.
    expect(at(350)).toEqual({ kind: "ignore", reason: "finding 3 of its group within 300s; grouping sends from the 4th on" });
    expect(at(360).kind).toBe("send");
    // After a quiet interval the group starts over.
    expect(at(1000).kind).toBe("ignore");
  });

  it("counts each group (group_by values and destination) on its own", () => {
    const { g } = grouper({ group_by: ["namespace"], notification_mode: { regular: { ignore_first: 1 } } });
    expect(g.admit(finding({ subject: { namespace: "prod" } }), "#a").kind).toBe("ignore");
    expect(g.admit(finding({ subject: { namespace: "staging" } }), "#a").kind).toBe("ignore");
    expect(g.admit(finding({ subject: { namespace: "prod" } }), "#b").kind).toBe("ignore");
    expect(g.admit(finding({ subject: { namespace: "prod" } }), "#a").kind).toBe("send");
  });

  it("sends everything with ignore_first 0", () => {
    const { g } = grouper({ notification_mode: { regular: {} } });
    expect(g.admit(finding(), "#a")).toEqual({ kind: "send" });
  });
});

describe("grouping: memory", () => {
  it("forgets groups whose interval is over", () => {
    const { g, clock } = grouper({ group_by: ["name"], interval: 60 });
    for (let i = 0; i < 50; i++) g.admit(finding({ subject: { name: `pod-${i}` } }), "#a");
    expect(g.size).toBe(50);
    clock.now += 61_000;
    g.admit(finding({ subject: { name: "late" } }), "#a");
    expect(g.size).toBe(1);
  });

  it("keeps at most maxGroups live groups, forgetting the oldest", () => {
    const { g } = grouper({ group_by: ["name"], notification_mode: { regular: { ignore_first: 1 } } }, 2);
    g.admit(finding({ subject: { name: "a" } }), "#a");
    g.admit(finding({ subject: { name: "b" } }), "#a");
    g.admit(finding({ subject: { name: "c" } }), "#a");
    expect(g.size).toBe(2);
    // "a" was forgotten, so its count starts over; "c" was not.
    expect(g.admit(finding({ subject: { name: "c" } }), "#a").kind).toBe("send");
    expect(g.admit(finding({ subject: { name: "a" } }), "#a").kind).toBe("ignore");
  });
});
