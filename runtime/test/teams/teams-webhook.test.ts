import { createFinding, file, markdown, type Finding } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeWorkflowServer } from "../../../test/fakes/teams/workflow-server.js";
import { VirtualDeliveryClock } from "../../src/delivery/clock.js";
import { Pacer } from "../../src/delivery/pacer.js";
import { msTeamsSinkType } from "../../src/sinks/teams/index.js";
import { msTeamsSinkParams } from "../../src/sinks/teams/teams-params.js";
import { TeamsWebhookSink, type TeamsWebhookSinkOptions } from "../../src/sinks/teams/teams-webhook.js";
import type { RoutingParams } from "../../src/routing/params.js";
import { failureOf } from "../sinks-common/support.js";

const base = { name: "teams", isDefault: true, routing: {} as RoutingParams };

let clock: VirtualDeliveryClock;
let server: FakeWorkflowServer;
let logger: MemoryLogger;

beforeEach(async () => {
  clock = new VirtualDeliveryClock();
  logger = new MemoryLogger();
  server = await FakeWorkflowServer.start({ now: () => clock.now() });
});
afterEach(() => server.close());

const sink = (options: Partial<TeamsWebhookSinkOptions> = {}) =>
  new TeamsWebhookSink(base, { webhookUrl: server.webhookUrl("default"), clusterName: "prod-eu", logger, clock, env: {}, ...options });

const finding = (annotations: Record<string, string> = {}, title = "Pod crashed"): Finding =>
  createFinding({ title, aggregationKey: "CrashLoopBackoff", subject: { name: "api", namespace: "prod", annotations }, enrichments: [{ annotations: {}, blocks: [markdown("exit *code 1*")] }] });

