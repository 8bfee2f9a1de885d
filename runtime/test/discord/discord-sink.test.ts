import { createFinding, file, markdown } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeDiscord } from "../../../test/fakes/discord.js";
import { discordSinkType, type DiscordSinkParams } from "../../src/sinks/discord/index.js";
import { DiscordSink } from "../../src/sinks/discord/discord-sink.js";
import { renderDiscordMessage } from "../../src/sinks/discord/render-message.js";
import { sampleFinding } from "../webhook/sample-finding.js";
import { failureOf, sinkBase } from "../sinks-common/support.js";

let discord: FakeDiscord;
beforeEach(async () => {
  discord = await FakeDiscord.start();
});
afterEach(() => discord.close());

const base = sinkBase("discord");
const sink = (url = discord.webhookUrl) => new DiscordSink(base, { url }, { clusterName: "prod-eu" });
const plain = createFinding({ title: "Disk full", aggregationKey: "DiskFull", enrichments: [{ annotations: {}, blocks: [markdown("95% used")] }] });

describe("discord_sink", () => {
  it("posts the message as JSON with wait=true when there are no files", async () => {
    await sink().write(plain);
    const [call] = discord.calls;
    expect(call).toMatchObject({ status: 200, contentType: "application/json", files: [] });
    expect(call!.query.get("wait")).toBe("true");
    // The copied URL names no version (Discord's deprecated v6): the sink speaks v10.
    expect(call!.path).toBe(`/api/v10/webhooks/${discord.webhook.id}/${discord.webhook.token}`);
    expect(call!.message).toEqual(JSON.parse(JSON.stringify(renderDiscordMessage(plain, "prod-eu").message)));
  });

  it("sends files as multipart/form-data: payload_json and files[n]", async () => {
    await sink().write(sampleFinding());
    const [call] = discord.calls;
    expect(call!.status).toBe(200);
    expect(call!.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(call!.message!.attachments).toEqual([{ id: 0, filename: "web-0.log" }]);
    expect(call!.files.map((f) => [f.field, f.filename, f.contentType, f.bytes.toString()])).toEqual([["files[0]", "web-0.log", "text/plain; charset=utf-8", "boom\n"]]);
    expect((call!.answer as { attachments: unknown[] }).attachments).toHaveLength(1);
  });

  it("keeps the URL's thread_id, posting into that thread", async () => {
    await sink(`${discord.webhookUrl}?thread_id=1234567890`).write(plain);
    expect(discord.calls[0]!.query.get("thread_id")).toBe("1234567890");
    expect((discord.calls[0]!.answer as { channel_id: string }).channel_id).toBe("1234567890");
  });

  it("sends a huge finding that Discord accepts", async () => {
    const text = "Ünï 🔥 ".repeat(2000);
    const huge = createFinding({
      title: text,
      aggregationKey: "Huge",
      description: text,
      enrichments: Array.from({ length: 30 }, (_, i) => ({ title: `E${i}`, annotations: {}, blocks: [markdown(text), file(`f${i}.log`, text)] })),
    });
    await sink().write(huge);
    expect(discord.calls.map((call) => call.status)).toEqual([200]);
    expect(discord.calls[0]!.files).toHaveLength(10);
  });

  it("is built from discord_sink parameters", async () => {
    const params: DiscordSinkParams = discordSinkType.params.parse({ name: "discord", url: discord.webhookUrl });
    const built = discordSinkType.create(params, { clusterName: "prod-eu", globalConfig: {}, logger: new MemoryLogger() });
    expect(built).toMatchObject({ name: "discord", isDefault: true });
    await built.write(plain);
    expect(discord.messages).toHaveLength(1);
  });

  describe("errors", () => {
    it("waits as long as a 429's retry_after says (more precise than Retry-After)", async () => {
      discord.failNext({ kind: "rate-limit", retryAfter: 1.337 });
      const error = await failureOf(sink().write(plain));
      expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 1337 });
      expect(error.message).toBe("Discord webhook is rate limited (429): You are being rate limited.; retry after 1.337 s");
    });

    it("reads retry_after in seconds whatever version the URL names, as v6 and v7 would give milliseconds", async () => {
      for (const version of ["", "/v6", "/v7", "/v10"]) {
        discord.failNext({ kind: "rate-limit", retryAfter: 1.5 });
        const url = discord.webhookUrl.replace("/api/", `/api${version}/`);
        expect(await failureOf(sink(url).write(plain)), version).toMatchObject({ retryable: true, retryAfterMs: 1500 });
      }
      expect(discord.calls.map((call) => call.path.split("/")[2])).toEqual(["v10", "v10", "v10", "v10"]);
      await sink(discord.webhookUrl.replace("/api/", "/api/v9/")).write(plain);
      expect(discord.calls.at(-1)!.path).toMatch(/^\/api\/v9\/webhooks\//);
    });

    it("says when the rate limit is Discord's global one", async () => {
      discord.failNext({ kind: "rate-limit", retryAfter: 0.5, global: true });
      const error = await failureOf(sink().write(plain));
      expect(error).toMatchObject({ retryable: true, retryAfterMs: 500 });
      expect(error.message).toContain("(429, global limit)");
    });

    it("gives up on Invalid Form Body, naming each refused field", async () => {
      const tooLong = { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 1024 or fewer in length." }] };
      discord.failNext({
        kind: "status",
        status: 400,
        body: {
          code: 50035,
          message: "Invalid Form Body",
          errors: { embeds: { "0": { fields: { "3": { value: tooLong } } }, _errors: [{ code: "MAX_EMBED_SIZE_EXCEEDED", message: "Embed size exceeds maximum size of 6000" }] } },
        },
      });
      const error = await failureOf(sink().write(plain));
      expect(error).toMatchObject({ retryable: false, status: 400 });
      expect(error.message).toBe(
        "Discord webhook answered 400, code 50035: Invalid Form Body: embeds.0.fields.3.value: Must be 1024 or fewer in length.; embeds: Embed size exceeds maximum size of 6000",
      );
    });

    it("gives up on an unknown webhook, never showing the token", async () => {
      const error = await failureOf(sink(discord.webhookUrl.replace(discord.webhook.id, "1300000000000000999")).write(plain));
      expect(error).toMatchObject({ retryable: false, status: 404 });
      expect(error.message).toBe("Discord webhook answered 404, code 10015: Unknown Webhook");
      expect(error.message).not.toContain(discord.webhook.token);
    });

    it("gives up on a wrong token, never showing it", async () => {
      const error = await failureOf(sink(discord.webhookUrl.replace(discord.webhook.token, "wrong-token")).write(plain));
      expect(error).toMatchObject({ retryable: false, status: 401 });
      expect(error.message).toBe("Discord webhook answered 401, code 50027: Invalid Webhook Token");
      expect(error.message).not.toContain("wrong-token");
    });

    it("gives up on 413, the request being too large", async () => {
      discord.failNext({ kind: "status", status: 413, body: { message: "Request entity too large", code: 40005 } });
      const error = await failureOf(sink().write(plain));
      expect(error).toMatchObject({ retryable: false, status: 413 });
      expect(error.message).toBe("Discord webhook answered 413, code 40005: Request entity too large");
    });

    it("retries 5xx, including a proxy's page that is not JSON", async () => {
      discord.failNext({ kind: "status", status: 500, body: { message: "500: Internal Server Error", code: 0 } });
      expect(await failureOf(sink().write(plain))).toMatchObject({ retryable: true, status: 500, message: "Discord webhook answered 500, code 0: 500: Internal Server Error" });
      discord.failNext({ kind: "status", status: 502, body: "<html>502 Bad Gateway</html>" });
      expect(await failureOf(sink().write(plain))).toMatchObject({ retryable: true, status: 502 });
    });

    it("retries when Discord cannot be reached, never showing the URL", async () => {
      const url = discord.webhookUrl;
      await discord.close();
      const error = await failureOf(sink(url).write(plain));
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/^Discord webhook could not be reached/);
      expect(error.message).not.toContain(discord.webhook.token);
      discord = await FakeDiscord.start();
    });
  });

  describe("parameters", () => {
    const parse = (params: Record<string, unknown>) => discordSinkType.params.safeParse({ name: "discord", ...params });
    const messages = (params: Record<string, unknown>) => parse(params).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

    it("takes Robusta's url, versioned API paths and a thread_id", () => {
      expect(parse({ url: "https://discord.com/api/webhooks/123/abc-DEF_1" }).success).toBe(true);
      expect(parse({ url: "https://discord.com/api/v10/webhooks/123/abc?thread_id=9" }).success).toBe(true);
    });

    it("refuses a URL that is not a Discord webhook's, saying where to find one", () => {
      expect(messages({ url: "https://hooks.slack.com/services/T/B/X" })).toEqual([
        "url: must be a Discord webhook URL: https://discord.com/api/webhooks/<id>/<token> (Channel settings → Integrations → Webhooks → Copy Webhook URL)",
      ]);
      expect(messages({ url: "https://discord.com/api/webhooks/123/abc/slack" })?.[0]).toMatch(/^url: must be a Discord webhook URL/);
      expect(messages({ url: "discord.com/api/webhooks/1/a" })).toEqual(["url: must be an http:// or https:// URL"]);
    });

    it("requires url and refuses unknown keys", () => {
      expect(parse({}).success).toBe(false);
      expect(messages({ url: "https://discord.com/api/webhooks/1/a", webhook_url: "x" })?.[0]).toMatch(/webhook_url/);
    });
  });
});
