import { createFinding, markdown } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { DESCRIPTION_LIMIT, incidentHeader, renderIncident, SHORT_DESCRIPTION_LIMIT } from "../../src/sinks/servicenow/render-incident.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const options = { clusterName: "prod-eu" };

describe("ServiceNow incident body", () => {
  it("shows the finding as Robusta's sender does: header, then links, source, description and enrichments in plain text", async () => {
    const incident = renderIncident(sampleFinding(), { ...options, callerId: "abel.tuter" });
    expect(incident).toMatchObject({
      short_description: "🔴 HIGH 🔴 Crashing pod web-0 in namespace demo",
      impact: 1,
      urgency: 1,
      priority: 1,
      category: "Network",
      correlation_id: sampleFinding().fingerprint,
      caller_id: "abel.tuter",
    });
    await expect(incident.description).toMatchFileSnapshot("./__snapshots__/description-full.txt");
    expect(incident.description.split("\n\n").slice(0, 3)).toEqual([
      "Runbook (https://runbooks.example.com/crashloop)",
      "Source: prod-eu",
      "👀 K8s event detected: The container app restarted 3 times in 5 minutes.",
    ]);
    expect(incident.description).toContain("See the full log (https://logs.example.com/web-0) for more.");
    expect(incident.description).toContain("📎 web-0.log"); // named: the file itself is attached
    expect(incident.description).not.toMatch(/\*\*|<https?:/);
  });

  it("has no caller_id unless one is configured", () => {
    expect(renderIncident(sampleFinding(), options)).not.toHaveProperty("caller_id");
  });

  it("marks alerts with their status, as Robusta does for findings with a silence link", () => {
    const alert = createFinding({ title: "KubePodCrashLooping", aggregationKey: "KubePodCrashLooping", source: "PROMETHEUS", severity: "LOW", description: "Pod restarts" });
    expect(incidentHeader(alert)).toBe("🔥 Prometheus Alert Firing 🟡 LOW 🟡 KubePodCrashLooping");
    expect(incidentHeader({ ...alert, status: "resolved" })).toBe("✅ Resolved 🟡 LOW 🟡 KubePodCrashLooping");
    expect(renderIncident(alert, options).description).toBe("Source: prod-eu\n\n🚨 Alert: Pod restarts");
    const notification = createFinding({ title: "Job done", aggregationKey: "JobDone", description: "ok" });
    expect(renderIncident(notification, options).description).toBe("Source: prod-eu\n\n👀 Notification: ok");
  });

  it("maps severities to Robusta's impact, urgency and priority; MEDIUM to ServiceNow's Moderate", () => {
    const levels = (severity: "DEBUG" | "INFO" | "LOW" | "MEDIUM" | "HIGH") => {
      const { impact, urgency, priority } = renderIncident(createFinding({ title: "t", aggregationKey: "k", severity }), options);
      return [impact, urgency, priority];
    };
    expect(levels("HIGH")).toEqual([1, 1, 1]);
    expect(levels("MEDIUM")).toEqual([2, 2, 3]);
    expect(levels("LOW")).toEqual([3, 2, 4]);
    expect(levels("INFO")).toEqual([3, 3, 5]);
    expect(levels("DEBUG")).toEqual([3, 3, 5]);
  });

  it("cuts a long header to 160 UTF-16 units with … and starts the description with the whole title", () => {
    const title = `Pod 🚀 ${"x".repeat(300)} end`;
    const incident = renderIncident(createFinding({ title, aggregationKey: "k", severity: "HIGH" }), options);
    expect(incident.short_description.length).toBeLessThanOrEqual(SHORT_DESCRIPTION_LIMIT);
    expect(incident.short_description.length).toBeGreaterThan(SHORT_DESCRIPTION_LIMIT - 2);
    expect(incident.short_description).toMatch(/^🔴 HIGH 🔴 Pod 🚀 x+…$/u);
    expect(incident.description.startsWith(`${title}\n\nSource: prod-eu`)).toBe(true);
  });

  it("keeps the description within 4000 UTF-16 units, whole paragraphs in order, and says how many were left out", () => {
    const enrichments = Array.from({ length: 30 }, (_, i) => ({ title: `Part ${i}`, annotations: {}, blocks: [markdown(`🔥 ${"y".repeat(300)}`)] }));
    const incident = renderIncident(createFinding({ title: "t", aggregationKey: "k", enrichments }), options);
    expect(incident.description.length).toBeLessThanOrEqual(DESCRIPTION_LIMIT);
    const paragraphs = incident.description.split("\n\n");
    expect(paragraphs[0]).toBe("Source: prod-eu");
    const kept = paragraphs.filter((paragraph) => paragraph.startsWith("Part "));
    expect(kept.map((paragraph) => paragraph.split("\n")[0])).toEqual(kept.map((_, i) => `Part ${i}`));
    expect(paragraphs.at(-1)).toBe(`✂️ ${30 - kept.length} more sections did not fit.`);
  });
});
