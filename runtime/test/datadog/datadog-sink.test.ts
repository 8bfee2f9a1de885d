import { createFinding } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeDatadog } from "../../../test/fakes/datadog.js";
import { datadogSinkType } from "../../src/sinks/datadog/index.js";
import { renderEvent } from "../../src/sinks/datadog/render-event.js";
import { DatadogSink } from "../../src/sinks/datadog/datadog-sink.js";
import { sampleFinding } from "../webhook/sample-finding.js";
import { failureOf, sinkBase } from "../sinks-common/support.js";

const API_KEY = "0123456789abcdef0123456789abcdef";
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

let datadog: FakeDatadog;
beforeEach(async () => {
  datadog = await FakeDatadog.start(API_KEY);
});
afterEach(async () => {
  await datadog.close();
});

function sinkFor(params: Record<string, unknown> = {}): DatadogSink {
  const parsed = datadogSinkType.params.parse({ name: "dd", api_key: API_KEY, site: datadog.url, ...params });
  return new DatadogSink(sinkBase("dd"), parsed, { clusterName: "prod-eu", now: () => NOW });
}

describe("datadog_sink", () => {
  it("POSTs the event to /api/v1/events with the DD-API-KEY header", async () => {
    const finding = sampleFinding();
    await sinkFor().write(finding);
    const [request] = datadog.requests;
    expect(request).toMatchObject({ method: "POST", path: "/api/v1/events", status: 202 });
    expect(request!.headers["dd-api-key"]).toBe(API_KEY);
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request!.body)).toEqual(renderEvent(finding, { clusterName: "prod-eu", now: NOW }));
    expect(datadog.events[0]).toMatchObject({ title: finding.title, host: "demo/pod/web-0", tags: expect.arrayContaining(["cluster:prod-eu"]) });
  });

  it("sends a text Datadog shows whole, however large the finding", async () => {
    const big = sampleFinding({ description: "d".repeat(10_000) });
    await sinkFor().write(big);
    const sent = JSON.parse(datadog.requests[0]!.body) as { text: string };
    expect(datadog.events[0]!.text).toBe(sent.text);
    expect(sent.text).toContain("did not fit.");
  });

  it("is built by its sink type from the cluster name", async () => {
    const params = datadogSinkType.params.parse({ name: "dd", api_key: API_KEY, site: datadog.url });
    await datadogSinkType.create(params, { clusterName: "c1", globalConfig: {}, logger: new MemoryLogger() }).write(createFinding({ title: "t", aggregationKey: "k" }));
    expect(datadog.events[0]!.tags).toContain("cluster:c1");
  });

  it("fails for good on a bad API key, with Datadog's words and never the key", async () => {
    const error = await failureOf(sinkFor({ api_key: "fedcba9876543210fedcba9876543210" }).write(sampleFinding()));
    expect(error).toMatchObject({ retryable: false, status: 403 });
    expect(error.message).toBe(`Datadog ${new URL(datadog.url).host} answered 403: Forbidden`);
    expect(error.message).not.toMatch(/fedcba|0123456789/);
  });

  it("fails for good on a 400, with Datadog's errors", async () => {
    datadog.failNext(1, { status: 400, errors: ["Invalid JSON structure", "title is too long"] });
    const error = await failureOf(sinkFor().write(sampleFinding()));
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toMatch(/answered 400: Invalid JSON structure; title is too long$/);
  });

  it("retries a rate limit no sooner than X-RateLimit-Reset, and 5xx", async () => {
    const sink = sinkFor();
    datadog.failNext(1, { status: 429, reset: 37 });
    expect(await failureOf(sink.write(sampleFinding()))).toMatchObject({ retryable: true, status: 429, retryAfterMs: 37_000 });
    datadog.failNext(1, { status: 503 });
    expect(await failureOf(sink.write(sampleFinding()))).toMatchObject({ retryable: true, status: 503 });
    await sink.write(sampleFinding());
    expect(datadog.requests.map((request) => request.status)).toEqual([429, 503, 202]);
  });

  it("throws a retryable error naming the API host when it cannot connect", async () => {
    const sink = sinkFor();
    const host = new URL(datadog.url).host;
    await datadog.close();
    const error = await failureOf(sink.write(sampleFinding()));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(new RegExp(`^Datadog ${host} could not be reached: .*ECONNREFUSED`));
    datadog = await FakeDatadog.start(API_KEY); // for afterEach
  });
});
