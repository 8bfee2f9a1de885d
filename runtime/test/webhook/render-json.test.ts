import { createFinding, file } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { findingToJson } from "../../src/sinks/finding-json.js";
import { renderSlackWebhookJson, renderWebhookJson } from "../../src/sinks/webhook/render-json.js";
import { sampleFinding } from "./sample-finding.js";

const size = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), "utf8");

describe("webhook JSON body", () => {
  it("is the finding JSON, unchanged and unmarked, when it fits", () => {
    const finding = sampleFinding();
    const full = findingToJson(finding, "prod-eu");
    expect(renderWebhookJson(finding, "prod-eu", size(full))).toEqual(full);
    expect(Object.keys(renderWebhookJson(finding, "prod-eu", 100_000))).toEqual(Object.keys(full));
  });

  it("drops enrichments first, keeping those that fit in order, and says it truncated", async () => {
    const finding = sampleFinding();
    const full = findingToJson(finding, "prod-eu");
    const withFirstEnrichment = { ...full, enrichments: (full.enrichments as unknown[]).slice(0, 1), truncated: true };
    const body = renderWebhookJson(finding, "prod-eu", size(withFirstEnrichment));
    expect(body).toEqual(withFirstEnrichment);
    expect(Object.keys(body).slice(-2)).toEqual(["enrichments", "truncated"]);
    await expect(JSON.stringify(renderWebhookJson(finding, "prod-eu", 1200), null, 2)).toMatchFileSnapshot("./__snapshots__/json-1200.json");
  });

  it("leaves out a key too large for the limit but keeps the later ones (Robusta stops at it)", () => {
    const finding = createFinding({ title: "Disk full", aggregationKey: "DiskFull", description: "x".repeat(5000) }, new Date("2026-01-01T00:00:00Z"));
    const body = renderWebhookJson(finding, "c1", 1024);
    expect(body.description).toBeUndefined();
    expect(body).toMatchObject({ title: "Disk full", cluster_name: "c1", aggregation_key: "DiskFull", fingerprint: finding.fingerprint, id: finding.id, enrichments: [], truncated: true });
  });

  it("never passes size_limit in bytes, multi-byte characters included; keeps keys in order and enrichments as a prefix", () => {
    const multiByte = sampleFinding({
      title: "Pod 🚀 web-0 は再起動を繰り返しています",
      description: "Ünïcödé — 🔥".repeat(20),
      enrichments: [
        ...sampleFinding().enrichments,
        { title: "Log 日本語", annotations: {}, blocks: [file("web-0.log", "ログ行 🔥\n".repeat(30))] },
      ],
    });
    for (const finding of [sampleFinding(), multiByte]) {
      const full = findingToJson(finding, "prod-eu");
      const fullSize = size(full);
      const keys = Object.keys(full);
      const enrichments = full.enrichments as unknown[];
      for (let limit = 18; limit <= fullSize + 8; limit += 7) {
        const body = renderWebhookJson(finding, "prod-eu", limit);
        expect(size(body), `size_limit ${limit}`).toBeLessThanOrEqual(limit);
        expect(body.truncated, `size_limit ${limit}`).toBe(limit < fullSize ? true : undefined);
        const bodyKeys = Object.keys(body).filter((key) => key !== "truncated");
        expect(bodyKeys).toEqual(keys.filter((key) => bodyKeys.includes(key)));
        for (const key of bodyKeys) if (key !== "enrichments") expect(body[key]).toEqual(full[key]);
        if (body.enrichments !== undefined) {
          const kept = body.enrichments as unknown[];
          expect(kept).toEqual(enrichments.slice(0, kept.length));
        }
      }
    }
  });

  it("is as large as the limit allows: one byte more would have fit the next enrichment", () => {
    const finding = sampleFinding();
    const full = findingToJson(finding, "prod-eu");
    const firstTwo = { ...full, enrichments: (full.enrichments as unknown[]).slice(0, 2), truncated: true };
    expect((renderWebhookJson(finding, "prod-eu", size(firstTwo) - 1).enrichments as unknown[]).length).toBe(1);
    expect((renderWebhookJson(finding, "prod-eu", size(firstTwo)).enrichments as unknown[]).length).toBe(2);
  });
});

describe("slack_webhook body", () => {
  it("is Robusta's {text} with title, description, failure, aggregation key and labels", () => {
    expect(renderSlackWebhookJson(sampleFinding(), 4096)).toEqual({
      text:
        "*Title:* Crashing pod web-0 in namespace demo\n" +
        "*Description:* The container app restarted 3 times in 5 minutes.\n" +
        "*Failure:* True\n" +
        "*Aggregation Key:* CrashLoopBackoff\n" +
        "*labels*: app: web, tier: frontend\n",
    });
    const bare = createFinding({ title: "Disk full", aggregationKey: "DiskFull", failure: false, status: "resolved" });
    expect(renderSlackWebhookJson(bare, 4096).text).toBe(
      "*Title:* [RESOLVED] Disk full\n*Description:* None\n*Failure:* False\n*Aggregation Key:* DiskFull\n*labels*: None\n",
    );
  });

  it("is cut with … to stay within size_limit in bytes", () => {
    const finding = sampleFinding({ title: "Pod 🚀 web-0 は再起動を繰り返しています" });
    const full = renderSlackWebhookJson(finding, 100_000);
    for (let limit = 16; limit <= size(full); limit++) {
      const body = renderSlackWebhookJson(finding, limit);
      expect(size(body), `size_limit ${limit}`).toBeLessThanOrEqual(limit);
      expect(full.text.startsWith(body.text.replace(/…$/, ""))).toBe(true);
    }
    expect(renderSlackWebhookJson(finding, 60).text).toMatch(/^\*Title:\* Pod 🚀 web-0 .*…$/u);
  });
});
