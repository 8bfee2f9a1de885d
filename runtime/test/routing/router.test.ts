import type { Finding } from "@robusta-ts/sdk";
import { markdown } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { describe, expect, it } from "vitest";
import type { RoutingParams } from "../../src/routing/params.js";
import { Router, type RoutableSink, type RouteOutcome } from "../../src/routing/router.js";
import { finding, routing, WEDNESDAY_NOON_UTC } from "./helpers.js";

function setup(namespaceLabels?: (namespace: string) => Promise<Record<string, string> | undefined>) {
  const clock = { now: WEDNESDAY_NOON_UTC };
  const logger = new MemoryLogger();
  const router = new Router({ clusterName: "prod-eu", now: () => clock.now, logger, ...(namespaceLabels && { namespaceLabels }) });
  return { router, clock, logger };
}

const sinks = (...list: [string, Record<string, unknown>?][]) => new Map<string, RoutableSink>(list.map(([name, raw]) => [name, { name, ...(raw && { routing: routing(raw) }) }]));

/** The outcomes as "sink finding-title verdict[/reason]". */
const brief = (outcomes: RouteOutcome[]) => outcomes.map((o) => `${o.sink} ${o.finding.title} ${o.verdict === "deliver" ? "deliver" : `skip/${o.reason}`}`);

const prod = finding({ title: "prod", subject: { namespace: "prod" } });
const staging = finding({ title: "staging", subject: { namespace: "staging" } });

describe("router", () => {
  it("gives every sink its findings, in order, when nothing restricts them", async () => {
    const { router } = setup();
    const outcomes = await router.route(
      new Map([
        ["slack", [prod, staging]],
        ["teams", [prod]],
      ]),
      sinks(["slack"], ["teams"]),
    );
    expect(brief(outcomes)).toEqual(["slack prod deliver", "slack staging deliver", "teams prod deliver"]);
  });

  it("implements the fallback pattern: a sink with stop takes its findings and later sinks get none of the event", async () => {
    const { router } = setup();
    const config = sinks(["production", { scope: { include: [{ namespace: "prod" }] }, stop: true }], ["fallback"]);
    expect(brief(await router.route(new Map([["production", [prod]], ["fallback", [prod]]]), config))).toEqual(["production prod deliver", "fallback prod skip/stopped"]);
    expect(brief(await router.route(new Map([["production", [staging]], ["fallback", [staging]]]), config))).toEqual(["production staging skip/scope", "fallback staging deliver"]);
  });

  it("after stop, skips the rest of the event, the stopping sink's own later findings included", async () => {
    const { router } = setup();
    const config = sinks(["a", { scope: { include: [{ namespace: "prod" }] }, stop: true }], ["b"]);
    const outcomes = await router.route(new Map([["a", [staging, prod, staging]], ["b", [prod, staging]]]), config);
    expect(brief(outcomes)).toEqual(["a staging skip/scope", "a prod deliver", "a staging skip/stopped", "b prod skip/stopped", "b staging skip/stopped"]);
    expect(outcomes[2]).toMatchObject({ detail: 'sink "a" has stop: true and took a finding of this event' });
  });

  it("skips findings while a sink is muted or outside its activity windows, saying why", async () => {
    const { router } = setup();
    const outcomes = await router.route(
      new Map([
        ["muted", [prod]],
        ["night", [prod]],
      ]),
      sinks(
        ["muted", { mute_intervals: [{ start_date: "2024-03-06 11:00", end_date: "2024-03-06 13:00" }] }],
        ["night", { activity: { timezone: "Europe/Berlin", intervals: [{ days: ["wed"], hours: [{ start: "00:00", end: "06:00" }] }] } }],
      ),
    );
    expect(outcomes).toEqual([
      { sink: "muted", finding: prod, verdict: "skip", reason: "muted", detail: "muted from 2024-03-06 11:00 to 2024-03-06 13:00 (UTC)" },
      { sink: "night", finding: prod, verdict: "skip", reason: "inactive", detail: "outside the activity windows (Europe/Berlin)" },
    ]);
  });

  it("says which scope rule excluded a finding", async () => {
    const { router } = setup();
    const [outcome] = await router.route(new Map([["s", [prod]]]), sinks(["s", { scope: { exclude: [{ namespace: "kube-.*" }, { namespace: "prod" }] } }]));
    expect(outcome).toMatchObject({ verdict: "skip", reason: "scope", detail: "excluded by scope.exclude[1]" });
  });

  it("skips a finding for a sink it does not know, rather than dropping it", async () => {
    const { router } = setup();
    expect(await router.route(new Map([["gone", [prod]]]), sinks(["s"]))).toEqual([{ sink: "gone", finding: prod, verdict: "skip", reason: "scope", detail: 'unknown sink "gone"' }]);
  });

  it("returns every finding it is given exactly once", async () => {
    const { router } = setup();
    const findings = new Map<string, Finding[]>([
      ["a", [prod, staging, prod]],
      ["b", [staging]],
      ["c", [prod]],
    ]);
    const outcomes = await router.route(findings, sinks(["a", { scope: { include: [{ namespace: "staging" }] }, stop: true }], ["b"]));
    expect(outcomes.map((o) => [o.sink, o.finding])).toEqual([...findings].flatMap(([sink, list]) => list.map((f) => [sink, f])));
  });
});

