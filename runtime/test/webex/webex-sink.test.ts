import { binaryFile, createFinding, file, type FileBlock, type Finding } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeWebex, type FakeWebexOptions } from "../../../test/fakes/webex.js";
import { renderWebexMarkdown, webexSinkType, WebexSink } from "../../src/sinks/webex/index.js";
import { sampleFinding } from "../webhook/sample-finding.js";
import { failureOf, sinkBase } from "../sinks-common/support.js";

const TOKEN = "s3cr3t-webex-token";
const base = sinkBase("webex");

let fake: FakeWebex;
let logger: MemoryLogger;

async function startFake(options: FakeWebexOptions = {}): Promise<void> {
  await fake?.close();
  fake = await FakeWebex.start({ token: TOKEN, rooms: ["room-default", "room-team-a"], ...options });
}
beforeEach(async () => {
  logger = new MemoryLogger();
  await startFake();
});
afterEach(async () => {
  await fake.close();
});

/** A sink on the fake, with `params` as a webex_sink entry would give them. */
function sinkFor(params: Record<string, unknown> = {}, now?: () => number): WebexSink {
  const parsed = webexSinkType.params.parse({ name: "webex", bot_access_token: TOKEN, room_id: "room-default", api_url: fake.url, ...params });
  return new WebexSink(base, parsed, { clusterName: "prod-eu", logger, ...(now && { now }) });
}

const plain = (labels: Record<string, string> = {}): Finding => createFinding({ title: "Disk full", aggregationKey: "DiskFull", subject: { name: "db-0", labels } });
const withFiles = (...blocks: FileBlock[]): Finding => createFinding({ title: "Logs", aggregationKey: "Logs", enrichments: [{ annotations: {}, blocks }] });

