import { binaryFile, createFinding, type Finding } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeZulip, zulipRateLimit } from "../../../test/fakes/zulip.js";
import { sinksConfigSchema } from "../../src/sinks/sinks-config.js";
import { renderZulipContent, ZulipSink, zulipSinkType, type ZulipSinkOptions } from "../../src/sinks/zulip/index.js";
import { sampleFinding } from "../webhook/sample-finding.js";
import { failureOf, sinkBase } from "../sinks-common/support.js";

const EMAIL = "robusta-bot@example.zulipchat.com";
const KEY = "s3cr3tZulipKey";
const base = sinkBase("zulip");

let zulip: FakeZulip;
let logger: MemoryLogger;
beforeEach(async () => {
  zulip = await FakeZulip.start({ email: EMAIL, apiKey: KEY, streams: ["Monitoring", "alerts", "2024"] });
  logger = new MemoryLogger();
});
afterEach(async () => {
  await zulip.close();
});

function sinkFor(params: Record<string, unknown> = {}, options: Partial<ZulipSinkOptions> = {}): ZulipSink {
  const parsed = zulipSinkType.params.parse({ name: "zulip", api_url: `${zulip.url}/`, bot_email: EMAIL, bot_api_key: KEY, ...params });
  return new ZulipSink(base, parsed, { clusterName: "prod-eu", logger, ...options });
}

const withGraph = (): Finding =>
  createFinding({
    title: "CPU high",
    aggregationKey: "CPUThrottlingHigh",
    source: "PROMETHEUS",
    subject: { labels: { team: "payments" }, annotations: {} },
    enrichments: [{ annotations: {}, blocks: [binaryFile("cpu.png", new Uint8Array([137, 80, 78, 71])), binaryFile("mem.png", new Uint8Array([1]))] }],
  });

describe("zulip sink", () => {
  it("posts the message to the stream and topic as the bot, untouched by the server", async () => {
    const finding = sampleFinding();
    await sinkFor().write(finding);
    expect(zulip.messages).toHaveLength(1);
    expect(zulip.messages[0]).toMatchObject({
      sender: EMAIL,
      stream: "Monitoring",
      topic: "Robusta",
      content: renderZulipContent(finding, { clusterName: "prod-eu", logPreviewChars: 500, uploads: new Map() }),
      truncatedByServer: false,
    });
    expect(zulip.uploads).toEqual([]);
  });

  it("puts each finding in the topic topic_override gives it, and says so as its destination", async () => {
    const sink = sinkFor({ stream_name: "alerts", topic_override: "$cluster_name-${labels.team}" });
    const finding = withGraph();
    expect(sink.destination(finding)).toBe("alerts > prod-eu-payments");
    expect(sink.destination(sampleFinding())).toBe("alerts > Robusta");
    await sink.write(finding);
    expect(zulip.messages[0]).toMatchObject({ stream: "alerts", topic: "prod-eu-payments" });
  });

  it("names the stream so that a name made of digits is not read as a stream id", async () => {
    await sinkFor({ stream_name: "2024" }).write(sampleFinding());
    expect(zulip.messages[0]!.stream).toBe("2024");
  });

  it("cuts long topics to 60 characters itself, so the server truncates nothing", async () => {
    await sinkFor({ topic_name: "t".repeat(80) }).write(sampleFinding());
    expect(zulip.messages[0]).toMatchObject({ topic: `${"t".repeat(59)}…`, truncatedByServer: false });
  });

  it("uploads files first and links them in the message", async () => {
    await sinkFor().write(withGraph());
    expect(zulip.uploads.map((upload) => [upload.filename, upload.contentType, [...upload.bytes]])).toEqual([
      ["cpu.png", "image/png", [137, 80, 78, 71]],
      ["mem.png", "image/png", [1]],
    ]);
    for (const upload of zulip.uploads) expect(zulip.messages[0]!.content).toContain(`(${upload.url})`);
  });

  it("says in the message which file could not be uploaded, and still posts it", async () => {
    zulip.failNext(1, { status: 400, body: { result: "error", msg: "Uploaded file is larger than the allowed limit of 25 MiB", code: "BAD_REQUEST" } }, (r) => r.fields.filename === "cpu.png");
    await sinkFor().write(withGraph());
    const { content } = zulip.messages[0]!;
    expect(content).toContain("📎 cpu.png could not be uploaded: Zulip user\\_uploads answered 400: Uploaded file is larger than the allowed limit of 25 MiB (BAD\\_REQUEST)");
    expect(content).toContain(`📎 [mem.png](${zulip.uploads[0]!.url})`);
    expect(logger.entries.map((entry) => [entry.message, entry.fields.file])).toEqual([["Zulip file upload failed; the message says so instead", "cpu.png"]]);
  });

  it("waits out a rate-limited upload, and the retry does not upload again what was uploaded", async () => {
    zulip.failNext(1, zulipRateLimit(2.5), (r) => r.fields.filename === "mem.png");
    const sink = sinkFor();
    const finding = withGraph();
    const error = await failureOf(sink.write(finding));
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2500, message: "Zulip user_uploads answered 429: API usage exceeded rate limit (RATE_LIMIT_HIT)" });
    await sink.write(finding);
    expect(zulip.calls.map((call) => [call.endpoint, call.fields.filename, call.status].filter(Boolean).join(" "))).toEqual([
      "user_uploads cpu.png 200",
      "user_uploads mem.png 429",
      "user_uploads mem.png 200",
      "messages 200",
    ]);
    expect(zulip.uploads).toHaveLength(2);
  });

  it("retries the finding when an upload fails for a while (5xx), rather than posting without the file", async () => {
    zulip.failNext(1, { status: 502, body: { result: "error", msg: "Bad gateway" } }, (r) => r.fields.filename === "mem.png");
    const sink = sinkFor();
    const finding = withGraph();
    expect(await failureOf(sink.write(finding))).toMatchObject({ retryable: true, status: 502 });
    expect(zulip.messages).toEqual([]);
    await sink.write(finding);
    expect(zulip.uploads.map((upload) => upload.filename)).toEqual(["cpu.png", "mem.png"]);
    expect(zulip.messages[0]!.content).not.toContain("could not be uploaded");
    expect(zulip.messages[0]!.content).toContain(`📎 [mem.png](${zulip.uploads[1]!.url})`);
  });

  it("takes the wait from the body's retry-after when there is no Retry-After header", async () => {
    zulip.failNext(1, { status: 429, body: zulipRateLimit(0.25).body });
    expect(await failureOf(sinkFor().write(sampleFinding()))).toMatchObject({ retryable: true, status: 429, retryAfterMs: 250 });
  });

  it("gives up on Zulip's 4xx with its message and code, retries 5xx", async () => {
    const missing = await failureOf(sinkFor({ stream_name: "nope" }).write(sampleFinding()));
    expect(missing).toMatchObject({ retryable: false, status: 400, message: "Zulip messages answered 400: Channel 'nope' does not exist (STREAM_DOES_NOT_EXIST)" });

    zulip.failNext(1, { status: 502, body: { result: "error", msg: "Bad gateway" } });
    expect(await failureOf(sinkFor().write(sampleFinding()))).toMatchObject({ retryable: true, status: 502, message: "Zulip messages answered 502: Bad gateway" });
  });

  it("never puts the API key in an error", async () => {
    const error = await failureOf(sinkFor({ bot_api_key: "wrongKey123" }).write(sampleFinding()));
    expect(error).toMatchObject({ retryable: false, status: 401, message: "Zulip messages answered 401: Invalid API key (INVALID_API_KEY); check bot_email and bot_api_key" });
    expect(error.message).not.toContain("wrongKey123");

    const sink = sinkFor();
    await zulip.close();
    const unreachable = await failureOf(sink.write(sampleFinding()));
    expect(unreachable.retryable).toBe(true);
    expect(unreachable.message).toMatch(/^Zulip could not be reached: fetch failed/);
    expect(`${unreachable.message} ${String(unreachable.cause)}`).not.toContain(KEY);
    zulip = await FakeZulip.start({ email: EMAIL, apiKey: KEY, streams: [] }); // for afterEach
  });
});

