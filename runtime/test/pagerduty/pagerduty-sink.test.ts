import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { diff, markdown } from "@robusta-ts/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakePagerDuty } from "../../../test/fakes/pagerduty.js";
import { pagerdutySinkType, type PagerdutySinkParams } from "../../src/sinks/pagerduty/index.js";
import { PagerdutySink, type PagerdutySinkOptions } from "../../src/sinks/pagerduty/pagerduty-sink.js";
import { changeFinding, sampleFinding } from "./findings.js";
import { failureOf, sinkBase } from "../sinks-common/support.js";

const KEY = "s3cr3tR0utingKey0123456789abcdef";
let pagerduty: FakePagerDuty;
beforeEach(async () => {
  pagerduty = await FakePagerDuty.start();
});
afterEach(async () => {
  await pagerduty.close();
});

const base = sinkBase("pd");

function sinkFor(params: Record<string, unknown> = {}, options: Partial<PagerdutySinkOptions> = {}): PagerdutySink {
  const parsed: PagerdutySinkParams = pagerdutySinkType.params.parse({ name: "pd", api_key: KEY, api_url: pagerduty.url, ...params });
  return new PagerdutySink(base, parsed, { clusterName: "prod-eu", ...options });
}

describe("pagerduty sink", () => {
  it("triggers an alert, then resolves it when the finding resolves", async () => {
    const sink = sinkFor();
    const finding = sampleFinding();
    await sink.write(finding);
    const alert = pagerduty.alerts.get(finding.fingerprint);
    expect(alert?.status).toBe("triggered");
    expect(pagerduty.requests[0]).toMatchObject({ path: "/v2/enqueue", status: 202, headers: { "content-type": "application/json" } });
    expect(pagerduty.events[0]).toMatchObject({ routing_key: KEY, event_action: "trigger", payload: { summary: finding.title, severity: "critical" } });

    await sink.write({ ...finding, status: "resolved" });
    expect(alert?.status).toBe("resolved");
    expect(alert?.events.map((event) => event.event_action)).toEqual(["trigger", "resolve"]);
  });

  it("sends configuration changes to the Change Events API", async () => {
    await sinkFor().write(changeFinding());
    expect(pagerduty.requests.map((request) => request.path)).toEqual(["/v2/change/enqueue"]);
    expect(pagerduty.changeEvents[0]).toMatchObject({ routing_key: KEY, payload: { summary: "Deployment demo/web updated in cluster prod-eu (2 changes)" } });
    expect(pagerduty.alerts.size).toBe(0);
  });

  it("sends each change event once, even when a retry follows a failed later one", async () => {
    const sink = sinkFor();
    const base = changeFinding();
    const second = diff({ kind: "Deployment", name: "web", namespace: "demo" }, [{ path: "spec.paused", old: false, new: true }]);
    const finding = changeFinding({ enrichments: [base.enrichments[0]!, { ...base.enrichments[0]!, blocks: [second] }] });
    pagerduty.failNext(1, { status: 502 }, 1);
    expect(await failureOf(sink.write(finding))).toMatchObject({ retryable: true, status: 502 });
    await sink.write(finding);
    expect(pagerduty.requests.map((request) => request.status)).toEqual([202, 502, 202]);
    expect(pagerduty.changeEvents.map((event) => (event.payload as { custom_details: Record<string, string> }).custom_details["Change 1"])).toEqual([
      "spec.replicas: 2 ==> 3",
      "spec.paused: false ==> true",
    ]);
    // The next finding starts afresh.
    await sink.write(changeFinding({ id: "00000000-0000-4000-8000-000000000009" }));
    expect(pagerduty.changeEvents).toHaveLength(3);
  });

  it("takes an api_url with a trailing slash (an EU account's, say)", async () => {
    await sinkFor({ api_url: `${pagerduty.url}/` }).write(sampleFinding());
    expect(pagerduty.requests[0]!.path).toBe("/v2/enqueue");
  });

  it("gets a finding too large for an event through, within 512 KB", async () => {
    await sinkFor().write(sampleFinding({ enrichments: [{ annotations: {}, blocks: [markdown("x".repeat(600_000))] }] }));
    expect(pagerduty.requests.map((request) => request.status)).toEqual([202]);
  });

  it("does not retry an event PagerDuty refuses (400), and says why in PagerDuty's words", async () => {
    pagerduty.failNext(1, { status: 400, body: { status: "invalid event", message: "Event object is invalid", errors: ["Invalid routing key", `unknown key ${KEY}`] } });
    const error = await failureOf(sinkFor().write(sampleFinding()));
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toBe("PagerDuty answered 400: Event object is invalid: Invalid routing key; unknown key [api_key]");
    expect(error.message).not.toContain(KEY);
  });

  it("retries when PagerDuty throttles (429, no Retry-After) or fails (5xx)", async () => {
    pagerduty.failNext(1, { status: 429 });
    pagerduty.failNext(1, { status: 502 });
    const sink = sinkFor();
    const throttled = await failureOf(sink.write(sampleFinding()));
    expect(throttled).toMatchObject({ retryable: true, status: 429, retryAfterMs: undefined });
    expect(throttled.message).toBe("PagerDuty answered 429: Request Limit Exceeded");
    expect(await failureOf(sink.write(sampleFinding()))).toMatchObject({ retryable: true, status: 502 });
    await sink.write(sampleFinding());
    expect(pagerduty.requests.map((request) => request.status)).toEqual([429, 502, 202]);
  });

  it("honours a Retry-After when one is sent", async () => {
    pagerduty.failNext(1, { status: 429, retryAfter: "30" });
    expect(await failureOf(sinkFor().write(sampleFinding()))).toMatchObject({ retryable: true, retryAfterMs: 30_000 });
  });

  it("retries when PagerDuty cannot be reached", async () => {
    const sink = sinkFor();
    await pagerduty.close();
    const error = await failureOf(sink.write(sampleFinding()));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^PagerDuty could not be reached: .*ECONNREFUSED/);
    pagerduty = await FakePagerDuty.start(); // for afterEach
  });
});

describe("pagerduty_sink parameters", () => {
  const issues = (input: unknown): string[] | undefined =>
    pagerdutySinkType.params.safeParse(input).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

  it("takes Robusta's api_key, with the public Events API by default", () => {
    expect(pagerdutySinkType.params.parse({ name: "pd", api_key: KEY })).toMatchObject({ name: "pd", default: true, api_key: KEY, api_url: "https://events.pagerduty.com" });
  });

  it("refuses a key that is not an integration key, and unknown keys, naming them", () => {
    expect(issues({ name: "pd" })?.[0]).toMatch(/^api_key: /);
    expect(issues({ name: "pd", api_key: "short" })).toEqual(["api_key: must be the 32-character integration key of an Events API v2 integration (Service → Integrations)"]);
    expect(issues({ name: "pd", api_key: KEY, api_url: "events.pagerduty.com" })).toEqual(["api_url: must be an http:// or https:// URL"]);
    expect(issues({ name: "pd", api_key: KEY, url: "https://x" })?.[0]).toMatch(/url/);
  });

  it("builds a sink with the shared settings", () => {
    const params = pagerdutySinkType.params.parse({ name: "pd", default: false, api_key: KEY, stop: true });
    const sink = pagerdutySinkType.create(params, { clusterName: "c1", globalConfig: {}, logger: new MemoryLogger() });
    expect(sink).toMatchObject({ name: "pd", isDefault: false, routing: { stop: true } });
  });
});
