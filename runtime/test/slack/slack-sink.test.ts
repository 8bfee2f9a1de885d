import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFinding, file, markdown, type Finding, type FindingInit } from "@robusta-ts/sdk";
import { DeliveryError } from "../../src/delivery/delivery-error.js";
import { Pacer } from "../../src/delivery/pacer.js";
import type { GroupSummary } from "../../src/sinks/sink.js";
import { slackSinkType } from "../../src/sinks/slack/index.js";
import { startHarness, type Harness } from "./slack-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const LOG = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n");

function crashFinding(init: Partial<FindingInit> = {}): Finding {
  return createFinding({
    title: "Crashing pod web-0",
    aggregationKey: "CrashLoopBackoff",
    severity: "HIGH",
    source: "KUBERNETES_API_SERVER",
    subject: { name: "web-0", namespace: "shop", subjectType: "pod" },
    enrichments: [{ title: "Logs", annotations: {}, blocks: [markdown("The container keeps exiting."), file("web-0.log", LOG)] }],
    ...init,
  });
}

const sectionTexts = (blocks: readonly unknown[]): string[] =>
  blocks.flatMap((b) => {
    const block = b as { type: string; text?: { text: string } };
    return block.type === "section" && block.text ? [block.text.text] : [];
  });

describe("slack_sink: posting", () => {
  it("uploads a finding's file by the external upload flow and links it from the message", async () => {
    const ref = await h.sink().write(crashFinding());

    expect(h.fake.calls.map((c) => c.method)).toEqual(["files.getUploadURLExternal", "files.completeUploadExternal", "chat.postMessage"]);
    const [getUrl, complete] = [h.fake.callsTo("files.getUploadURLExternal")[0]!, h.fake.callsTo("files.completeUploadExternal")[0]!];
    expect(getUrl.args.filename).toBe("web-0.log");
    expect(Number(getUrl.args.length)).toBe(Buffer.byteLength(LOG));
    // Completed without a channel: the file is not posted on its own, only linked.
    expect(complete.args.channel_id).toBeUndefined();
    const [uploaded] = [...h.fake.files.values()];
    expect(uploaded!.content?.toString("utf8")).toBe(LOG);
    expect(h.fake.uploadRequests).toEqual([uploaded!.id]);

    const message = h.fake.message("C0ALERTS", ref.id)!;
    expect(ref).toEqual({ channel: "C0ALERTS", id: message.ts });
    const link = `• <${uploaded!.permalink}|web-0.log>`;
    expect(message.text).toContain(link);
    expect(sectionTexts(message.blocks).some((text) => text.includes(link))).toBe(true);
    expect(sectionTexts(message.blocks).join("\n")).toContain("Crashing pod web-0");
  });

  it("asks files.info for the permalink when the upload's completion does not carry it", async () => {
    h.fake.minimalCompleteResponse = true;
    const ref = await h.sink().write(crashFinding());

    const [uploaded] = [...h.fake.files.values()];
    expect(h.fake.callsTo("files.info")).toHaveLength(1);
    expect(h.fake.message(ref.channel, ref.id)!.text).toContain(`• <${uploaded!.permalink}|web-0.log>`);
  });

  it("does not upload a file again when the post is retried", async () => {
    const sink = h.sink();
    const finding = crashFinding();
    h.fake.failNext("chat.postMessage", { status: 503 });

    await expect(sink.write(finding)).rejects.toMatchObject({ retryable: true, status: 503 });
    await sink.write(finding);

    expect(h.fake.callsTo("files.getUploadURLExternal")).toHaveLength(1);
    expect(h.fake.uploadRequests).toHaveLength(1);
    expect(h.fake.channelMessages("C0ALERTS")).toHaveLength(1);
  });

  it("says in the message that a file could not be uploaded, and still posts it", async () => {
    h.fake.failNext("files.completeUploadExternal", { error: "file_not_found" });

    const ref = await h.sink().write(crashFinding());

    const message = h.fake.message(ref.channel, ref.id)!;
    expect(sectionTexts(message.blocks).join("\n")).toContain("⚠️ Could not upload web-0.log: Slack files.completeUploadExternal failed: file_not_found");
    expect(message.text).not.toContain("•");
  });

  it("sends no file links when a finding has no files, and passes unfurl and attachments on", async () => {
    const finding = createFinding({
      title: "Deployment changed",
      aggregationKey: "ConfigurationChange",
      enrichments: [
        { annotations: { unfurl: "false" }, blocks: [markdown("see https://example.com")] },
        { annotations: { attachment: "true" }, blocks: [markdown("alert labels here")] },
      ],
    });

    const ref = await h.sink().write(finding);

    expect(h.fake.callsTo("files.getUploadURLExternal")).toHaveLength(0);
    const message = h.fake.message(ref.channel, ref.id)!;
    expect(message).toMatchObject({ unfurlLinks: false, unfurlMedia: false });
    expect(message.attachments).toEqual([expect.objectContaining({ color: "#EF311F" })]);
    expect(JSON.stringify(message.attachments)).toContain("alert labels here");
  });
});