describe("router: dedup_interval", () => {
  it("skips a finding identical to one the sink took within the interval, measured from the one it took", async () => {
    const { router, clock } = setup();
    const config = sinks(["s", { dedup_interval: 60 }]);
    const send = async () => (await router.route(new Map([["s", [finding({ title: "same" })]]]), config))[0]!;
    expect((await send()).verdict).toBe("deliver");
    clock.now += 30_000;
    expect(await send()).toMatchObject({ verdict: "skip", reason: "duplicate", detail: "identical to a finding sent 30s ago (dedup_interval: 60)" });
    clock.now += 29_000;
    expect((await send()).verdict).toBe("skip");
    clock.now += 1_000;
    expect((await send()).verdict).toBe("deliver");
  });

  it("sends a finding that changed: resolved, or with other enrichments", async () => {
    const { router } = setup();
    const config = sinks(["s", { dedup_interval: 600 }]);
    const base = { title: "same", fingerprint: "fp" };
    const list = [finding(base), finding({ ...base, status: "resolved" }), finding({ ...base, enrichments: [{ blocks: [markdown("new logs")], annotations: {} }] }), finding(base)];
    expect(brief(await router.route(new Map([["s", list]]), config))).toEqual(["s same deliver", "s same deliver", "s same deliver", "s same skip/duplicate"]);
  });

  it("keeps dedup per sink, across new sink objects of the same name (reloads), and only where it is on", async () => {
    const { router } = setup();
    const f = finding({ title: "same" });
    const config = sinks(["a", { dedup_interval: 60 }], ["b", { dedup_interval: 60 }], ["off"]);
    expect(brief(await router.route(new Map([["a", [f]], ["b", [f]], ["off", [f]]]), config))).toEqual(["a same deliver", "b same deliver", "off same deliver"]);
    const reloaded = sinks(["a", { dedup_interval: 60 }], ["b"], ["off"]);
    expect(brief(await router.route(new Map([["a", [f]], ["b", [f]], ["off", [f]]]), reloaded))).toEqual(["a same skip/duplicate", "b same deliver", "off same deliver"]);
  });

  it("still honours stop when the stopping sink skips a duplicate", async () => {
    const { router } = setup();
    const config = sinks(["a", { dedup_interval: 60, stop: true }], ["b"]);
    await router.route(new Map([["a", [prod]], ["b", [prod]]]), config);
    expect(brief(await router.route(new Map([["a", [prod]], ["b", [prod]]]), config))).toEqual(["a prod skip/duplicate", "b prod skip/stopped"]);
  });
});

