import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebhookReceiver } from "../../../test/fakes/webhook-receiver.js";
import { renderSlackWebhookJson, renderWebhookJson } from "../../src/sinks/webhook/render-json.js";
import { renderWebhookText } from "../../src/sinks/webhook/render-text.js";
import { webhookSinkType, type WebhookSinkParams } from "../../src/sinks/webhook/index.js";
import { WebhookSink, type WebhookSinkOptions } from "../../src/sinks/webhook/webhook-sink.js";
import { sampleFinding } from "./sample-finding.js";
import { failureOf, sinkBase } from "../sinks-common/support.js";

const TOKEN = "Bearer s3cr3t-t0ken";
const finding = sampleFinding();

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await WebhookReceiver.start();
});
afterEach(async () => {
  await receiver.close();
});

const base = sinkBase("hook");

/** A sink for the receiver (or `params.url`), with `params` as a webhook_sink entry would give them. */
function sinkFor(params: Record<string, unknown>, options: Partial<WebhookSinkOptions> = {}): WebhookSink {
  const parsed: WebhookSinkParams = webhookSinkType.params.parse({ name: "hook", url: `${receiver.url}/robusta`, ...params });
  return new WebhookSink(base, parsed, { clusterName: "prod-eu", ...options });
}

describe("webhook sink", () => {
  it("POSTs the text body as text/plain with the Authorization header", async () => {
    await sinkFor({ authorization: TOKEN }).write(finding);
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request).toMatchObject({ method: "POST", path: "/robusta", status: 200, body: renderWebhookText(finding, "prod-eu", 4096) });
    expect(request!.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(request!.headers.authorization).toBe(TOKEN);
  });

  it("sends no Authorization header when none is configured", async () => {
    await sinkFor({}).write(finding);
    expect(receiver.requests[0]!.headers.authorization).toBeUndefined();
  });

  it("POSTs the JSON body as application/json, within size_limit", async () => {
    await sinkFor({ format: "json", size_limit: 1500 }).write(finding);
    const [request] = receiver.requests;
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request!.body)).toEqual(renderWebhookJson(finding, "prod-eu", 1500));
    expect(Buffer.byteLength(request!.body)).toBeLessThanOrEqual(1500);
  });

  it("sends {text} with slack_webhook", async () => {
    await sinkFor({ format: "json", slack_webhook: true }).write(finding);
    expect(JSON.parse(receiver.requests[0]!.body)).toEqual(renderSlackWebhookJson(finding, 4096));
  });

  it("sends extra headers; authorization wins over an Authorization header among them", async () => {
    await sinkFor({ authorization: TOKEN, headers: { "X-Source": "robusta", Authorization: "Basic other" } }).write(finding);
    expect(receiver.requests[0]!.headers).toMatchObject({ "x-source": "robusta", authorization: TOKEN });
    await sinkFor({ format: "json", headers: { "Content-Type": "application/vnd.robusta+json" } }).write(finding);
    expect(receiver.requests[1]!.headers["content-type"]).toBe("application/vnd.robusta+json");
  });

  it("throws a retryable DeliveryError with the status on 5xx, naming the host and never the token", async () => {
    receiver.failNext(1, { status: 503, body: "upstream down" });
    const error = await failureOf(sinkFor({ authorization: TOKEN }).write(finding));
    expect(error).toMatchObject({ retryable: true, status: 503 });
    expect(error.message).toBe(`webhook ${new URL(receiver.url).host} answered 503: upstream down`);
    expect(error.message).not.toContain("s3cr3t");
  });

  it("throws a DeliveryError that is not retryable on 400", async () => {
    receiver.failNext(1, { status: 400, body: "bad payload" });
    const error = await failureOf(sinkFor({}).write(finding));
    expect(error).toMatchObject({ retryable: false, status: 400 });
  });

  it("passes on Retry-After, in seconds or as a date", async () => {
    receiver.failNext(1, { status: 429, retryAfter: "7" });
    receiver.failNext(1, { status: 503, retryAfter: "Thu, 01 Jan 2026 00:01:00 GMT" });
    const sink = sinkFor({}, { now: () => Date.UTC(2026, 0, 1, 0, 0, 30) });
    expect(await failureOf(sink.write(finding))).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7000 });
    expect(await failureOf(sink.write(finding))).toMatchObject({ retryable: true, status: 503, retryAfterMs: 30_000 });
    await sink.write(finding);
    expect(receiver.requests.map((request) => request.status)).toEqual([429, 503, 200]);
  });

  it("does not retry a body the receiver refuses as too large (413)", async () => {
    receiver.maxBodyBytes = 100;
    const error = await failureOf(sinkFor({ size_limit: 4096 }).write(finding));
    expect(error).toMatchObject({ retryable: false, status: 413 });
    await sinkFor({ size_limit: 100 }).write(finding);
    expect(receiver.delivered).toHaveLength(1);
  });

  it("throws a retryable DeliveryError naming the host when it cannot connect", async () => {
    const sink = sinkFor({});
    const host = new URL(receiver.url).host;
    await receiver.close();
    const error = await failureOf(sink.write(finding));
    expect(error.retryable).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(new RegExp(`^webhook ${host} could not be reached: .*ECONNREFUSED`));
    receiver = await WebhookReceiver.start(); // for afterEach
  });

  describe("against a receiver that never answers", () => {
    let silent: Server;
    let url: string;
    beforeEach(async () => {
      silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    });
    afterEach(async () => {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    });

    it("gives up after the request timeout with a retryable DeliveryError", async () => {
      const sink = sinkFor({ url }, { timeoutMs: 50 });
      const error = await failureOf(sink.write(finding));
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/did not answer within 0.05 s/);
    });

    it("stops at once when the delivery is aborted (shutdown), with the abort's reason", async () => {
      const sink = sinkFor({ url });
      const stop = new AbortController();
      const write = sink.write(finding, { signal: stop.signal });
      stop.abort(new Error("shutting down"));
      await expect(write).rejects.toThrow("shutting down");
    });
  });
});

