import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeOpsgenie } from "../../../test/fakes/opsgenie.js";
import { opsgenieSinkType, type OpsgenieSinkParams } from "../../src/sinks/opsgenie/index.js";
import { OpsgenieSink, type OpsgenieSinkOptions } from "../../src/sinks/opsgenie/opsgenie-sink.js";
import { sampleFinding } from "../webhook/sample-finding.js";
import { failureOf, sinkBase } from "../sinks-common/support.js";

const KEY = "eb243592-faa2-4ba2-a551-1afdf565c889";
let opsgenie: FakeOpsgenie;
beforeEach(async () => {
  opsgenie = await FakeOpsgenie.start(KEY);
});
afterEach(async () => {
  await opsgenie.close();
});

const base = sinkBase("og");

function sinkFor(params: Record<string, unknown> = {}, options: Partial<OpsgenieSinkOptions> = {}): OpsgenieSink {
  const parsed: OpsgenieSinkParams = opsgenieSinkType.params.parse({ name: "og", api_key: KEY, host: opsgenie.url, teams: ["noc"], ...params });
  return new OpsgenieSink(base, parsed, { clusterName: "prod-eu", ...options });
}

describe("opsgenie sink", () => {
  it("creates an alert with the GenieKey, counts repeats on it, and closes it by alias on resolve", async () => {
    const sink = sinkFor();
    const finding = sampleFinding();
    await sink.write(finding);
    await sink.write(finding);
    const alert = opsgenie.alerts.get(finding.fingerprint);
    expect(alert).toMatchObject({ status: "open", count: 2, created: { message: finding.title, priority: "P1", responders: [{ name: "noc", type: "team" }] } });
    expect(opsgenie.requests[0]).toMatchObject({ method: "POST", path: "/v2/alerts", status: 202, headers: { authorization: `GenieKey ${KEY}`, "content-type": "application/json" } });

    await sink.write({ ...finding, status: "resolved" });
    expect(opsgenie.requests[2]!.path).toBe(`/v2/alerts/${finding.fingerprint}/close?identifierType=alias`);
    expect(alert).toMatchObject({ status: "closed", closed: { user: "Robusta", note: "Robusta Finding Resolved", source: "Robusta Opsgenie Sink" } });
  });

  it("sends a finding too big for Opsgenie's limits, cut to fit", async () => {
    await sinkFor({ tags: Array.from({ length: 40 }, (_, i) => `tag-${i}`) }).write(sampleFinding({ title: "x".repeat(500), description: "d".repeat(30_000) }));
    expect(opsgenie.requests.map((request) => request.status)).toEqual([202]);
    const created = [...opsgenie.alerts.values()][0]!.created;
    expect(created.description).toMatch(/^<a href="https:\/\/runbooks\.example\.com\/crashloop">Runbook<\/a>\n<p>d+…<\/p>\n<strong>Crash info<\/strong>/);
  });

  it("does not retry a body Opsgenie cannot process (422), and gives its field errors", async () => {
    opsgenie.failNext(1, { status: 422, body: { message: "Request body is not processable. Please check the errors.", errors: { message: "Message can not be empty." }, took: 0.001, requestId: "r-1" } });
    const error = await failureOf(sinkFor().write(sampleFinding()));
    expect(error).toMatchObject({ retryable: false, status: 422 });
    expect(error.message).toBe("Opsgenie answered 422 to create an alert: Request body is not processable. Please check the errors. (message: Message can not be empty.) [request r-1]");
  });

  it("does not retry a key Opsgenie refuses (401), and never shows the key", async () => {
    const error = await failureOf(sinkFor({ api_key: "wrong-key-0000" }).write(sampleFinding()));
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toMatch(/^Opsgenie answered 401 to create an alert: Could not authenticate \[request [0-9a-f-]+\]$/);
    opsgenie.failNext(1, { status: 403, body: { message: `Key ${KEY} has no access`, took: 0, requestId: "r-2" } });
    const forbidden = await failureOf(sinkFor().write({ ...sampleFinding(), status: "resolved" }));
    expect(forbidden.message).toBe("Opsgenie answered 403 to close the alert: Key [api_key] has no access [request r-2]");
  });

  it("retries a rate limit after Opsgenie's X-RateLimit-Period-In-Sec, and server errors", async () => {
    opsgenie.failNext(1, { status: 429 });
    opsgenie.failNext(1, { status: 429, headers: { "x-ratelimit-period-in-sec": "1" } });
    opsgenie.failNext(1, { status: 503 });
    const sink = sinkFor();
    expect(await failureOf(sink.write(sampleFinding()))).toMatchObject({ retryable: true, status: 429, retryAfterMs: 60_000 });
    expect(await failureOf(sink.write(sampleFinding()))).toMatchObject({ retryable: true, status: 429, retryAfterMs: 1000 });
    expect(await failureOf(sink.write(sampleFinding()))).toMatchObject({ retryable: true, status: 503 });
    await sink.write(sampleFinding());
    expect(opsgenie.requests.map((request) => request.status)).toEqual([429, 429, 503, 202]);
  });

  it("takes an EU host with a trailing slash", async () => {
    await sinkFor({ host: `${opsgenie.url}/` }).write(sampleFinding());
    expect(opsgenie.requests[0]!.path).toBe("/v2/alerts");
  });

  it("retries when Opsgenie cannot be reached", async () => {
    const sink = sinkFor();
    await opsgenie.close();
    const error = await failureOf(sink.write(sampleFinding()));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^Opsgenie could not be reached: .*ECONNREFUSED/);
    opsgenie = await FakeOpsgenie.start(KEY); // for afterEach
  });
});

describe("opsgenie_sink parameters", () => {
  const issues = (input: unknown): string[] | undefined =>
    opsgenieSinkType.params.safeParse(input).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

  it("takes Robusta's keys with Robusta's defaults", () => {
    expect(opsgenieSinkType.params.parse({ name: "og", api_key: KEY })).toMatchObject({
      api_key: KEY,
      teams: [],
      tags: [],
      host: "https://api.opsgenie.com",
      extra_details_labels: false,
    });
  });

  it("refuses what it cannot use, naming the key", () => {
    expect(issues({ name: "og" })?.[0]).toMatch(/^api_key: /);
    expect(issues({ name: "og", api_key: KEY, teams: ["$team"] })).toEqual([
      "teams.0: is a template that must be 'cluster_name', 'labels.foo' or 'annotations.foo', or contain '$cluster_name', '$labels.foo' or '${annotations.foo}'",
    ]);
    expect(issues({ name: "og", api_key: KEY, host: "api.opsgenie.com" })).toEqual(["host: must be an http:// or https:// URL"]);
    expect(issues({ name: "og", api_key: KEY, tags: [""] })).toEqual(["tags.0: must not be empty"]);
  });

  it("builds a sink, and warns when templated teams have no default_team", () => {
    const logger = new MemoryLogger();
    const params = opsgenieSinkType.params.parse({ name: "og", default: false, api_key: KEY, teams: ["$labels.team"] });
    const sink = opsgenieSinkType.create(params, { clusterName: "c1", globalConfig: {}, logger });
    expect(sink).toMatchObject({ name: "og", isDefault: false });
    expect(logger.entries.map((entry) => entry.message)).toEqual([
      "opsgenie_sink: teams has templates but no default_team: an alert that lacks a template's label or annotation gets no team for it",
    ]);
  });
});
