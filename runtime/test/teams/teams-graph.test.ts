import { createFinding, file, markdown, type Finding } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, describe, expect, it } from "vitest";
import { FakeGraphServer, type FakeGraphOptions } from "../../../test/fakes/teams/graph-server.js";
import { VirtualDeliveryClock } from "../../src/delivery/clock.js";
import type { RoutingParams } from "../../src/routing/params.js";
import type { GroupSummary } from "../../src/sinks/sink.js";
import { TeamsGraphSink } from "../../src/sinks/teams/teams-graph.js";
import { graphSettingsOf, msTeamsSinkParams } from "../../src/sinks/teams/teams-params.js";
import { failureOf } from "../sinks-common/support.js";

const base = { name: "teams", isDefault: true, routing: {} as RoutingParams };
const GENERAL = "19:general@thread.tacv2";
const OPS = "19:ops@thread.tacv2";

let server: FakeGraphServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Setup {
  readonly fake?: FakeGraphOptions;
  /** Sign in as the service account (password grant) instead of as the app. */
  readonly user?: boolean;
  readonly params?: Record<string, unknown>;
}

async function setup(options: Setup = {}) {
  const clock = new VirtualDeliveryClock();
  const logger = new MemoryLogger();
  server = await FakeGraphServer.start({
    username: "robusta@contoso.com",
    password: "pw",
    channels: [
      { teamId: "team-1", channelId: GENERAL },
      { teamId: "team-2", channelId: OPS },
    ],
    now: () => clock.now(),
    ...options.fake,
  });
  const params = msTeamsSinkParams.parse({
    name: "teams",
    tenant_id: "tenant-1",
    client_id: "client-1",
    team_id: "team-1",
    channel_id: encodeURIComponent(GENERAL),
    authority_host: server.baseUrl,
    graph_endpoint: server.baseUrl,
    ...(options.user ? { username: "robusta@contoso.com", password: "pw" } : { client_secret: "secret-1" }),
    ...options.params,
  });
  const sink = new TeamsGraphSink(base, { settings: graphSettingsOf(params), clusterName: "prod-eu", logger, clock });
  return { sink, clock, logger, fake: server };
}

const log = Array.from({ length: 300 }, (_, i) => `2026-03-01T10:00:${String(i % 60).padStart(2, "0")}Z level=error msg="db timeout" n=${i}`).join("\n");

const crash = (annotations: Record<string, string> = {}): Finding =>
  createFinding({
    title: "Pod api crashed",
    aggregationKey: "CrashLoopBackoff",
    subject: { name: "api", namespace: "prod", annotations },
    enrichments: [{ title: "Logs", annotations: {}, blocks: [markdown("exit *code 1*"), file("api.log", log)] }],
  });

const summary = (firing: number): GroupSummary => ({
  groupedBy: [["namespace", "prod"]],
  columns: ["notification"],
  rows: [{ values: ["CrashLoopBackoff"], firing, resolved: 0 }],
  firing,
  resolved: 0,
  since: "2026-01-01T00:00:00Z",
});

const cardText = (card: unknown): string => JSON.stringify(card);