describe("webhook_sink parameters", () => {
  const issues = (input: unknown): string[] | undefined => webhookSinkType.params.safeParse(input).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

  it("takes Robusta's keys with Robusta's defaults", () => {
    expect(webhookSinkType.params.parse({ name: "hook", url: "https://hooks.example.com/x" })).toMatchObject({
      name: "hook",
      default: true,
      url: "https://hooks.example.com/x",
      format: "text",
      size_limit: 4096,
      slack_webhook: false,
      headers: {},
    });
  });

  it("refuses what it cannot send, naming the key", () => {
    expect(issues({ name: "hook" })?.[0]).toMatch(/^url: /);
    expect(issues({ name: "hook", url: "ftp://example.com/x" })).toEqual(["url: must be an http:// or https:// URL"]);
    expect(issues({ name: "hook", url: "http://x.example.com", format: "xml" })?.[0]).toMatch(/^format: /);
    expect(issues({ name: "hook", url: "http://x.example.com", size_limit: 10 })?.[0]).toMatch(/^size_limit: /);
    expect(issues({ name: "hook", url: "http://x.example.com", headers: { "bad header": "x", "X-Ok": "a\r\nInjected: yes" } })).toEqual([
      "headers.bad header: is not a valid header name",
      "headers.X-Ok: must not contain line breaks",
    ]);
    const badToken = issues({ name: "hook", url: "http://x.example.com", authorization: "Bearer s3cr3t\nX: y" });
    expect(badToken).toEqual(["authorization: must not contain line breaks"]);
    expect(issues({ name: "hook", url: "http://x.example.com", sizeLimit: 10 })?.[0]).toMatch(/sizeLimit/);
  });

  it("builds a sink with the shared settings, and warns when slack_webhook cannot apply", () => {
    const logger = new MemoryLogger();
    const params = webhookSinkType.params.parse({ name: "hook", default: false, url: "http://x.example.com", slack_webhook: true, stop: true });
    const sink = webhookSinkType.create(params, { clusterName: "c1", globalConfig: {}, logger });
    expect(sink).toMatchObject({ name: "hook", isDefault: false, routing: { stop: true } });
    expect(logger.entries.map((entry) => entry.message)).toEqual(["webhook_sink: slack_webhook only applies with format: json; sending text"]);
  });
});
