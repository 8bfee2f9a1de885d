import { afterEach, describe, expect, it } from "vitest";
import { addSilence, deleteSilence, getSilences, parseActionParams, type BaseEvent, type MarkdownBlock, type TableBlock } from "../src/index.js";
import { formatMatcher } from "../src/integrations/alertmanager.js";
import { FakeClock, InMemoryCluster, MemoryLogger } from "../src/testing/index.js";
import { closeFakeServers, startFakeServer, type RecordedRequest, type Reply } from "./fixtures/prometheus/server.js";
import { TestContext } from "./support/test-context.js";

const NOW = "2026-11-23T04:36:50Z";
const event = { source: "manual", id: "event-1" } as BaseEvent;
const SILENCE_ID = "d7d5aede-3b49-459c-853c-0020f86512dc";

afterEach(closeFakeServers);

/** An Alertmanager answering `answer`, and a context whose globalConfig points at it. */
async function withAlertmanager(answer: (request: RecordedRequest) => Reply | string | undefined, config: Record<string, unknown> = {}) {
  const server = await startFakeServer(answer);
  const ctx = new TestContext(new InMemoryCluster(), { alertmanager_url: server.url, ...config }, new MemoryLogger(), new FakeClock(NOW));
  return { ctx, requests: server.requests };
}

const matchers = [
  { name: "alertname", value: "KubePodCrashLooping" },
  { name: "namespace", value: "prod|staging", isRegex: true },
];

describe("add_silence", () => {
  const created = (request: RecordedRequest) => (request.method === "POST" && request.path === "/api/v2/silences" ? "alertmanager-silence-created.json" : undefined);

  it("posts the silence to /api/v2/silences and adds its id as a \"New Silence\" table", async () => {
    const { ctx, requests } = await withAlertmanager(created);
    await addSilence(event, ctx, { matchers, durationMinutes: 60, createdBy: "robusta", comment: "deploying a fix" });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(requests[0]!.body)).toEqual({
      matchers: [
        { name: "alertname", value: "KubePodCrashLooping", isRegex: false, isEqual: true },
        { name: "namespace", value: "prod|staging", isRegex: true, isEqual: true },
      ],
      startsAt: "2026-11-23T04:36:50.000Z",
      endsAt: "2026-11-23T05:36:50.000Z",
      createdBy: "robusta",
      comment: "deploying a fix",
    });
    expect(ctx.enrichments).toEqual([
      { blocks: [{ type: "table", headers: ["id"], rows: [[SILENCE_ID]], name: "New Silence" }], options: { title: "New Silence" } },
    ]);
  });

  it("takes starts_at and ends_at, and the id of a silence to replace", async () => {
    const { ctx, requests } = await withAlertmanager(created);
    await addSilence(event, ctx, {
      matchers,
      startsAt: "2026-11-24 08:00:00 UTC",
      endsAt: "2026-11-24T10:00:00Z",
      createdBy: "oncall",
      comment: "maintenance",
      id: "c918a84d-6a30-4eb9-8ad0-d3afbee4792d",
    });
    expect(JSON.parse(requests[0]!.body)).toMatchObject({
      id: "c918a84d-6a30-4eb9-8ad0-d3afbee4792d",
      startsAt: "2026-11-24T08:00:00.000Z",
      endsAt: "2026-11-24T10:00:00.000Z",
    });
  });

  it("sends alertmanager_auth as Authorization, and the additional headers", async () => {
    const { ctx, requests } = await withAlertmanager(created, {
      alertmanager_auth: "Basic dXNlcjpwYXNz",
      alertmanager_additional_headers: { "X-Scope-OrgID": "tenant-1" },
    });
    await addSilence(event, ctx, { matchers, durationMinutes: 10, createdBy: "robusta", comment: "c" });
    expect(requests[0]?.headers).toMatchObject({ authorization: "Basic dXNlcjpwYXNz", "x-scope-orgid": "tenant-1" });
  });

  it("calls Grafana's Alertmanager under its prefix, with the Grafana API key", async () => {
    const { ctx, requests } = await withAlertmanager(
      (request) => (request.path === "/api/alertmanager/grafana/api/v2/silences" ? { status: 202, body: '{"id":"grafana-silence-1"}' } : undefined),
      { alertmanager_flavor: "grafana", grafana_api_key: "glsa_key", alertmanager_auth: "Basic ignored" },
    );
    await addSilence(event, ctx, { matchers, durationMinutes: 10, createdBy: "robusta", comment: "c" });
    expect(requests[0]?.headers.authorization).toBe("Bearer glsa_key");
    expect((ctx.blocks[0] as TableBlock).rows).toEqual([["grafana-silence-1"]]);
  });

  it("fails with Alertmanager's reason when it refuses the silence", async () => {
    const { ctx } = await withAlertmanager(() => "alertmanager-error-times.400.json");
    await expect(addSilence(event, ctx, { matchers, startsAt: "2026-11-24T10:00:00Z", endsAt: "2026-11-24T08:00:00Z", createdBy: "r", comment: "c" })).rejects.toThrow(
      "Alertmanager could not create the silence: 400 Failed to create silence: start time must be before end time",
    );
    const refused = await withAlertmanager(() => "alertmanager-error-matchers.422.json");
    await expect(addSilence(event, refused.ctx, { matchers, durationMinutes: 5, createdBy: "r", comment: "c" })).rejects.toThrow(
      "Alertmanager could not create the silence: 422 matchers in body should have at least 1 items",
    );
    expect(refused.ctx.enrichments).toEqual([]);
  });

  it("needs an end, at least one matcher, created_by and a comment", async () => {
    const { ctx, requests } = await withAlertmanager(created);
    await expect(addSilence(event, ctx, { matchers, createdBy: "r", comment: "c" })).rejects.toThrow("add_silence needs ends_at or duration_minutes");
    expect(() => parseActionParams(addSilence.definition, { matchers: [], ends_at: NOW, created_by: "r", comment: "c" })).toThrow(/matchers/);
    expect(() => parseActionParams(addSilence.definition, { matchers, ends_at: NOW })).toThrow(/created_by.*comment/);
    expect(requests).toEqual([]);
  });

  it("says to set globalConfig.alertmanager_url when there is none", async () => {
    await expect(addSilence(event, new TestContext(), { matchers, durationMinutes: 5, createdBy: "r", comment: "c" })).rejects.toThrow(
      /Alertmanager is not configured: set globalConfig\.alertmanager_url/,
    );
  });
});