describe("ms_teams_sink, app mode as a service account (password grant)", () => {
  it("uploads the finding's files to the channel, links them, and posts the card", async () => {
    const { sink, fake } = await setup({ user: true });
    const ref = await sink.write(crash());

    expect(fake.files).toHaveLength(1);
    expect(fake.files[0]).toMatchObject({ name: "api.log", teamId: "team-1", channelId: GENERAL, via: "simple" });
    expect(fake.files[0]!.contents.toString()).toBe(log);
    const [message] = fake.messages;
    expect(ref).toEqual({ channel: `team-1/${GENERAL}`, id: message!.id });
    expect(cardText(message!.card)).toContain(`📎 [api.log](${fake.files[0]!.webUrl})`);
    expect(cardText(message!.card)).not.toContain("db timeout");
    expect(fake.tokenRequests).toEqual([{ grantType: "password", status: 200, scope: `${fake.baseUrl}/.default` }]);
  });

  it("fetches a token once and reuses it until shortly before it expires", async () => {
    const { sink, fake, clock } = await setup({ user: true });
    await sink.write(crash());
    await sink.write(crash());
    expect(fake.tokenRequests).toHaveLength(1);
    expect(new Set(fake.graphCalls().map((call) => call.authorization)).size).toBe(1);
    // Tokens last an hour; within five minutes of the end a new one is fetched.
    clock.advance(56 * 60_000);
    await sink.write(crash());
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it("fetches a new token when Graph refuses the cached one (401), and sends", async () => {
    const { sink, fake } = await setup({ user: true });
    await sink.write(crash());
    fake.revokeTokens();
    await sink.write(crash());
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.messages).toHaveLength(2);
    expect(fake.graphCalls().filter((call) => call.status === 401)).toHaveLength(1);
  });

  it("threads grouped findings under a summary it edits as counts change", async () => {
    const { sink, fake } = await setup({ user: true });
    const ref = await sink.threads.postSummary(sink.destination(crash()), summary(1));
    const reply = await sink.write(crash(), { thread: ref });
    await sink.threads.updateSummary(ref, summary(2));

    expect(fake.messages).toHaveLength(1);
    const [root] = fake.messages;
    expect(root!.id).toBe(ref.id);
    expect(root!.replies).toHaveLength(1);
    expect(reply).toEqual(ref);
    expect(root!.edits).toBe(1);
    expect(cardText(root!.card)).toContain("🔥 2 firing");
  });

  it("uploads a file over 4 MB through an upload session, in chunks that carry no token", async () => {
    const { sink, fake } = await setup({ user: true });
    const big = Array.from({ length: 60_000 }, (_, i) => `line ${i} ${"x".repeat(80)}`).join("\n");
    expect(big.length).toBeGreaterThan(4 * 1024 * 1024);
    await sink.write(createFinding({ title: "t", aggregationKey: "k", enrichments: [{ annotations: {}, blocks: [file("big.log", big)] }] }));
    expect(fake.files[0]).toMatchObject({ name: "big.log", via: "session" });
    expect(fake.files[0]!.contents.toString()).toBe(big);
    const chunks = fake.calls.filter((call) => call.path === "/upload-sessions/…");
    expect(chunks.map((call) => call.status)).toEqual([202, 201]);
    expect(chunks.every((call) => call.authorization === undefined)).toBe(true);
  });

  it("does not upload files again when a send is retried", async () => {
    const { sink, fake } = await setup({ user: true });
    const finding = crash();
    fake.throttle(1, 3, (method, path) => method === "POST" && path.endsWith("/messages"));
    const error = await failureOf(sink.write(finding));
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 3000 });
    await sink.write(finding);
    expect(fake.files).toHaveLength(1);
    expect(fake.messages).toHaveLength(1);
  });

  it("routes by channel_override to another team's channel", async () => {
    const { sink, fake } = await setup({ user: true, params: { channel_override: "annotations.teams-channel" } });
    const finding = crash({ "teams-channel": `team-2/${encodeURIComponent(OPS)}` });
    expect(sink.destination(finding)).toBe(`team-2/${OPS}`);
    await sink.write(finding);
    expect(fake.messages[0]).toMatchObject({ teamId: "team-2", channelId: OPS });
    expect(fake.files[0]).toMatchObject({ teamId: "team-2", channelId: OPS });
  });

  it("drops findings whose override does not resolve when send_to_default_if_missing is off", async () => {
    const { sink, fake } = await setup({ user: true, params: { channel_override: "annotations.teams-channel", send_to_default_if_missing: false } });
    await expect(sink.write(crash())).resolves.toBeUndefined();
    expect(fake.graphCalls()).toHaveLength(0);
  });

  it("does not retry a channel that does not exist, and says what Graph said", async () => {
    const { sink } = await setup({ user: true, params: { channel_id: "19:gone@thread.tacv2", send_files: false } });
    const error = await failureOf(sink.write(crash()));
    expect(error).toMatchObject({ retryable: false, status: 404 });
    expect(error.message).toContain("Microsoft Graph refused to post the channel message: 404 NotFound: No team found");
  });

  it("shows the file's last lines when send_files is off", async () => {
    const { sink, fake } = await setup({ user: true, params: { send_files: false } });
    await sink.write(crash());
    expect(fake.files).toHaveLength(0);
    expect(cardText(fake.messages[0]!.card)).toContain("n=299");
  });
});

describe("ms_teams_sink, app mode as the app itself (client credentials)", () => {
  it("signs in with the client secret and uploads files, but Graph refuses its channel post", async () => {
    const { sink, fake } = await setup();
    const error = await failureOf(sink.write(crash()));
    expect(fake.tokenRequests.map((request) => request.grantType)).toEqual(["client_credentials", "client_credentials"]);
    expect(fake.files).toHaveLength(1);
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toContain("application-only context only for import purposes");
    expect(error.message).toContain("configure username and password");
  });

  it("posts, reuses its token and links files where Graph lets an app post (resource-specific consent)", async () => {
    const { sink, fake } = await setup({ fake: { allowAppOnlyMessages: true } });
    await sink.write(crash());
    await sink.write(crash());
    expect(fake.tokenRequests).toHaveLength(1);
    expect(fake.messages).toHaveLength(2);
    // The second finding's log was renamed by Graph rather than overwriting the first.
    expect(cardText(fake.messages[1]!.card)).toContain("📎 [api.log](https://contoso.sharepoint.com/sites/team-1/Shared%20Documents/General/api%201.log)");
  });

  it("keeps a summary's first counts when Graph refuses the app an edit, and says so once", async () => {
    const { sink, fake, logger } = await setup({ fake: { allowAppOnlyMessages: true } });
    const ref = await sink.threads.postSummary(sink.destination(crash()), summary(1));
    await sink.threads.updateSummary(ref, summary(2));
    await sink.threads.updateSummary(ref, summary(3));
    expect(fake.graphCalls("PATCH")).toHaveLength(1);
    expect(fake.messages[0]!.edits).toBe(0);
    expect(logger.entries.filter((entry) => entry.level === "warn").map((entry) => entry.message)).toEqual([
      "Graph refuses to edit the group summary; summaries keep their first counts",
    ]);
  });

  it("does not retry a wrong client secret, and gives Entra's reason", async () => {
    const { sink, fake } = await setup({ params: { client_secret: "wrong" } });
    const error = await failureOf(sink.write(crash()));
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toMatch(/^Microsoft sign-in refused app client-1: invalid_client: AADSTS7000215: Invalid client secret provided/);
    expect(fake.graphCalls()).toHaveLength(0);
  });

  it("retries when Graph throttles, after its Retry-After", async () => {
    const { sink, fake } = await setup({ fake: { allowAppOnlyMessages: true }, params: { send_files: false } });
    fake.throttle(1, 7);
    const error = await failureOf(sink.write(crash()));
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7000 });
    expect(error.message).toContain("429 TooManyRequests");
  });
});
