import { createFinding, markdown } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGoogleChat } from "../../../test/fakes/google-chat.js";
import { VirtualDeliveryClock } from "../../src/delivery/clock.js";
import { Pacer } from "../../src/delivery/pacer.js";
import { GoogleChatSink, googleChatSinkType, renderGoogleChatText, type GoogleChatSinkOptions } from "../../src/sinks/google-chat/index.js";
import { failureOf, sinkBase } from "../sinks-common/support.js";

let clock: VirtualDeliveryClock;
let chat: FakeGoogleChat;
beforeEach(async () => {
  clock = new VirtualDeliveryClock();
  chat = await FakeGoogleChat.start({ now: () => clock.now() });
});
afterEach(() => chat.close());

const base = sinkBase("chat");
const sink = (url = chat.webhookUrl(), options: Partial<GoogleChatSinkOptions> = {}) => new GoogleChatSink(base, { webhook_url: url }, { clusterName: "prod-eu", clock, ...options });
const crash = (status: "firing" | "resolved" = "firing", name = "api") =>
  createFinding({ title: `Pod ${name} crashed`, aggregationKey: "CrashLoopBackoff", status, subject: { name, namespace: "prod" }, enrichments: [{ annotations: {}, blocks: [markdown("exit code 1")] }] });

const secretsOf = (url: string) => {
  const { searchParams } = new URL(url);
  return [searchParams.get("key")!, searchParams.get("token")!];
};

