import { describe, expect, it } from "vitest";
import { definePlaybook, file, onPrometheusAlert, table } from "@robusta-ts/sdk";
import { createTestRunner, fixtures } from "@robusta-ts/sdk/testing";
import { previewsOf, slackMessageOf, teamsMessageOf } from "@robusta-ts/runtime/testing";

const enrich = definePlaybook({
  name: "enrich",
  triggers: [onPrometheusAlert({})],
  run: (_event, ctx) => {
    ctx.addEnrichment([table([["a", 1, "x", "y"]], { headers: ["w", "x", "y", "z"], name: "wide" }), file("app.log", "boom\n")], { title: "Details" });
  },
});

describe("previews of a test runner's findings", () => {
  it("show the Slack message the slack_sink would post, with the files it would upload", async () => {
    const runner = createTestRunner({ playbooks: [enrich] });
    const [finding] = await runner.receiveAlert(fixtures.alert({ name: "HighLatency", labels: { severity: "critical" } }));
    const slack = slackMessageOf(finding!, { clusterName: "prod" });
    expect(slack.text).toContain("HighLatency");
    expect(JSON.stringify(slack.blocks)).toContain("prod");
    // A table wider than three columns and a log become uploaded files, as Robusta does.
    expect(slack.files.map((f) => f.filename)).toEqual(["wide.txt", "app.log"]);
  });

  it("show the Teams card the ms_teams_sink would post", async () => {
    const runner = createTestRunner({ playbooks: [enrich] });
    const [finding] = await runner.receiveAlert(fixtures.alert({ name: "HighLatency" }));
    const card = teamsMessageOf(finding!).attachments[0]!.content;
    expect(card.type).toBe("AdaptiveCard");
    expect(JSON.stringify(card.body)).toContain("Details");
  });

  it("show a whole capturing sink as Slack and Teams would, finding by finding", async () => {
    const runner = createTestRunner({ playbooks: [enrich] });
    await runner.receiveAlert([fixtures.alert({ name: "DiskFull" }), fixtures.alert({ name: "HighLatency" })]);
    const { slack, teams } = previewsOf(runner.sink(), { clusterName: "prod" });
    expect(slack.map((message) => message.text)).toEqual([expect.stringContaining("DiskFull"), expect.stringContaining("HighLatency")]);
    expect(teams).toHaveLength(2);
  });
});