describe("ms_teams_sink, webhook mode", () => {
  it("posts the finding's card to the Workflows webhook", async () => {
    await sink().write(finding());
    const [message] = server.accepted(server.webhookUrl("default"));
    expect(message?.attachments[0]?.content.body[0]).toMatchObject({ type: "Container" });
    expect(JSON.stringify(message)).toContain("exit **code 1**");
  });

  it("is built from ms_teams_sink parameters", async () => {
    const params = msTeamsSinkParams.parse({ name: "teams", webhook_url: server.webhookUrl("default") });
    const built = msTeamsSinkType.create(params, { clusterName: "prod-eu", globalConfig: {}, logger });
    expect(built.destination?.(finding())).toBe(server.webhookUrl("default"));
    expect(built.threads).toBeUndefined();
  });

  it("sends a card cut to fit even for a huge log, which the webhook accepts", async () => {
    const log = Array.from({ length: 100_000 }, (_, i) => `line ${i} "quoted" \\ ${"x".repeat(40)}`).join("\n");
    const big = createFinding({ title: "t", aggregationKey: "k", enrichments: [{ annotations: {}, blocks: [file("pod.log", log)] }] });
    await sink().write(big);
    expect(server.calls.map((call) => call.status)).toEqual([202]);
    expect(server.calls[0]!.messageBytes).toBeLessThanOrEqual(28 * 1024);
  });

  describe("webhook_override", () => {
    it("sends to the URL in the annotation it names", async () => {
      const teamSink = sink({ webhookOverride: "annotations.teams-webhook" });
      const target = server.webhookUrl("payments");
      expect(teamSink.destination(finding({ "teams-webhook": target }))).toBe(target);
      await teamSink.write(finding({ "teams-webhook": target }));
      expect(server.accepted(target)).toHaveLength(1);
      expect(server.accepted(server.webhookUrl("default"))).toHaveLength(0);
    });

    it("reads the URL from the environment variable a non-URL value names", async () => {
      const target = server.webhookUrl("payments");
      const teamSink = sink({ webhookOverride: "${annotations.teams-channel}", env: { TEAMS_PAYMENTS: target } });
      await teamSink.write(finding({ "teams-channel": "TEAMS_PAYMENTS" }));
      expect(server.accepted(target)).toHaveLength(1);
    });

    it("falls back to webhook_url, and says why once, when the variable is not set", async () => {
      const teamSink = sink({ webhookOverride: "annotations.teams-channel" });
      await teamSink.write(finding({ "teams-channel": "TEAMS_UNKNOWN" }));
      await teamSink.write(finding({ "teams-channel": "TEAMS_UNKNOWN" }));
      expect(server.accepted(server.webhookUrl("default"))).toHaveLength(2);
      const warnings = logger.entries.filter((entry) => entry.level === "warn");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.fields.reason).toContain('"TEAMS_UNKNOWN", which is neither a URL nor a set environment variable');
    });

    it("falls back to webhook_url when the finding lacks the annotation", () => {
      expect(sink({ webhookOverride: "annotations.teams-webhook" }).destination(finding())).toBe(server.webhookUrl("default"));
    });
  });

  describe("pacing", () => {
    it("spaces requests to one webhook 250 ms apart, so Teams never has to refuse them", async () => {
      const teamSink = sink();
      // One webhook's findings are sent in order (the delivery queue's lane per destination).
      for (let i = 0; i < 10; i++) await teamSink.write(finding({}, `finding ${i}`));
      expect(server.calls.map((call) => call.status)).toEqual(Array(10).fill(202));
      const times = server.calls.map((call) => call.at - server.calls[0]!.at);
      expect(times).toEqual(Array.from({ length: 10 }, (_, i) => i * 250));
    });

    it("paces each webhook on its own", async () => {
      const teamSink = sink({ webhookOverride: "annotations.teams-webhook" });
      const other = server.webhookUrl("other");
      await teamSink.write(finding());
      await teamSink.write(finding({ "teams-webhook": other }));
      await teamSink.write(finding({ "teams-webhook": other }));
      const start = server.calls[0]!.at;
      const at = (url: string) => server.calls.filter((call) => call.url === url.slice(server.baseUrl.length)).map((call) => call.at - start);
      expect(at(server.webhookUrl("default"))).toEqual([0]);
      expect(at(other)).toEqual([0, 250]);
    });
  });

  describe("errors", () => {
    it("turns 429 into a retryable error carrying Retry-After", async () => {
      // Pacing off (1000/s), so the webhook's 4-per-second limit is hit.
      const teamSink = sink({ pacer: new Pacer({ perSecond: 1000, clock }) });
      for (let i = 0; i < 4; i++) await teamSink.write(finding());
      const error = await failureOf(teamSink.write(finding()));
      expect(error).toMatchObject({ retryable: true, status: 429 });
      expect(error.retryAfterMs).toBeGreaterThanOrEqual(1000);
    });

    it("turns 413 into an error that is not retried", async () => {
      // A budget above Teams' limit, to make a card Teams refuses.
      const log = Array.from({ length: 5_000 }, (_, i) => `line ${i} ${"x".repeat(60)}`).join("\n");
      const big = createFinding({ title: "t", aggregationKey: "k", enrichments: [{ annotations: {}, blocks: [file("pod.log", log)] }] });
      const error = await failureOf(sink({ maxBytes: 60_000 }).write(big));
      expect(error).toMatchObject({ retryable: false, status: 413 });
      expect(error.message).toMatch(/^Teams refused the card as too large \(413, \d+ bytes as Teams counts them\): .*RequestEntityTooLarge.*MessageSizeExceeded/);
    });

    it("finds Teams' error in a 200 answer from a legacy connector", async () => {
      const answer = (status: number, body: string) => async () => new Response(body, { status });
      const rateLimited = await failureOf(sink({ fetch: answer(200, "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0") }).write(finding()));
      expect(rateLimited).toMatchObject({ retryable: true, status: 429 });
      const refused = await failureOf(sink({ fetch: answer(200, "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 400") }).write(finding()));
      expect(refused).toMatchObject({ retryable: false });
      await expect(sink({ fetch: answer(200, "1") }).write(finding())).resolves.toBeUndefined();
    });

    it("retries server errors and unreachable webhooks, naming only the host", async () => {
      const serverError = await failureOf(sink({ fetch: async () => new Response("busy", { status: 503 }) }).write(finding()));
      expect(serverError).toMatchObject({ retryable: true, status: 503 });
      const unreachable = await failureOf(sink({ webhookUrl: "http://127.0.0.1:1/workflows/x?sig=top-secret" }).write(finding()));
      expect(unreachable.retryable).toBe(true);
      expect(unreachable.message).toContain("127.0.0.1:1");
      expect(unreachable.message).not.toContain("top-secret");
    });

    it("does not retry a webhook that is gone", async () => {
      const error = await failureOf(sink({ webhookUrl: `${server.baseUrl}/deleted?sig=x` }).write(finding()));
      expect(error).toMatchObject({ retryable: false, status: 404 });
    });
  });
});