describe("slack_sink: channels", () => {
  it("picks the channel with channel_override, and falls back to slack_channel when the label is missing", async () => {
    const sink = h.sink({ channel_override: "$labels.env-alerts" });
    const prod = crashFinding({ subject: { name: "web-0", labels: { env: "prod" } } });
    const unlabelled = crashFinding();

    expect(sink.destination(prod)).toBe("prod-alerts");
    expect(sink.destination(unlabelled)).toBe("alerts");
    expect((await sink.write(prod)).channel).toBe("C0PROD");
    expect((await sink.write(unlabelled)).channel).toBe("C0ALERTS");
  });

  it("refuses a bad channel_override template in the config", () => {
    const parsed = slackSinkType.params.safeParse({ name: "s", api_key: "xoxb-1", slack_channel: "alerts", channel_override: "team" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["channel_override"]);
  });

  it("takes Robusta's keys with their defaults and refuses unknown ones", () => {
    const parsed = slackSinkType.params.parse({ name: "s", api_key: "xoxb-1", slack_channel: "#alerts" });
    expect(parsed).toMatchObject({ max_log_file_limit_kb: 1000, api_url: "https://slack.com/api/", default: true });
    expect(slackSinkType.params.safeParse({ name: "s", api_key: "xoxb-1", slack_channel: "a", slack_chanel: "b" }).success).toBe(false);
    expect(slackSinkType.params.safeParse({ name: "s", api_key: "xoxb-1", slack_channel: "a", app_token: "xoxb-2" }).success).toBe(false);
  });
});

describe("slack_sink: threads and summaries", () => {
  const summary = (firing: number, resolved: number): GroupSummary => ({
    groupedBy: [["namespace", "shop"]],
    columns: ["notification"],
    rows: [{ values: ["CrashLoopBackoff"], firing, resolved }],
    firing,
    resolved,
    since: "2026-01-01T00:00:00.000Z",
  });

  it("posts a summary, replies to it in its thread, and edits it with new counts", async () => {
    const sink = h.sink();
    const ref = await sink.threads.postSummary("alerts", summary(1, 0));
    const reply = await sink.write(crashFinding(), { thread: ref });
    await sink.threads.updateSummary(ref, summary(2, 1));

    expect(ref.channel).toBe("C0ALERTS");
    expect(h.fake.replies("C0ALERTS", ref.id).map((m) => m.ts)).toEqual([reply.id]);
    const posted = h.fake.message("C0ALERTS", ref.id)!;
    expect(posted.history).toHaveLength(1);
    expect(posted.history[0]!.text).toContain("1 firing, 0 resolved");
    expect(posted.text).toContain("2 firing, 1 resolved");
  });
});

describe("slack_sink: resolve updates", () => {
  const alert = (status: "firing" | "resolved") =>
    crashFinding({ source: "PROMETHEUS", status, fingerprint: "fp-1", enrichments: [], ...(status === "resolved" && { endsAt: "2026-01-01T00:05:00.000Z" }) });

  it("edits the firing message to say it resolved and posts the resolve in its thread", async () => {
    const sink = h.sink();
    const firing = await sink.write(alert("firing"));
    const resolved = await sink.write(alert("resolved"));

    const original = h.fake.message("C0ALERTS", firing.id)!;
    expect(original.history).toHaveLength(1);
    expect(original.history[0]!.text).toContain("Firing");
    expect(original.text).toContain("Resolved");
    expect(sectionTexts(original.blocks)[0]).toContain("Prometheus resolved");
    expect(h.fake.replies("C0ALERTS", firing.id).map((m) => m.ts)).toEqual([resolved.id]);
    expect(h.fake.channelMessages("C0ALERTS")).toHaveLength(1);
  });

  it("posts a resolve on its own when no firing message is remembered", async () => {
    const sink = h.sink();
    await sink.write(alert("resolved"));
    expect(h.fake.callsTo("chat.update")).toHaveLength(0);
    expect(h.fake.channelMessages("C0ALERTS")).toHaveLength(1);
  });

  it("posts the resolve on its own when the firing message is gone", async () => {
    const sink = h.sink();
    const firing = await sink.write(alert("firing"));
    h.fake.failNext("chat.update", { error: "message_not_found" });

    const resolved = await sink.write(alert("resolved"));

    expect(h.fake.replies("C0ALERTS", firing.id)).toHaveLength(0);
    expect(h.fake.channelMessages("C0ALERTS").map((m) => m.ts)).toEqual([firing.id, resolved.id]);
  });

  it("retries a resolve whose reply failed without losing the original", async () => {
    const sink = h.sink();
    const firing = await sink.write(alert("firing"));
    h.fake.failNext("chat.postMessage", { error: "ratelimited" });

    await expect(sink.write(alert("resolved"))).rejects.toMatchObject({ retryable: true });
    await sink.write(alert("resolved"));

    expect(h.fake.replies("C0ALERTS", firing.id)).toHaveLength(1);
  });
});

describe("slack_sink: pacing", () => {
  it("spaces posts to one channel a second apart, so Slack never answers 429", async () => {
    const sink = h.sink();
    for (const n of [1, 2, 3]) await sink.write(crashFinding({ title: `alert ${n}`, enrichments: [] }));

    const posts = h.fake.callsTo("chat.postMessage");
    expect(posts).toHaveLength(3);
    expect(posts.every((call) => call.status === 200)).toBe(true);
    const times = posts.map((call) => call.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it("does not hold one channel's posts up for another's", async () => {
    const sink = h.sink({ channel_override: "labels.channel" });
    const start = h.clock.now();
    await sink.write(crashFinding({ enrichments: [], subject: { labels: { channel: "alerts" } } }));
    await sink.write(crashFinding({ enrichments: [], subject: { labels: { channel: "ops" } } }));
    expect(h.fake.callsTo("chat.postMessage").map((c) => c.at - start)).toEqual([0, 0]);
  });

  it("turns Slack's per-channel 429 into a retryable error with its Retry-After when posting too fast", async () => {
    const sink = h.sink({}, { pacer: new Pacer({ perSecond: 1000, clock: h.clock }) });
    await sink.write(crashFinding({ enrichments: [] }));
    const error = await sink.write(crashFinding({ enrichments: [] })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 1000 });
  });
});
