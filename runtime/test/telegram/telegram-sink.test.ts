import { createFinding, file, type Finding } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTelegram, parseTelegramHtml } from "../../../test/fakes/telegram.js";
import { renderTelegramMessage } from "../../src/sinks/telegram/render-message.js";
import { sinksConfigSchema } from "../../src/sinks/sinks-config.js";
import { telegramSinkType, TelegramSink, type TelegramSinkOptions } from "../../src/sinks/telegram/index.js";
import { sampleFinding } from "../webhook/sample-finding.js";
import { failureOf, sinkBase } from "../sinks-common/support.js";

const TOKEN = "123456789:AAEsecret-T0KEN_value";
const CHAT = "-1001234567890";
const base = sinkBase("telegram");

let telegram: FakeTelegram;
let logger: MemoryLogger;
beforeEach(async () => {
  telegram = await FakeTelegram.start({ token: TOKEN, chats: [CHAT], threads: [42] });
  logger = new MemoryLogger();
});
afterEach(async () => {
  await telegram.close();
});

function sinkFor(params: Record<string, unknown> = {}, options: Partial<TelegramSinkOptions> = {}): TelegramSink {
  const parsed = telegramSinkType.params.parse({ name: "telegram", bot_token: TOKEN, chat_id: CHAT, api_url: telegram.url, ...params });
  return new TelegramSink(base, parsed, { clusterName: "prod-eu", logger, ...options });
}

const withTwoFiles = (): Finding =>
  createFinding({
    title: "Two logs",
    aggregationKey: "Logs",
    enrichments: [{ annotations: {}, blocks: [file("a.log", "first\n"), file("b.log", "second\n")] }],
  });

describe("telegram sink", () => {
  it("sends the message as HTML with link previews off, then each file as a document replying to it", async () => {
    const finding = sampleFinding();
    const ref = await sinkFor().write(finding);
    const [message, document] = telegram.messages;
    expect(telegram.messages).toHaveLength(2);
    expect(message).toMatchObject({ chatId: CHAT, parseMode: "HTML", linkPreviewDisabled: true });
    expect(message!.raw).toBe(renderTelegramMessage(finding, { clusterName: "prod-eu", sendFiles: true }).text);
    expect(message!.text).toBe(parseTelegramHtml(message!.raw));
    expect(document).toMatchObject({ chatId: CHAT, replyTo: message!.messageId, text: "Crashing pod web-0 in namespace demo" });
    expect(document!.document).toMatchObject({ filename: "web-0.log", contentType: "text/plain; charset=utf-8" });
    expect(document!.document!.bytes.toString()).toBe("boom\n");
    expect(ref).toEqual({ channel: CHAT, id: String(message!.messageId) });
  });

  it("posts in the forum topic given by thread_id, files too", async () => {
    await sinkFor({ thread_id: 42 }).write(sampleFinding());
    expect(telegram.messages.map((message) => message.threadId)).toEqual([42, 42]);
  });

  it("sends no documents without send_files", async () => {
    await sinkFor({ send_files: false }).write(sampleFinding());
    expect(telegram.messages).toHaveLength(1);
    expect(telegram.messages[0]!.text).not.toContain("web-0.log");
  });

  it("waits as long as a 429's parameters.retry_after says", async () => {
    telegram.failNext(1, { error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } });
    const error = await failureOf(sinkFor().write(sampleFinding()));
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7000 });
    expect(error.message).toBe("Telegram sendMessage answered 429: Too Many Requests: retry after 7");
  });

  it("retries 5xx and gives up on the 4xx Telegram explains", async () => {
    telegram.failNext(1, { error_code: 502, description: "Bad Gateway" });
    expect(await failureOf(sinkFor().write(sampleFinding()))).toMatchObject({ retryable: true, status: 502 });

    telegram.failNext(1, { error_code: 403, description: "Forbidden: bot was blocked by the user" });
    const blocked = await failureOf(sinkFor().write(sampleFinding()));
    expect(blocked).toMatchObject({ retryable: false, status: 403, message: "Telegram sendMessage answered 403: Forbidden: bot was blocked by the user" });

    const unknownChat = await failureOf(sinkFor({ chat_id: "-100999" }).write(sampleFinding()));
    expect(unknownChat).toMatchObject({ retryable: false, status: 400, message: "Telegram sendMessage answered 400: Bad Request: chat not found" });

    const unknownTopic = await failureOf(sinkFor({ thread_id: 7 }).write(sampleFinding()));
    expect(unknownTopic.message).toBe("Telegram sendMessage answered 400: Bad Request: message thread not found");
  });

  it("says which chat_id to use when the group became a supergroup", async () => {
    telegram.failNext(1, { error_code: 400, description: "Bad Request: group chat was upgraded to a supergroup chat", parameters: { migrate_to_chat_id: -1009876 } });
    const error = await failureOf(sinkFor().write(sampleFinding()));
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toBe("Telegram sendMessage answered 400: Bad Request: group chat was upgraded to a supergroup chat (the chat is now -1009876: set chat_id to it)");
  });

  it("never puts the token in an error: wrong token, a proxy quoting the path, no connection", async () => {
    const wrong = "123456789:AAEother-token";
    const unauthorized = await failureOf(sinkFor({ bot_token: wrong }).write(sampleFinding()));
    expect(unauthorized).toMatchObject({ retryable: false, status: 401, message: "Telegram sendMessage answered 401: Unauthorized (check bot_token)" });

    telegram.failNext(1, { error_code: 502, description: `upstream failed for POST /bot${TOKEN}/sendMessage` });
    const proxied = await failureOf(sinkFor().write(sampleFinding()));
    expect(proxied.message).toBe("Telegram sendMessage answered 502: upstream failed for POST /bot<bot_token>/sendMessage");

    const sink = sinkFor();
    await telegram.close();
    const unreachable = await failureOf(sink.write(sampleFinding()));
    expect(unreachable.retryable).toBe(true);
    expect(unreachable.message).toMatch(/^Telegram could not be reached: fetch failed/);
    for (const error of [unauthorized, proxied, unreachable]) expect(`${error.message} ${String(error.cause)}`).not.toContain("AAEsecret");
    telegram = await FakeTelegram.start({ token: TOKEN, chats: [CHAT] }); // for afterEach
  });

  it("resumes after a retryable document failure without posting the message again", async () => {
    telegram.failNext(1, { error_code: 429, description: "Too Many Requests: retry after 3", parameters: { retry_after: 3 } }, (request) => request.filename === "b.log");
    const sink = sinkFor();
    const finding = withTwoFiles();
    const error = await failureOf(sink.write(finding));
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 3000, message: "Telegram sendDocument answered 429: Too Many Requests: retry after 3" });
    await sink.write(finding);
    expect(telegram.messages.map((m) => m.document?.filename ?? "text")).toEqual(["text", "a.log", "b.log"]);
    expect(telegram.calls.map((call) => `${call.method} ${call.status}`)).toEqual(["sendMessage 200", "sendDocument 200", "sendDocument 429", "sendDocument 200"]);
    // Delivered: the same finding sent again later is a new message.
    await sink.write(finding);
    expect(telegram.messages.filter((m) => !m.document)).toHaveLength(2);
  });

  it("skips a document Telegram refuses (too large) and still sends the others", async () => {
    await telegram.close();
    telegram = await FakeTelegram.start({ token: TOKEN, chats: [CHAT], maxDocumentBytes: 6 });
    await sinkFor().write(withTwoFiles());
    expect(telegram.messages.map((m) => m.document?.filename ?? "text")).toEqual(["text", "a.log"]);
    expect(telegram.calls.map((call) => call.status)).toEqual([200, 200, 413]);
    expect(logger.entries.map((entry) => [entry.message, entry.fields.file])).toEqual([["Telegram refused a file; the finding's other files are still sent", "b.log"]]);
    expect(String(logger.entries[0]!.fields.error)).toBe("Telegram sendDocument answered 413: Request Entity Too Large");
  });
});

