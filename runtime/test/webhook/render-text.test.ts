import { createFinding } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { renderWebhookText, webhookTextLines } from "../../src/sinks/webhook/render-text.js";
import { sampleFinding } from "./sample-finding.js";

const bytes = (text: string): number => Buffer.byteLength(text, "utf8");

describe("webhook text body", () => {
  it("has Robusta's lines in Robusta's order, Slack links made readable", async () => {
    const text = renderWebhookText(sampleFinding(), "prod-eu", 100_000);
    await expect(text).toMatchFileSnapshot("./__snapshots__/text-full.txt");
    expect(webhookTextLines(sampleFinding(), "prod-eu").slice(0, 6)).toEqual([
      "Crashing pod web-0 in namespace demo",
      "Runbook: https://runbooks.example.com/crashloop",
      "Source: prod-eu",
      "The container app restarted 3 times in 5 minutes.",
      "Container app",
      "restarts: 3",
    ]);
    expect(text).toContain("\nSee the full log: https://logs.example.com/web-0 for more.\n");
    expect(text).toContain("\nfirst A: https://a.example.com\n");
    expect(text).toContain("\nsecond, no link <@U123>\n");
    expect(text).toContain("\n*spec.replicas*: 2 ==> 3\n");
    expect(text).not.toContain("boom"); // file contents are not text lines
    expect(text).not.toContain("Restart"); // nor buttons
  });

  it("sends each line as Robusta does: a newline before and after", () => {
    const finding = createFinding({ title: "Disk full", aggregationKey: "DiskFull" });
    expect(renderWebhookText(finding, "c1", 4096)).toBe("\nDisk full\n\nSource: c1\n");
  });

  it("marks resolved findings in the title, once", () => {
    const resolved = createFinding({ title: "Disk full", aggregationKey: "DiskFull", status: "resolved" });
    expect(renderWebhookText(resolved, "c1", 4096)).toBe("\n[RESOLVED] Disk full\n\nSource: c1\n");
    const alreadyMarked = { ...resolved, title: "[RESOLVED] Disk full" };
    expect(renderWebhookText(alreadyMarked, "c1", 4096)).toBe("\n[RESOLVED] Disk full\n\nSource: c1\n");
  });

  it("stops at the first line that does not fit, as Robusta does, even if later lines would", () => {
    const finding = createFinding({ title: "Disk full", aggregationKey: "DiskFull", description: "x".repeat(200), enrichments: [] });
    expect(renderWebhookText(finding, "c1", 100)).toBe("\nDisk full\n\nSource: c1\n");
  });

  it("cuts a title too long for the limit instead of sending nothing", () => {
    const finding = createFinding({ title: "é".repeat(100), aggregationKey: "Long" });
    const text = renderWebhookText(finding, "c1", 31);
    expect(text).toBe(`\n${"é".repeat(13)}…\n`);
    expect(bytes(text)).toBeLessThanOrEqual(31);
  });

  it("never passes size_limit in bytes, multi-byte characters included, and keeps whole lines in order", () => {
    const multiByte = sampleFinding({
      title: "Pod 🚀 web-0 は再起動を繰り返しています",
      description: "Ünïcödé description — with emoji 🔥🔥 and CJK 日本語",
    });
    for (const finding of [sampleFinding(), multiByte]) {
      const full = renderWebhookText(finding, "prod-eu", 1_000_000);
      let previous = "";
      for (let limit = 0; limit <= bytes(full) + 8; limit++) {
        const text = renderWebhookText(finding, "prod-eu", limit);
        expect(bytes(text), `size_limit ${limit}`).toBeLessThanOrEqual(limit);
        if (text.endsWith("…\n")) continue; // the cut title, for limits too small for it
        expect(full.startsWith(text), `size_limit ${limit}`).toBe(true);
        expect(text.length).toBeGreaterThanOrEqual(previous.length);
        previous = text;
      }
      expect(previous).toBe(full);
    }
  });
});
