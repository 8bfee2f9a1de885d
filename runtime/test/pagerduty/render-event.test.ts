import { createFinding, markdown, table } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { EVENT_MAX_BYTES, fitEvent, jsonBytes } from "../../src/sinks/pagerduty/event-limits.js";
import { prestoTable } from "../../src/sinks/pagerduty/plain-text.js";
import { renderChangeEvents } from "../../src/sinks/pagerduty/render-change.js";
import { PAGERDUTY_SEVERITY, renderAlertEvent } from "../../src/sinks/pagerduty/render-event.js";
import { changeFinding, sampleFinding } from "./findings.js";

const options = { clusterName: "prod-eu", routingKey: "R0123456789abcdef0123456789abcde" };
const pretty = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

describe("PagerDuty alert event", () => {
  it("shows the finding as Robusta does: trigger, fingerprint, severity, details in Robusta's order, links", async () => {
    const event = renderAlertEvent(sampleFinding(), options);
    await expect(pretty(event)).toMatchFileSnapshot("__snapshots__/alert-event.json");
    expect(event).toMatchObject({
      event_action: "trigger",
      dedup_key: sampleFinding().fingerprint,
      payload: { summary: "Crashing pod web-0 in namespace demo", severity: "critical", source: "prod-eu", class: "CrashLoopBackoff", component: "demo/pod/web-0" },
    });
    expect(Object.keys(event.payload.custom_details)).toEqual([
      "Resource",
      "Cluster running Robusta",
      "Namespace",
      "Source of the Alert",
      "Severity",
      "Fingerprint ID",
      "Description",
      "Caption",
      "state_message",
    ]);
    expect(event.links).toEqual([
      { href: "https://runbooks.example.com/crashloop", text: "Runbook" },
      { href: "https://grafana.example.com/d/web", text: "Dashboard" },
    ]);
  });

  it("resolves the alert it opened: same dedup_key, [RESOLVED] summary, the end time", () => {
    const firing = renderAlertEvent(sampleFinding(), options);
    const resolved = renderAlertEvent(sampleFinding({ status: "resolved", endsAt: "2026-01-01T00:10:00.000Z" }), options);
    expect(resolved).toMatchObject({ event_action: "resolve", dedup_key: firing.dedup_key, payload: { summary: "[RESOLVED] Crashing pod web-0 in namespace demo", timestamp: "2026-01-01T00:10:00.000Z" } });
  });

  it("maps severities as Robusta does", () => {
    expect(PAGERDUTY_SEVERITY).toEqual({ HIGH: "critical", MEDIUM: "error", LOW: "warning", INFO: "info", DEBUG: "info" });
    expect(renderAlertEvent(sampleFinding({ severity: "LOW" }), options).payload.severity).toBe("warning");
  });

  it("cuts the summary to PagerDuty's 1024 characters", () => {
    const summary = renderAlertEvent(sampleFinding({ title: "é".repeat(2000) }), options).payload.summary;
    expect(Array.from(summary)).toHaveLength(1024);
    expect(summary.endsWith("…")).toBe(true);
  });

  it("hashes a fingerprint longer than PagerDuty's 255-character dedup_key, the same way each time", () => {
    const long = "x".repeat(300);
    const key = renderAlertEvent(sampleFinding({ fingerprint: long }), options).dedup_key;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(renderAlertEvent(sampleFinding({ fingerprint: long, status: "resolved" }), options).dedup_key).toBe(key);
  });

  it("leaves out a finding's missing subject and details rather than sending nulls", () => {
    const event = renderAlertEvent(createFinding({ title: "Cluster report", aggregationKey: "report" }, new Date(0)), options);
    expect(event.payload).not.toHaveProperty("component");
    expect(Object.keys(event.payload.custom_details)).toEqual(["Cluster running Robusta", "Source of the Alert", "Severity", "Fingerprint ID", "Caption"]);
  });

  it("keeps an event within 512 KB by cutting state_message and saying so", () => {
    const huge = markdown("log line\n".repeat(80_000));
    const finding = sampleFinding({ enrichments: [{ annotations: {}, blocks: [huge] }] });
    const event = renderAlertEvent(finding, options);
    expect(jsonBytes(event)).toBeLessThanOrEqual(EVENT_MAX_BYTES);
    expect(jsonBytes(event)).toBeGreaterThan(EVENT_MAX_BYTES - 64);
    expect(event.payload.custom_details.state_message).toMatch(/\nlog l?i?n?e?… ✂️ cut to fit PagerDuty's 512 KB event limit$/);
    expect(event.payload.custom_details.Caption).toBe("🔴 critical - Crashing pod web-0 in namespace demo");
  });

  it("leaves details out, counted, when cutting the last one is not enough", () => {
    const event = {
      routing_key: "k",
      payload: { custom_details: { a: "a".repeat(300), b: "b".repeat(300), c: "c".repeat(300) } },
      links: [{ href: "https://x.example.com", text: "x" }],
    };
    const fitted = fitEvent(event, 600);
    expect(jsonBytes(fitted)).toBeLessThanOrEqual(600);
    expect(fitted.payload.custom_details).toMatchObject({ "✂️ Left out": "1 more detail: PagerDuty takes events of up to 512 KB" });
    expect(fitted.payload.custom_details.a).toBe("a".repeat(300));
    expect(fitted.payload.custom_details.b).toMatch(/^b+… ✂️ cut/);
    expect(fitted.links).toHaveLength(1);
  });
});

describe("state_message tables", () => {
  it("prints tables as tabulate's presto format, numbers right-aligned", () => {
    expect(prestoTable(table([["app", 3, "OOMKilled"], ["sidecar", 12, null]], { headers: ["container", "restarts", "reason"] }))).toBe(
      [" container   |   restarts | reason", "-------------+------------+-----------", " app         |          3 | OOMKilled", " sidecar     |         12 |"].join("\n"),
    );
    expect(prestoTable(table([["restarts", 3]]))).toBe(" restarts | 3");
  });
});

describe("PagerDuty change events", () => {
  it("sends a configuration change as Robusta does: summary with the change count, one detail per change", async () => {
    const [event, ...rest] = renderChangeEvents(changeFinding(), options);
    expect(rest).toEqual([]);
    await expect(pretty(event)).toMatchFileSnapshot("__snapshots__/change-event.json");
    expect(event!.payload.summary).toBe("Deployment demo/web updated in cluster prod-eu (2 changes)");
    expect(event!.payload.custom_details).toMatchObject({ "Change 1": "spec.replicas: 2 ==> 3", "Change 3": "metadata.labels.team: None ==> payments" });
  });

  it("says what happened to a created or deleted resource", () => {
    const base = changeFinding();
    const created = changeFinding({ title: "web created", enrichments: [{ ...base.enrichments[0]!, annotations: { operation: "create" } }] });
    const [event] = renderChangeEvents(created, options);
    expect(event!.payload.summary).toBe("Deployment demo/web created in cluster prod-eu");
    expect(event!.payload.custom_details.Remarks).toBe("Resource created");
  });

  it("sends a change finding without an operation as one change event of its title", () => {
    const events = renderChangeEvents(changeFinding({ enrichments: [] }), options);
    expect(events).toEqual([
      {
        routing_key: options.routingKey,
        payload: { summary: "web updated", timestamp: "2026-01-01T00:00:00.000Z", source: "prod-eu", custom_details: { Remarks: "Updates to significant fields: 1 additions, 0 deletions, 2 changes." } },
        links: [],
      },
    ]);
  });
});