describe("get_silences", () => {
  it("lists every silence, expired ones too, with their matchers as Alertmanager writes them", async () => {
    const { ctx, requests } = await withAlertmanager((request) => (request.path === "/api/v2/silences" ? "alertmanager-silences.json" : undefined));
    await getSilences(event, ctx);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/v2/silences"]);
    expect(ctx.enrichments[0]?.options.title).toBe("Silences");
    const table = ctx.blocks[0] as TableBlock;
    expect(table).toMatchObject({ name: "Silences", headers: ["id", "status", "comment", "createdBy", "startsAt", "endsAt", "matchers"] });
    expect(table.rows).toEqual([
      [SILENCE_ID, "active", "deploying a fix", "robusta", "2026-11-23T04:36:50.728Z", "2026-11-23T05:36:50.000Z", 'alertname="KubePodCrashLooping", namespace=~"prod|staging"'],
      ["d24e9ca4-dfbd-4e34-b1d3-679125ff38d1", "active", "noise", "oncall", "2026-11-23T04:36:50.734Z", "2026-11-23T05:36:50.000Z", 'severity!="info"'],
      ["c918a84d-6a30-4eb9-8ad0-d3afbee4792d", "expired", "deploying a fix", "robusta", "2026-11-23T04:36:06.441Z", "2026-11-23T04:36:08.591Z", 'alertname="KubePodCrashLooping", namespace=~"prod|staging"'],
    ]);
  });

  it('says "There are no silences" when there are none', async () => {
    const { ctx } = await withAlertmanager(() => ({ status: 200, body: "[]" }));
    await getSilences(event, ctx);
    expect((ctx.blocks[0] as MarkdownBlock).text).toBe("*There are no silences*");
  });

  it("fails when the answer is not a list of silences", async () => {
    const { ctx } = await withAlertmanager(() => ({ status: 200, body: '{"status":"success"}' }));
    await expect(getSilences(event, ctx)).rejects.toThrow("Alertmanager answered GET /api/v2/silences with something that is not a list of silences");
  });
});

describe("delete_silence", () => {
  it('expires the silence with DELETE /api/v2/silence/<id> and adds its id as a "Deleted Silence" table', async () => {
    const { ctx, requests } = await withAlertmanager((request) => (request.method === "DELETE" ? { status: 200, body: "" } : undefined));
    await deleteSilence(event, ctx, { id: SILENCE_ID });
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /api/v2/silence/${SILENCE_ID}`]);
    expect(ctx.enrichments).toEqual([
      { blocks: [{ type: "table", headers: ["id"], rows: [[SILENCE_ID]], name: "Deleted Silence" }], options: { title: "Deleted Silence" } },
    ]);
  });

  it("fails with Alertmanager's answer for a silence it does not know", async () => {
    const { ctx } = await withAlertmanager(() => "alertmanager-error-not-found.500.json");
    await expect(deleteSilence(event, ctx, { id: "00000000-0000-0000-0000-000000000000" })).rejects.toThrow(
      "Alertmanager could not delete the silence 00000000-0000-0000-0000-000000000000: 500 silence not found",
    );
    expect(ctx.enrichments).toEqual([]);
  });
});

describe("formatMatcher", () => {
  it.each([
    [{ isRegex: false, isEqual: true }, 'a="b"'],
    [{ isRegex: true, isEqual: true }, 'a=~"b"'],
    [{ isRegex: false, isEqual: false }, 'a!="b"'],
    [{ isRegex: true, isEqual: false }, 'a!~"b"'],
  ])("%o is %s", (flags, text) => {
    expect(formatMatcher({ name: "a", value: "b", ...flags })).toBe(text);
  });
});
