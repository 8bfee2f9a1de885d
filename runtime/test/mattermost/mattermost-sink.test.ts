import { binaryFile, createFinding, file, type FileBlock, type Finding } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeMattermost, type FakeMattermostOptions } from "../../../test/fakes/mattermost.js";
import { mattermostSinkType, MattermostSink, renderMattermostPost } from "../../src/sinks/mattermost/index.js";
import { sampleFinding } from "../webhook/sample-finding.js";
import { failureOf, sinkBase } from "../sinks-common/support.js";

const TOKEN = "s3cr3t-bot-token";
const base = sinkBase("mm");

let fake: FakeMattermost;
let logger: MemoryLogger;

async function startFake(options: FakeMattermostOptions = {}): Promise<void> {
  await fake?.close();
  fake = await FakeMattermost.start({ token: TOKEN, ...options });
}
beforeEach(async () => {
  logger = new MemoryLogger();
  await startFake();
});
afterEach(async () => {
  await fake.close();
});

/** A sink on the fake, with `params` as a mattermost_sink entry would give them. */
function sinkFor(params: Record<string, unknown> = {}, now?: () => number): MattermostSink {
  const parsed = mattermostSinkType.params.parse({ name: "mm", url: fake.url, token: TOKEN, token_id: "tok-id", channel: "alerts", ...params });
  return new MattermostSink(base, parsed, { clusterName: "prod-eu", logger, ...(now && { now }) });
}

const plain = (title = "Disk full"): Finding => createFinding({ title, aggregationKey: "DiskFull" });
const withFiles = (...blocks: FileBlock[]): Finding => createFinding({ title: "Logs", aggregationKey: "Logs", enrichments: [{ annotations: {}, blocks }] });