describe("zulip_sink parameters", () => {
  const issues = (input: unknown): string[] | undefined => zulipSinkType.params.safeParse(input).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  const required = { name: "z", api_url: "https://example.zulipchat.com", bot_email: EMAIL, bot_api_key: KEY };

  it("takes Robusta's keys with Robusta's defaults", () => {
    expect(zulipSinkType.params.parse(required)).toMatchObject({ ...required, stream_name: "Monitoring", topic_name: "Robusta", log_preview_char_limit: 500 });
  });

  it("refuses what it cannot send, naming the key", () => {
    const missing = sinksConfigSchema.safeParse([{ zulip_sink: { name: "z", api_url: "https://x.example.com", bot_email: EMAIL } }]).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    expect(missing).toEqual(["0.zulip_sink.bot_api_key: required (string)"]);
    expect(issues({ ...required, api_url: "example.zulipchat.com" })).toEqual(["api_url: must be an http:// or https:// URL"]);
    expect(issues({ ...required, bot_email: "robusta-bot" })).toEqual(["bot_email: must be the bot's email address"]);
    expect(issues({ ...required, topic_override: "team" })).toEqual([
      "topic_override: must be 'cluster_name', 'labels.foo' or 'annotations.foo', or contain '$cluster_name', '$labels.foo' or '${annotations.foo}'",
    ]);
    expect(issues({ ...required, stream_name: "s".repeat(61) })).toEqual(["stream_name: must be at most 60 characters (Zulip's limit)"]);
    expect(issues({ ...required, log_preview_char_limit: -1 })?.[0]).toMatch(/^log_preview_char_limit: /);
    expect(issues({ ...required, topicName: "x" })?.[0]).toMatch(/topicName/);
  });

  it("builds a sink with the shared settings", () => {
    const params = zulipSinkType.params.parse({ ...required, default: false, stop: true });
    expect(zulipSinkType.create(params, { clusterName: "c", globalConfig: {}, logger })).toMatchObject({ name: "z", isDefault: false, routing: { stop: true } });
  });
});
