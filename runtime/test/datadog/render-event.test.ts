import { createFinding, file, markdown } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { alertType, renderEvent, TEXT_LIMIT, TITLE_LIMIT } from "../../src/sinks/datadog/render-event.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const options = { clusterName: "prod-eu", now: NOW };

describe("Datadog event", () => {
  it("has Robusta's fields: title, host ns/kind/name, cluster tag, alert type, aggregation key, source", async () => {
    const event = renderEvent(sampleFinding(), options);
    expect(event).toMatchObject({
      title: "Crashing pod web-0 in namespace demo",
      host: "demo/pod/web-0",
      alert_type: "error",
      aggregation_key: "CrashLoopBackoff",
      date_happened: NOW / 1000,
      source_type_name: "Robusta",
      tags: ["cluster:prod-eu", "namespace:demo", "kind:pod", "severity:high", "status:firing"],
    });
    await expect(event.text).toMatchFileSnapshot("./__snapshots__/event-text.md");
  });

  it("writes the finding as Datadog markdown between %%% fences, files as their last lines", () => {
    const { text } = renderEvent(sampleFinding(), options);
    expect(text.startsWith("%%% \n👀 **K8s event detected** 🔴 **High**\n\n**Source:** `prod-eu`\n\nThe container app restarted 3 times")).toBe(true);
    expect(text.endsWith("\n %%%")).toBe(true);
    expect(text).not.toContain("**Crashing pod"); // the title is the event's own
    expect(text).toContain("See [the full log](https://logs.example.com/web-0) for more.");
    expect(text).toContain("📎 **web-0.log**\n```\nboom\n```");
  });

  it("leaves out what it does not know of the subject", () => {
    const event = renderEvent(createFinding({ title: "Cluster check", aggregationKey: "Check" }), options);
    expect(event).not.toHaveProperty("host");
    expect(event.tags).toEqual(["cluster:prod-eu", "severity:info", "status:firing"]);
  });

  it("maps severity to the alert type as Robusta does, and a resolved finding to success with [RESOLVED] in the title", () => {
    expect(alertType({ severity: "HIGH", status: "firing" })).toBe("error");
    expect(alertType({ severity: "MEDIUM", status: "firing" })).toBe("warning");
    expect(alertType({ severity: "LOW", status: "firing" })).toBe("info");
    expect(alertType({ severity: "DEBUG", status: "firing" })).toBe("info");
    const resolved = renderEvent(sampleFinding({ status: "resolved" }), options);
    expect(resolved).toMatchObject({ alert_type: "success", title: "[RESOLVED] Crashing pod web-0 in namespace demo" });
    expect(resolved.tags).toContain("status:resolved");
  });

  it("cuts the title to 100 characters and the aggregation key to 100", () => {
    const event = renderEvent(createFinding({ title: `Pod 🚀 ${"t".repeat(200)}`, aggregationKey: "k".repeat(150) }), options);
    expect(event.title.length).toBeLessThanOrEqual(TITLE_LIMIT);
    expect(event.title).toMatch(/^Pod 🚀 t+…$/u);
    expect(event.aggregation_key).toBe("k".repeat(100));
  });

  it("keeps the text within 4000 characters, fences included, and says how many sections were left out", () => {
    const enrichments = Array.from({ length: 20 }, (_, i) => ({ title: `Part ${i}`, annotations: {}, blocks: [markdown("z".repeat(400)), file(`part-${i}.log`, "line\n".repeat(300))] }));
    const { text } = renderEvent(createFinding({ title: "t", aggregationKey: "k", enrichments }), options);
    expect(text.length).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(text).toMatch(/\n\n✂️ \d+ more sections did not fit\.\n %%%$/u);
    expect(text).toContain("**Part 0**");
  });
});