describe("mattermost sink", () => {
  it("looks the channel up by name in the bot's teams, uploads the files and posts with them attached", async () => {
    const finding = sampleFinding();
    await sinkFor().write(finding);
    expect(fake.callLines).toEqual(["GET /users/me/teams", "GET /teams/team-eng-id/channels/name/alerts", "POST /files", "POST /posts"]);
    expect(fake.calls.every((call) => call.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(fake.files).toMatchObject([{ channelId: "chan-alerts-id", name: "web-0.log", contentType: "text/plain; charset=utf-8" }]);
    expect(fake.files[0]!.contents.toString("utf8")).toBe("boom\n");
    const [post] = fake.posts;
    expect(post).toEqual({ id: post!.id, channel_id: "chan-alerts-id", file_ids: [fake.files[0]!.id], ...renderMattermostPost(finding, { clusterName: "prod-eu" }) });
  });

  it("remembers the channel: later findings are posted at once", async () => {
    const sink = sinkFor();
    await sink.write(plain("one"));
    await sink.write(plain("two"));
    expect(fake.callLines).toEqual(["GET /users/me/teams", "GET /teams/team-eng-id/channels/name/alerts", "POST /posts", "POST /posts"]);
    expect(fake.posts.map((post) => post.message)).toEqual(["🔥 firing - :large_green_circle: INFO - **one**", "🔥 firing - :large_green_circle: INFO - **two**"]);
  });

  it("finds a channel by its display name, and only in the team named", async () => {
    await startFake({
      teams: [
        { id: "t-ops", name: "ops", display_name: "Ops", channels: [{ id: "c-ops-alerts", name: "alerts-prod", display_name: "Alerts Prod", type: "O" }] },
        { id: "t-dev", name: "dev", display_name: "Dev", channels: [{ id: "c-dev-alerts", name: "alerts-prod", display_name: "Alerts Prod", type: "O" }] },
      ],
    });
    await sinkFor({ channel: "Alerts Prod", team: "Dev" }).write(plain());
    expect(fake.callLines).toEqual(["GET /users/me/teams", "GET /teams/t-dev/channels/name/alerts prod", "POST /teams/t-dev/channels/search", "POST /posts"]);
    expect(fake.posts[0]!.channel_id).toBe("c-dev-alerts");
  });

  it("finds a private channel the bot is in by name", async () => {
    await startFake({ teams: [{ id: "t1", name: "eng", display_name: "Eng", channels: [{ id: "c-private", name: "oncall", display_name: "On-call", type: "P" }] }] });
    await sinkFor({ channel: "~oncall" }).write(plain());
    expect(fake.posts[0]!.channel_id).toBe("c-private");
  });

  it("fails for good, naming the channel, when there is no such channel; and looks again for the next finding", async () => {
    const sink = sinkFor({ channel: "nope" });
    const error = await failureOf(sink.write(plain()));
    expect(error).toMatchObject({ retryable: false, status: 404 });
    expect(error.message).toBe('Mattermost channel "nope" not found in team eng (by name or display name); for a private channel, add the bot to it');
    await failureOf(sink.write(plain()));
    expect(fake.callLines.filter((line) => line === "GET /users/me/teams")).toHaveLength(2);
  });

  it("fails for good when the bot is not in the team named", async () => {
    const error = await failureOf(sinkFor({ team: "sales" }).write(plain()));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toBe('The Mattermost bot is not a member of team "sales" (its teams: eng)');
  });

  it("fails for good on a bad token, with Mattermost's message and never the token", async () => {
    const error = await failureOf(sinkFor({ token: "wrong-token" }).write(plain()));
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toBe("Mattermost answered 401: Invalid or expired session, please login again. (api.context.session_expired.app_error)");
    expect(error.message).not.toContain("wrong-token");
  });

  it("fails for good, saying to add the bot, when the bot is not a member of a public channel", async () => {
    await startFake({ teams: [{ id: "t1", name: "eng", display_name: "Eng", channels: [{ id: "c-pub", name: "alerts", display_name: "Alerts", type: "O", member: false }] }] });
    const error = await failureOf(sinkFor().write(withFiles(file("a.log", "a\n"))));
    expect(error).toMatchObject({ retryable: false, status: 403 });
    expect(error.message).toBe(
      "Mattermost answered 403: You do not have the appropriate permissions. (api.context.permissions.app_error); add the bot to the channel (bots may only post in channels they are members of)",
    );
    expect(fake.callLines.slice(-2)).toEqual(["POST /files", "POST /posts"]);
    expect(fake.posts).toEqual([]);
  });

  it("does not post twice when the post's answer was lost and the post is retried", async () => {
    const sink = sinkFor();
    const finding = plain("once");
    fake.failNext(1, { status: 504, path: "/posts", afterCreate: true });
    expect(await failureOf(sink.write(finding))).toMatchObject({ retryable: true, status: 504 });
    await sink.write(finding);
    expect(fake.callLines.filter((line) => line === "POST /posts")).toHaveLength(2);
    expect(fake.posts.map((post) => post.message)).toEqual(["🔥 firing - :large_green_circle: INFO - **once**"]);
    // Another finding with the same content is another post.
    await sink.write(plain("once"));
    expect(fake.posts).toHaveLength(2);
  });

  it("fails for good when the bot may not post in the channel (403)", async () => {
    const sink = sinkFor();
    await sink.write(plain());
    fake.failNext(1, { status: 403, id: "api.context.permissions.app_error", message: "You do not have the appropriate permissions." });
    const error = await failureOf(sink.write(plain()));
    expect(error).toMatchObject({ retryable: false, status: 403 });
    expect(error.message).toContain("You do not have the appropriate permissions. (api.context.permissions.app_error)");
  });

  it("retries a rate limit after Retry-After, or after X-Ratelimit-Reset when that is all it says", async () => {
    const sink = sinkFor({}, () => Date.UTC(2026, 0, 1));
    fake.failNext(1, { status: 429, retryAfter: "3", rateLimitReset: "3" });
    const limited = await failureOf(sink.write(plain()));
    expect(limited).toMatchObject({ retryable: true, status: 429, retryAfterMs: 3000 });
    expect(limited.message).toBe("Mattermost answered 429: limit exceeded");
    fake.failNext(1, { status: 429, rateLimitReset: "2" });
    expect(await failureOf(sink.write(plain()))).toMatchObject({ retryable: true, retryAfterMs: 2000 });
    fake.failNext(1, { status: 429, rateLimitReset: String(Date.UTC(2026, 0, 1, 0, 0, 5) / 1000) });
    expect(await failureOf(sink.write(plain()))).toMatchObject({ retryable: true, retryAfterMs: 5000 });
    await sink.write(plain());
    expect(fake.posts).toHaveLength(1);
  });

  it("retries server errors", async () => {
    fake.failNext(1, { status: 503 });
    const error = await failureOf(sinkFor().write(plain()));
    expect(error).toMatchObject({ retryable: true, status: 503 });
    expect(error.message).toBe("Mattermost answered 503: An internal error occurred. (api.context.500.app_error)");
  });

  it("does not upload the files again when the post is retried", async () => {
    const sink = sinkFor();
    const finding = withFiles(file("a.log", "a\n"), file("b.log", "b\n"));
    fake.failNext(1, { status: 502, path: "/posts" });
    expect(await failureOf(sink.write(finding))).toMatchObject({ retryable: true, status: 502 });
    await sink.write(finding);
    expect(fake.files.map((f) => f.name)).toEqual(["a.log", "b.log"]);
    expect(fake.posts[0]!.file_ids).toEqual(fake.files.map((f) => f.id));
  });

  it("attaches at most 10 files and says which were left out", async () => {
    const files = Array.from({ length: 12 }, (_, i) => file(`f${i + 1}.log`, `line ${i + 1}\n`));
    await sinkFor().write(withFiles(...files));
    const [post] = fake.posts;
    expect(post!.file_ids).toHaveLength(10);
    expect(fake.files.map((f) => f.name)).toEqual(files.slice(0, 10).map((f) => f.filename));
    const text = post!.props.attachments![0]!.text;
    expect(text).toContain("📎 **f11.log** was not attached: a post takes at most 10 files\n📎 **f12.log** was not attached: a post takes at most 10 files");
  });

  it("does not upload a file over Mattermost's default 100 MB limit, saying so in the post", async () => {
    const huge = binaryFile("heap.bin", new Uint8Array(100 * 1024 * 1024 + 1));
    await sinkFor().write(withFiles(huge));
    expect(fake.files).toHaveLength(0);
    expect(fake.posts[0]!.file_ids).toEqual([]);
    expect(fake.posts[0]!.props.attachments![0]!.text).toContain("📎 **heap.bin** was not attached: it is over Mattermost's 100 MB file limit");
  });

  it("leaves out a file the server refuses as too large, saying Mattermost's words in the post", async () => {
    await startFake({ maxFileBytes: 1024 });
    await sinkFor().write(withFiles(binaryFile("heap.bin", new Uint8Array(2048)), file("ok.log", "fine\n")));
    const [post] = fake.posts;
    expect(post!.file_ids).toHaveLength(1);
    expect(fake.files.map((f) => f.name)).toEqual(["ok.log"]);
    expect(post!.props.attachments![0]!.text).toContain(
      "📎 **heap.bin** was not attached: Mattermost answered 413: Unable to upload file heap.bin. 2048 bytes exceeds the maximum allowed 1024 bytes. (api.file.upload\\_file.too\\_large\\_detailed.app\\_error)",
    );
    expect(logger.entries.map((entry) => entry.level)).toContain("warn");
  });
});

describe("mattermost_sink parameters", () => {
  const issues = (input: unknown): string[] | undefined =>
    mattermostSinkType.params.safeParse(input).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

  it("takes Robusta's keys", () => {
    const params = { name: "mm", url: "https://chat.example.com", token: "t", token_id: "id", channel: "alerts", team: "eng" };
    expect(mattermostSinkType.params.parse(params)).toMatchObject({ ...params, default: true });
    expect(mattermostSinkType.params.parse({ name: "mm", url: "https://chat.example.com", token: "t", channel: "alerts" }).team).toBeUndefined();
  });

  it("refuses what it cannot use, naming the key", () => {
    expect(issues({ name: "mm", url: "chat.example.com", token: "t", channel: "a" })).toEqual([
      "url: must be the Mattermost server's http:// or https:// URL, e.g. https://chat.example.com",
    ]);
    expect(issues({ name: "mm", url: "https://chat.example.com", token: "", channel: "" })).toEqual([
      "token: must be the bot's access token",
      "channel: must name the channel findings go to",
    ]);
    expect(issues({ name: "mm", url: "https://chat.example.com", token: "t", channel: "a", http_schema: "https" })?.[0]).toMatch(/http_schema/);
  });

  it("builds a sink with the shared settings", () => {
    const params = mattermostSinkType.params.parse({ name: "mm", default: false, url: "https://chat.example.com", token: "t", channel: "a", stop: true });
    const sink = mattermostSinkType.create(params, { clusterName: "c1", globalConfig: {}, logger: new MemoryLogger() });
    expect(sink).toMatchObject({ name: "mm", isDefault: false, routing: { stop: true } });
  });
});
