import { markdown, table } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { blockHtml, slackToHtml } from "../../src/sinks/opsgenie/render-html.js";
import { OPSGENIE_PRIORITY, alertDetails, renderCreateAlert, type AlertOptions } from "../../src/sinks/opsgenie/render-alert.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const options: AlertOptions = { clusterName: "prod-eu", teams: ["noc"], tags: ["prod a"], extraDetailsLabels: false };
const pretty = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

describe("Opsgenie create alert", () => {
  it("shows the finding as Robusta does: alias = fingerprint, cluster tag first, details, HTML description", async () => {
    const body = renderCreateAlert(sampleFinding(), options);
    await expect(pretty(body)).toMatchFileSnapshot("__snapshots__/create-alert.json");
    await expect(body.description).toMatchFileSnapshot("__snapshots__/description.html");
    expect(body).toMatchObject({
      message: "Crashing pod web-0 in namespace demo",
      alias: sampleFinding().fingerprint,
      responders: [{ name: "noc", type: "team" }],
      tags: ["prod-eu", "prod a"],
      details: { Resource: "web-0", Cluster: "prod-eu", Namespace: "demo", Source: "KUBERNETES_API_SERVER" },
      entity: "demo/pod/web-0",
      source: "Robusta",
      priority: "P1",
    });
  });

  it("maps severities to priorities as Robusta does", () => {
    expect(OPSGENIE_PRIORITY).toEqual({ HIGH: "P1", MEDIUM: "P3", LOW: "P4", INFO: "P5", DEBUG: "P3" });
  });

  it("fills in team and tag templates from labels, with default_team for a missing label", () => {
    const templated = { ...options, teams: ["noc", "$labels.app", "team-${labels.squad}"], defaultTeam: "oncall", tags: ["$labels.tier", "$labels.missing", "$cluster_name"] };
    const body = renderCreateAlert(sampleFinding(), templated);
    expect(body.responders.map((team) => team.name)).toEqual(["noc", "web", "oncall"]);
    expect(body.tags).toEqual(["prod-eu", "frontend"]);
    expect(renderCreateAlert(sampleFinding(), { ...options, teams: ["$labels.missing"] }).responders).toEqual([]);
    expect(renderCreateAlert(sampleFinding(), { ...options, teams: [], defaultTeam: "oncall" }).responders).toEqual([{ name: "oncall", type: "team" }]);
  });

  it("adds the subject's labels to the details with extra_details_labels, never over a detail of Robusta's", () => {
    const finding = sampleFinding({ subject: { ...sampleFinding().subject, labels: { app: "web", namespace: "other" } } });
    expect(alertDetails(finding, "prod-eu", true)).toEqual({ Resource: "web-0", Cluster: "prod-eu", Namespace: "demo", Source: "KUBERNETES_API_SERVER", app: "web" });
  });

  it("keeps every field within the Alert API's limits, saying what was left out", () => {
    const labels = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`label-${i}`, "v".repeat(60)]));
    const finding = sampleFinding({
      title: "t".repeat(200),
      subject: { ...sampleFinding().subject, labels },
      enrichments: [{ annotations: {}, blocks: [markdown("first")] }, { annotations: {}, blocks: [markdown("x".repeat(20_000))] }, { annotations: {}, blocks: [markdown("last")] }],
    });
    const body = renderCreateAlert(finding, { ...options, tags: Array.from({ length: 30 }, (_, i) => `tag-${i}-${"y".repeat(60)}`), extraDetailsLabels: true });
    expect(Array.from(body.message)).toHaveLength(130);
    expect(body.message.endsWith("…")).toBe(true);
    expect(Array.from(body.description).length).toBeLessThanOrEqual(15_000);
    expect(body.description).toMatch(/<p>first<\/p>\n---\n<p>last<\/p>\n✂️ 1 more section did not fit\.$/);
    expect(body.tags).toHaveLength(20);
    expect(body.tags.every((tag) => Array.from(tag).length <= 50)).toBe(true);
    const detailChars = Object.entries(body.details).reduce((sum, [key, value]) => sum + Array.from(key + value).length, 0);
    expect(detailChars).toBeLessThanOrEqual(8000);
    expect(body.details["✂️ Left out"]).toMatch(/^\d+ labels \(details are limited to 8000 characters\)$/);
  });
});

describe("Opsgenie HTML", () => {
  it("turns Slack markdown into HTML, escaping the rest", () => {
    expect(slackToHtml("*Pod* <https://x.example.com/a?b=1&c=2|logs> `kubectl` a<b\nnext")).toBe(
      '<b>Pod</b> <a href="https://x.example.com/a?b=1&amp;c=2">logs</a> <code>kubectl</code> a&lt;b<br/>next',
    );
  });

  it("writes tables as HTML tables", () => {
    expect(blockHtml(table([["app", 3]], { headers: ["container", "restarts"], name: "Containers" }))).toBe(
      "<p>Containers</p><table><thead><tr><th>container</th><th>restarts</th></tr></thead><tbody><tr><td>app</td><td>3</td></tr></tbody></table>",
    );
  });
});
