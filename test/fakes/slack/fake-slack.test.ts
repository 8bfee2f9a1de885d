import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeSlack } from "./fake-slack.js";

let now = Date.UTC(2026, 0, 1);
let fake: FakeSlack;
beforeEach(async () => {
  now = Date.UTC(2026, 0, 1);
  fake = await FakeSlack.start({ now: () => now });
});
afterEach(async () => {
  await fake.close();
});

async function call(method: string, args: Record<string, unknown>, token = fake.botToken): Promise<{ status: number; body: Record<string, unknown>; retryAfter: string | null }> {
  const response = await fetch(`${fake.apiUrl}${method}`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${token}` },
    body: JSON.stringify(args),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, retryAfter: response.headers.get("retry-after") };
}

describe("fake Slack", () => {
  it("posts to a channel by name or id and answers its id", async () => {
    expect((await call("chat.postMessage", { channel: "#alerts", text: "a" })).body).toMatchObject({ ok: true, channel: "C0ALERTS" });
    now += 1000;
    expect((await call("chat.postMessage", { channel: "C0ALERTS", text: "b" })).body).toMatchObject({ ok: true, channel: "C0ALERTS" });
    expect((await call("chat.postMessage", { channel: "nope", text: "c" })).body).toEqual({ ok: false, error: "channel_not_found" });
  });

  it("checks tokens", async () => {
    expect((await call("chat.postMessage", { channel: "alerts", text: "a" }, "xoxb-other")).body.error).toBe("invalid_auth");
    expect((await call("chat.postMessage", { channel: "alerts", text: "a" }, fake.appToken)).body.error).toBe("not_allowed_token_type");
    expect((await call("apps.connections.open", {}, fake.botToken)).body.error).toBe("not_allowed_token_type");
    expect((await call("apps.connections.open", {}, fake.appToken)).body.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/);
  });

  it("refuses blocks over Block Kit limits as Slack does", async () => {
    const blocks = [
      { type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } },
      { type: "header", text: { type: "mrkdwn", text: "h" } },
      { type: "actions", elements: [{ type: "button", action_id: "a", text: { type: "plain_text", text: "b" }, value: "v".repeat(2001) }] },
      { type: "fancy" },
    ];
    const { body } = await call("chat.postMessage", { channel: "alerts", text: "t", blocks });
    expect(body).toMatchObject({ ok: false, error: "invalid_blocks" });
    expect(body.errors).toEqual([
      "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
      "must be a valid enum value [json-pointer:/blocks/1/text/type]",
      "must be less than 2001 characters [json-pointer:/blocks/2/elements/0/value]",
      "unsupported type: fancy [json-pointer:/blocks/3/type]",
    ]);
    const many = Array.from({ length: 51 }, () => ({ type: "divider" }));
    expect((await call("chat.postMessage", { channel: "alerts", text: "t", blocks: many })).body.errors).toEqual(["no more than 50 items allowed [json-pointer:/blocks]"]);
  });

  it("answers 429 with Retry-After to a second post in a channel within a second, and during an outage", async () => {
    await call("chat.postMessage", { channel: "alerts", text: "1" });
    now += 400;
    expect(await call("chat.postMessage", { channel: "alerts", text: "2" })).toMatchObject({ status: 429, retryAfter: "1" });
    expect((await call("chat.postMessage", { channel: "ops", text: "other channel" })).status).toBe(200);
    now += 600;
    expect((await call("chat.postMessage", { channel: "alerts", text: "3" })).status).toBe(200);

    fake.rateLimitFor(30_000);
    now += 5_000;
    expect(await call("chat.update", { channel: "C0ALERTS", ts: "1.0", text: "x" })).toMatchObject({ status: 429, retryAfter: "25" });
  });

  it("keeps blocks and attachments an update leaves out", async () => {
    const posted = (await call("chat.postMessage", { channel: "alerts", text: "a", blocks: [{ type: "divider" }], attachments: [{ color: "#fff", blocks: [] }] })).body;
    await call("chat.update", { channel: "C0ALERTS", ts: posted.ts, text: "b" });
    expect(fake.message("C0ALERTS", String(posted.ts))).toMatchObject({ text: "b", blocks: [{ type: "divider" }], attachments: [{ color: "#fff" }] });
    expect((await call("chat.update", { channel: "alerts", ts: posted.ts, text: "c" })).body.error).toBe("channel_not_found");
  });
});
