import { describe, expect, it } from "vitest";
import { sinksConfigSchema } from "../../src/sinks/sinks-config.js";
import { graphSettingsOf, msTeamsGraphSinkParams, msTeamsSinkParams } from "../../src/sinks/teams/teams-params.js";

const messages = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((issue) => `${issue.path.join(".")}: ${issue.message}`);

const app = { tenant_id: "t", client_id: "c", client_secret: "s", team_id: "team", channel_id: "19:x@thread.tacv2" };

describe("ms_teams_sink parameters", () => {
  it("takes Robusta's webhook keys", () => {
    const parsed = msTeamsSinkParams.parse({ name: "teams", webhook_url: "https://prod.westeurope.logic.azure.com/workflows/1/triggers/manual/paths/invoke?sig=x", webhook_override: "annotations.teams-webhook" });
    expect(parsed).toMatchObject({ name: "teams", default: true, send_files: true, webhook_override: "annotations.teams-webhook" });
  });

  it("asks for one mode when none is given", () => {
    expect(messages(msTeamsSinkParams.safeParse({ name: "teams" }))).toEqual([
      "webhook_url: set webhook_url (a Teams Workflows webhook URL), or app mode: tenant_id, client_id, client_secret, team_id and channel_id",
    ]);
  });

  it("refuses both modes at once", () => {
    expect(messages(msTeamsSinkParams.safeParse({ name: "teams", webhook_url: "https://x.example/hook", ...app }))).toEqual([
      "tenant_id: configure one mode: webhook_url (a Workflows webhook) or app mode (tenant_id, client_id, client_secret, team_id, channel_id), not both",
    ]);
  });

  it("names what app mode lacks", () => {
    expect(messages(msTeamsSinkParams.safeParse({ name: "teams", tenant_id: "t", client_id: "c" }))).toEqual([
      "team_id: app mode needs team_id",
      "channel_id: app mode needs channel_id",
      "client_secret: app mode needs client_secret (or username and password for a service account)",
    ]);
    expect(messages(msTeamsSinkParams.safeParse({ name: "teams", ...app, username: "bot@contoso.com" }))).toEqual(["password: username and password go together"]);
  });

  it("rejects unknown keys, bad templates and a webhook override in app mode", () => {
    expect(msTeamsSinkParams.safeParse({ name: "teams", webhook_url: "https://x.example/hook", channel: "x" }).success).toBe(false);
    expect(messages(msTeamsSinkParams.safeParse({ name: "teams", webhook_url: "https://x.example/hook", webhook_override: "teams" }))[0]).toMatch(/^webhook_override: must be/);
    expect(messages(msTeamsSinkParams.safeParse({ name: "teams", ...app, webhook_override: "annotations.x" }))).toEqual([
      "webhook_override: applies to webhook mode only; app mode uses channel_override",
    ]);
  });

  it("gives app mode Robusta's defaults", () => {
    const settings = graphSettingsOf(msTeamsSinkParams.parse({ name: "teams", ...app, graph_endpoint: "https://graph.microsoft.us/" }));
    expect(settings).toMatchObject({
      authorityHost: "https://login.microsoftonline.com",
      graphEndpoint: "https://graph.microsoft.us",
      scope: "https://graph.microsoft.us/.default",
      sendFiles: true,
      sendToDefaultIfMissing: true,
    });
  });
});

describe("ms_teams_graph_sink parameters (Robusta's key)", () => {
  it("takes a Robusta service-account configuration unchanged", () => {
    const parsed = msTeamsGraphSinkParams.parse({
      name: "teams",
      tenant_id: "t",
      client_id: "c",
      username: "robusta@contoso.com",
      password: "pw",
      team_id: "team",
      channel_id: "19%3Ax%40thread.tacv2",
      channel_override: "labels.team",
      send_to_default_if_missing: false,
      disable_platform_links: true,
    });
    expect(graphSettingsOf(parsed)).toMatchObject({ username: "robusta@contoso.com", channelOverride: "labels.team", sendToDefaultIfMissing: false });
  });

  it("has no webhook keys", () => {
    expect(msTeamsGraphSinkParams.safeParse({ name: "teams", ...app, webhook_url: "https://x.example/hook" }).success).toBe(false);
  });
});

describe("ms_teams_sink in sinksConfig", () => {
  const grouping = { group_by: ["namespace"], notification_mode: { summary: { threaded: true, by: ["identifier"] } } };

  it("takes summary grouping in app mode, which threads", () => {
    expect(sinksConfigSchema.safeParse([{ ms_teams_sink: { name: "teams", ...app, grouping } }]).success).toBe(true);
  });

  it("refuses summary grouping for a webhook, which cannot thread", () => {
    const result = sinksConfigSchema.safeParse([{ ms_teams_sink: { name: "teams", webhook_url: "https://x.example/hook", grouping } }]);
    expect(messages(result)[0]).toMatch(/^0\.ms_teams_sink\.grouping\.notification_mode\.summary: summary grouping needs a sink that can reply in threads/);
  });
});