describe("google_chat_sink", () => {
  it("posts the text with the finding's fingerprint as thread key, replying in its thread if there is one", async () => {
    const finding = crash();
    await sink().write(finding);
    const [call] = chat.calls;
    expect(call).toMatchObject({ space: "AAAAspace01", status: 200 });
    expect(call!.body).toEqual({ text: renderGoogleChatText(finding, "prod-eu"), thread: { threadKey: finding.fingerprint } });
    expect(call!.query.get("messageReplyOption")).toBe("REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD");
  });

  it("puts a resolved finding in the thread of its firing message, and another finding in its own", async () => {
    const chatSink = sink();
    await chatSink.write(crash("firing"));
    await chatSink.write(crash("firing", "web"));
    await chatSink.write(crash("resolved"));
    const [firing, other, resolved] = chat.messages();
    expect(resolved!.thread.name).toBe(firing!.thread.name);
    expect(other!.thread.name).not.toBe(firing!.thread.name);
    expect(resolved!.text).toMatch(/^✅ \*Resolved\*/);
  });

  it("leaves threading to the URL when it sets messageReplyOption or threadKey itself", async () => {
    const pacer = new Pacer({ perSecond: 1, clock });
    await sink(`${chat.webhookUrl()}&messageReplyOption=REPLY_MESSAGE_OR_FAIL&threadKey=alerts`, { pacer }).write(crash()).catch(() => undefined);
    await sink(`${chat.webhookUrl()}&threadKey=alerts`, { pacer }).write(crash());
    expect(chat.calls.map((call) => [call.query.get("messageReplyOption"), (call.body as { thread?: unknown }).thread])).toEqual([
      ["REPLY_MESSAGE_OR_FAIL", undefined],
      [null, undefined],
    ]);
  });

  it("paces itself to one message per second per space, so Chat never has to refuse", async () => {
    const chatSink = sink();
    for (let i = 0; i < 4; i++) await chatSink.write(crash("firing", `pod-${i}`));
    expect(chat.calls.map((call) => call.status)).toEqual([200, 200, 200, 200]);
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);
  });

  it("is refused by Chat when sends are not paced (so pacing is what keeps it under the quota)", async () => {
    const chatSink = sink(chat.webhookUrl(), { pacer: new Pacer({ perSecond: 1000, clock }) });
    await chatSink.write(crash());
    const error = await failureOf(chatSink.write(crash()));
    expect(error).toMatchObject({ retryable: true, status: 429, message: "Google Chat answered 429 RESOURCE_EXHAUSTED: Resource has been exhausted (e.g. check quota)." });
  });

  it("sends a huge finding within Chat's 4096 characters", async () => {
    const text = "Ünï 🔥 日本 ".repeat(500);
    const huge = createFinding({ title: text, aggregationKey: "k", description: text, enrichments: Array.from({ length: 10 }, () => ({ annotations: {}, blocks: [markdown(text)] })) });
    await sink().write(huge);
    expect(chat.calls.map((call) => call.status)).toEqual([200]);
  });

  it("is built from google_chat_sink parameters", async () => {
    const params = googleChatSinkType.params.parse({ name: "chat", webhook_url: chat.webhookUrl() });
    const built = googleChatSinkType.create(params, { clusterName: "prod-eu", globalConfig: {}, logger: new MemoryLogger() });
    expect(built).toMatchObject({ name: "chat", isDefault: true });
    await built.write(crash());
    expect(chat.messages()).toHaveLength(1);
  });

  describe("errors, never showing the webhook's key or token", () => {
    it("gives up on a wrong API key", async () => {
      const url = chat.webhookUrl().replace(chat.key, "AIzaWRONG");
      const error = await failureOf(sink(url).write(crash()));
      expect(error).toMatchObject({ retryable: false, status: 400, message: "Google Chat answered 400 INVALID_ARGUMENT: API key not valid. Please pass a valid API key." });
      for (const secret of secretsOf(url)) expect(error.message).not.toContain(secret);
    });

    it("gives up on a wrong token", async () => {
      const url = chat.webhookUrl().replace(/token=[^&]+/, "token=wrong-token");
      const error = await failureOf(sink(url).write(crash()));
      expect(error).toMatchObject({ retryable: false, status: 403 });
      expect(error.message).toMatch(/^Google Chat answered 403 PERMISSION_DENIED: The API is called without a valid token\./);
      for (const secret of secretsOf(url)) expect(error.message).not.toContain(secret);
    });

    it("gives up on a deleted space", async () => {
      const url = chat.webhookUrl().replace("AAAAspace01", "AAAAgone");
      expect(await failureOf(sink(url).write(crash()))).toMatchObject({ retryable: false, status: 404, message: "Google Chat answered 404 NOT_FOUND: Requested entity was not found." });
    });

    it("retries a 429, waiting as long as a Retry-After says", async () => {
      chat.failNext({ status: 429, retryAfter: "7" });
      expect(await failureOf(sink().write(crash()))).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7000 });
    });

    it("retries 5xx", async () => {
      chat.failNext({ status: 503, message: "The service is currently unavailable." });
      expect(await failureOf(sink().write(crash()))).toMatchObject({ retryable: true, status: 503, message: "Google Chat answered 503 UNAVAILABLE: The service is currently unavailable." });
    });

    it("retries when Chat cannot be reached", async () => {
      const url = chat.webhookUrl();
      await chat.close();
      const error = await failureOf(sink(url).write(crash()));
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/^Google Chat could not be reached/);
      for (const secret of secretsOf(url)) expect(error.message).not.toContain(secret);
      chat = await FakeGoogleChat.start({ now: () => clock.now() });
    });
  });

  describe("parameters", () => {
    const parse = (params: Record<string, unknown>) => googleChatSinkType.params.safeParse({ name: "chat", ...params });
    const messages = (params: Record<string, unknown>) => parse(params).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

    it("takes Robusta's webhook_url", () => {
      expect(parse({ webhook_url: "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k&token=t" }).success).toBe(true);
    });

    it("refuses a URL that is not a Chat webhook's, saying where to find one", () => {
      const expected = [
        "webhook_url: must be a Google Chat incoming webhook URL: https://chat.googleapis.com/v1/spaces/<space>/messages?key=…&token=… (in the space: Apps & integrations → Webhooks)",
      ];
      expect(messages({ webhook_url: "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k" })).toEqual(expected);
      expect(messages({ webhook_url: "https://hooks.slack.com/services/T/B/X" })).toEqual(expected);
      expect(messages({ webhook_url: "chat.googleapis.com" })).toEqual(["webhook_url: must be an http:// or https:// URL"]);
    });

    it("requires webhook_url and refuses unknown keys", () => {
      expect(parse({}).success).toBe(false);
      expect(messages({ webhook_url: "https://chat.googleapis.com/v1/spaces/A/messages?key=k&token=t", url: "x" })?.[0]).toMatch(/url/);
    });
  });
});