describe("telegram_sink parameters", () => {
  const issues = (input: unknown): string[] | undefined => telegramSinkType.params.safeParse(input).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

  it("takes Robusta's keys with Robusta's defaults", () => {
    expect(telegramSinkType.params.parse({ name: "t", bot_token: TOKEN, chat_id: -100123 })).toMatchObject({
      bot_token: TOKEN,
      chat_id: -100123,
      send_files: true,
      api_url: "https://api.telegram.org",
    });
    expect(telegramSinkType.params.parse({ name: "t", bot_token: TOKEN, chat_id: "@robusta_alerts", thread_id: 3 })).toMatchObject({ chat_id: "@robusta_alerts", thread_id: 3 });
  });

  it("refuses what it cannot send, naming the key and never quoting the token", () => {
    const missing = sinksConfigSchema.safeParse([{ telegram_sink: { name: "t", chat_id: 1 } }]).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    expect(missing).toEqual(["0.telegram_sink.bot_token: required (string)"]);
    const badToken = issues({ name: "t", bot_token: "AAEsecret/../x", chat_id: 1 });
    expect(badToken).toEqual(["bot_token: must be the token @BotFather gave, like 123456789:AAE..."]);
    expect(issues({ name: "t", bot_token: TOKEN, chat_id: "general" })?.[0]).toMatch(/^chat_id: /);
    expect(issues({ name: "t", bot_token: TOKEN, chat_id: 1, thread_id: -2 })?.[0]).toMatch(/^thread_id: /);
    expect(issues({ name: "t", bot_token: TOKEN, chat_id: 1, api_url: "ftp://x" })).toEqual(["api_url: must be an http:// or https:// URL"]);
    expect(issues({ name: "t", bot_token: TOKEN, chat_id: 1, chatId: 1 })?.[0]).toMatch(/chatId/);
  });

  it("builds a sink with the shared settings", () => {
    const params = telegramSinkType.params.parse({ name: "t", default: false, bot_token: TOKEN, chat_id: 1, stop: true });
    expect(telegramSinkType.create(params, { clusterName: "c", globalConfig: {}, logger })).toMatchObject({ name: "t", isDefault: false, routing: { stop: true } });
  });
});