describe("router: namespace_labels", () => {
  function lookups(labels: Record<string, Record<string, string>>) {
    const asked: string[] = [];
    const lookup = async (namespace: string) => {
      asked.push(namespace);
      return labels[namespace];
    };
    return { asked, lookup };
  }

  it("looks up the namespace's labels for scope rules that use them", async () => {
    const { asked, lookup } = lookups({ prod: { team: "payments" }, staging: { team: "web" } });
    const { router } = setup(lookup);
    const config = sinks(["payments", { scope: { include: [{ namespace_labels: "team=payments" }] } }]);
    expect(brief(await router.route(new Map([["payments", [prod, staging]]]), config))).toEqual(["payments prod deliver", "payments staging skip/scope"]);
    expect(asked).toEqual(["prod", "staging"]);
  });

  it("does not look up namespaces for scopes without namespace_labels", async () => {
    const { asked, lookup } = lookups({});
    const { router } = setup(lookup);
    await router.route(new Map([["s", [prod]], ["t", [prod]]]), sinks(["s", { scope: { include: [{ namespace: "prod" }] } }], ["t"]));
    expect(asked).toEqual([]);
  });

  it("caches labels for 30 minutes", async () => {
    const { asked, lookup } = lookups({ prod: { team: "payments" } });
    const { router, clock } = setup(lookup);
    const config = sinks(["a", { scope: { include: [{ namespace_labels: "team=payments" }] } }], ["b", { scope: { exclude: [{ namespace_labels: "team=web" }] } }]);
    const event = new Map([["a", [prod, prod]], ["b", [prod]]]);
    await router.route(event, config);
    clock.now += 29 * 60_000;
    await router.route(event, config);
    expect(asked).toEqual(["prod"]);
    clock.now += 60_000;
    expect(brief(await router.route(event, config))).toEqual(["a prod deliver", "a prod deliver", "b prod deliver"]);
    expect(asked).toEqual(["prod", "prod"]);
  });

  it("matches as if there were no labels when the lookup fails, warns, and asks again next time", async () => {
    let calls = 0;
    const { router, logger } = setup(async () => {
      calls++;
      throw new Error("forbidden");
    });
    const config = sinks(["s", { scope: { include: [{ namespace_labels: "team=payments" }] } }]);
    expect(brief(await router.route(new Map([["s", [prod]]]), config))).toEqual(["s prod skip/scope"]);
    await router.route(new Map([["s", [prod]]]), config);
    expect(calls).toBe(2);
    expect(logger.entries.filter((e) => e.level === "warn")).toHaveLength(2);
    expect(logger.entries[0]).toMatchObject({ level: "warn", fields: { sink: "s", namespace: "prod", reason: "forbidden" } });
  });
});

describe("router: attributes findings do not have", () => {
  // The schema refuses these; params built in code can still name them.
  const withScope = (scope: RoutingParams["scope"], match?: RoutingParams["match"]): RoutableSink => ({ name: "s", routing: { ...routing(), scope, ...(match && { match }) } });

  it("does not match a scope attribute findings lack, and warns once per sink and attribute", async () => {
    const { router, logger } = setup();
    const config = new Map([["s", withScope({ include: [{ clusterName: ["prod-eu"] }] })]]);
    expect(brief(await router.route(new Map([["s", [prod, staging]]]), config))).toEqual(["s prod skip/scope", "s staging skip/scope"]);
    expect(logger.entries).toEqual([{ level: "warn", message: "scope names an attribute findings do not have; it never matches", fields: { sink: "s", attribute: "clusterName" } }]);
  });

  it("rejects a legacy match on an attribute findings lack, with a warning", async () => {
    const { router, logger } = setup();
    const [outcome] = await router.route(new Map([["s", [prod]]]), new Map([["s", withScope(undefined, { owner: ["x"] })]]));
    expect(outcome).toMatchObject({ verdict: "skip", reason: "scope", detail: "match names attributes findings do not have: owner" });
    expect(logger.entries).toMatchObject([{ level: "warn", fields: { attribute: "owner" } }]);
  });
});