describe("webex sink", () => {
  it("posts the markdown message to the room, then each file in a message of its own", async () => {
    const finding = sampleFinding();
    await sinkFor().write(finding);
    expect(fake.calls.map((call) => `${call.method} ${call.path} ${call.kind} ${call.status}`)).toEqual(["POST /v1/messages json 200", "POST /v1/messages multipart 200"]);
    expect(fake.calls.every((call) => call.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const [message, attachment] = fake.messages;
    expect(message).toEqual({ id: message!.id, roomId: "room-default", markdown: renderWebexMarkdown(finding, { clusterName: "prod-eu" }) });
    expect(attachment).toMatchObject({ roomId: "room-default", file: { name: "web-0.log", contentType: "text/plain; charset=utf-8" } });
    expect(attachment!.file!.contents.toString("utf8")).toBe("boom\n");
    expect(attachment!.markdown).toBeUndefined();
  });

  it("picks the room with room_id_override, and falls back to room_id when the label is missing", async () => {
    const sink = sinkFor({ room_id_override: "labels.webex-room" });
    expect(sink.destination(plain({ "webex-room": "room-team-a" }))).toBe("room-team-a");
    expect(sink.destination(plain())).toBe("room-default");
    // In a template, a key with "-" is read whole only in braces.
    expect(sinkFor({ room_id_override: "${labels.webex-room}" }).destination(plain({ "webex-room": "room-team-a" }))).toBe("room-team-a");
    expect(sinkFor({ room_id_override: "$labels.webex-room" }).destination(plain({ "webex-room": "room-team-a" }))).toBe("room-default");
    await sink.write(plain({ "webex-room": "room-team-a" }));
    await sink.write(plain());
    expect(fake.messages.map((message) => message.roomId)).toEqual(["room-team-a", "room-default"]);
  });

  it("drops a finding whose override does not resolve when send_to_default_if_missing is off", async () => {
    const sink = sinkFor({ room_id_override: "$labels.team", send_to_default_if_missing: false });
    await sink.write(plain());
    expect(fake.calls).toHaveLength(0);
    await sink.write(plain({ team: "room-team-a" }));
    expect(fake.messages.map((message) => message.roomId)).toEqual(["room-team-a"]);
  });

  it("fails for good on a room the bot is not in, with Webex's message and tracking id", async () => {
    const error = await failureOf(sinkFor({ room_id: "room-elsewhere" }).write(plain()));
    expect(error).toMatchObject({ retryable: false, status: 404 });
    expect(error.message).toMatch(/^Webex answered 404: Could not find a room with provided ID\. \(trackingId ROUTER_[0-9A-F-]+\)$/);
  });

  it("fails for good on a bad token, never saying the token", async () => {
    const error = await failureOf(sinkFor({ bot_access_token: "wrong-s3cr3t" }).write(plain()));
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toContain("The request requires a valid access token set in the Authorization request header.");
    expect(error.message).not.toContain("s3cr3t");
  });

  it("retries a rate limit after Retry-After, and server errors", async () => {
    const sink = sinkFor();
    fake.failNext(1, { status: 429, retryAfter: "12", message: "Too Many Requests" });
    const limited = await failureOf(sink.write(plain()));
    expect(limited).toMatchObject({ retryable: true, status: 429, retryAfterMs: 12_000 });
    expect(limited.message).toMatch(/^Webex answered 429: Too Many Requests \(trackingId /);
    fake.failNext(1, { status: 503 });
    expect(await failureOf(sink.write(plain()))).toMatchObject({ retryable: true, status: 503 });
    fake.failNext(1, { status: 423, retryAfter: "1" });
    expect(await failureOf(sink.write(plain()))).toMatchObject({ retryable: true, status: 423, retryAfterMs: 1000 });
    await sink.write(plain());
    expect(fake.messages).toHaveLength(1);
  });

  it("does not send the message again when a file failed and the finding is retried", async () => {
    const sink = sinkFor();
    const finding = withFiles(file("a.log", "a\n"), file("b.log", "b\n"));
    fake.failNext(1, { status: 502 }, 2); // the message and a.log go; b.log fails
    expect(await failureOf(sink.write(finding))).toMatchObject({ retryable: true, status: 502 });
    await sink.write(finding);
    expect(fake.messages.map((message) => message.file?.name ?? "message")).toEqual(["message", "a.log", "b.log"]);
    // Once sent in full, the same finding written again is sent again.
    await sink.write(finding);
    expect(fake.messages).toHaveLength(6);
  });

  it("sends no file over 100 MB, saying so in the message; sends the rest", async () => {
    const huge = binaryFile("heap.bin", new Uint8Array(100 * 1024 * 1024 + 1));
    await sinkFor().write(withFiles(huge, file("ok.log", "ok\n")));
    expect(fake.messages.map((message) => message.file?.name ?? "message")).toEqual(["message", "ok.log"]);
    expect(fake.messages[0]!.markdown).toContain("📎 **heap.bin** was not sent: it is over Webex's 100 MB file limit");
  });

  it("goes on with the other files when Webex refuses one, and warns", async () => {
    await startFake({ rooms: ["room-default"], maxFileBytes: 1024 });
    await sinkFor().write(withFiles(binaryFile("big.bin", new Uint8Array(2048)), file("ok.log", "ok\n")));
    expect(fake.messages.map((message) => message.file?.name ?? "message")).toEqual(["message", "ok.log"]);
    expect(logger.entries.find((entry) => entry.level === "warn")).toMatchObject({ fields: { file: "big.bin", reason: expect.stringMatching(/^Webex answered 413: /) } });
  });
});

describe("webex_sink parameters", () => {
  const issues = (input: unknown): string[] | undefined => webexSinkType.params.safeParse(input).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

  it("takes Robusta's keys with Robusta's defaults", () => {
    expect(webexSinkType.params.parse({ name: "w", bot_access_token: "t", room_id: "r", room_id_override: "labels.room", disable_platform_links: true })).toMatchObject({
      room_id_override: "labels.room",
      send_to_default_if_missing: true,
      disable_platform_links: true,
      api_url: "https://webexapis.com",
    });
  });

  it("refuses what it cannot use, naming the key", () => {
    expect(issues({ name: "w", bot_access_token: "", room_id: "" })).toEqual([
      "bot_access_token: must be the bot's access token",
      "room_id: must be the id of the room (space) findings go to",
    ]);
    expect(issues({ name: "w", bot_access_token: "t", room_id: "r", room_id_override: "team" })?.[0]).toMatch(/^room_id_override: must be 'cluster_name', 'labels.foo'/);
    expect(issues({ name: "w", bot_access_token: "t", room_id: "r", namespace_room_id_override: "labels.room" })?.[0]).toMatch(/namespace_room_id_override/);
  });

  it("builds a sink with the shared settings", () => {
    const params = webexSinkType.params.parse({ name: "w", default: false, bot_access_token: "t", room_id: "r", stop: true });
    const sink = webexSinkType.create(params, { clusterName: "c1", globalConfig: {}, logger: new MemoryLogger() });
    expect(sink).toMatchObject({ name: "w", isDefault: false, routing: { stop: true } });
  });
});
