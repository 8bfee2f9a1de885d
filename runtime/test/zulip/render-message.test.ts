import { binaryFile, createFinding, file, markdown, type Enrichment } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { filesToUpload, renderZulipContent, ZULIP_LIMITS, zulipTopic, type UploadOutcome } from "../../src/sinks/zulip/render-message.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const options = { clusterName: "prod-eu", logPreviewChars: 500, uploads: new Map<number, UploadOutcome>() };
const enrichment = (...blocks: Enrichment["blocks"]): Enrichment => ({ blocks, annotations: {} });
const chars = (text: string): number => Array.from(text).length;

describe("Zulip message", () => {
  it("shows the finding as Robusta does, logs previewed inline", async () => {
    const content = renderZulipContent(sampleFinding(), options);
    await expect(content).toMatchFileSnapshot("./__snapshots__/message.md");
    expect(content.split("\n\n").slice(0, 4)).toEqual([
      "👀 **K8s event detected** 🔴 **High**\nCrashing pod web-0 in namespace demo",
      "🎬 [Runbook](https://runbooks.example.com/crashloop)",
      "**Source:** `prod-eu`",
      "The container app restarted 3 times in 5 minutes.",
    ]);
    expect(content).toContain("📜 **web-0.log**\n```\nboom\n```");
    expect(filesToUpload(sampleFinding(), 500)).toEqual([]);
  });

  it("says firing and resolved for alerts", () => {
    const alert = createFinding({ title: "KubePodCrashLooping", aggregationKey: "KubePodCrashLooping", source: "PROMETHEUS", severity: "LOW" });
    expect(renderZulipContent(alert, options)).toMatch(/^🔥 \*\*Prometheus Alert Firing\*\* 🟡 \*\*Low\*\*\nKubePodCrashLooping\n\n/);
    expect(renderZulipContent({ ...alert, status: "resolved" }, options)).toMatch(/^✅ \*\*Prometheus resolved\*\* 🟡 \*\*Low\*\*\n/);
  });

  it("escapes only what Zulip's markdown would read as markup", () => {
    const finding = createFinding({
      title: "t",
      aggregationKey: "x",
      enrichments: [enrichment({ type: "table", headers: [], rows: [["label *a*", "x < y | z ~ #1 @**all**"]] })],
    });
    expect(renderZulipContent(finding, options)).toContain("• **label \\*a\\***: x < y \\| z ~ \\#1 @\\*\\*all\\*\\*");
  });

  it("uploads logs longer than log_preview_char_limit and links the full file under the preview", () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
    const finding = createFinding({ title: "Logs", aggregationKey: "L", enrichments: [enrichment(file("app.log", lines))] });
    expect(filesToUpload(finding, 50)).toEqual([0]);
    const content = renderZulipContent(finding, { ...options, logPreviewChars: 50, uploads: new Map([[0, { url: "/user_uploads/2/ab/x/app.log" }]]) });
    expect(content).toContain("📜 **app.log** · last lines; [full log](/user_uploads/2/ab/x/app.log)\n```\nline 94\nline 95\nline 96\nline 97\nline 98\nline 99\n```");
  });

  it("uploads other files, and logs too when log_preview_char_limit is 0, saying which could not be", () => {
    const finding = createFinding({
      title: "Files",
      aggregationKey: "F",
      enrichments: [enrichment(binaryFile("graph.png", new Uint8Array([1, 2, 3])), file("app.log", "boom"), file("values.yaml", "a: 1"))],
    });
    expect(filesToUpload(finding, 500)).toEqual([0, 2]);
    expect(filesToUpload(finding, 0)).toEqual([0, 1, 2]);
    const uploads = new Map<number, UploadOutcome>([
      [0, { url: "/user_uploads/2/ab/x/graph.png" }],
      [1, { failed: "Zulip user_uploads answered 400: Uploaded file is larger than the allowed limit of 25 MiB (BAD_REQUEST)" }],
      [2, { url: "/user_uploads/2/cd/y/values.yaml" }],
    ]);
    const content = renderZulipContent(finding, { ...options, logPreviewChars: 0, uploads });
    expect(content).toContain("📎 [graph.png](/user_uploads/2/ab/x/graph.png)\n\n📎 app.log could not be uploaded: Zulip user\\_uploads answered 400");
    expect(content).toContain("📎 [values.yaml](/user_uploads/2/cd/y/values.yaml)");
  });

  it("keeps within 10000 characters, dropping whole blocks with a note, and cuts one huge block with …", () => {
    const many = createFinding({ title: "Many", aggregationKey: "M", enrichments: [enrichment(...Array.from({ length: 30 }, (_, i) => markdown(`block ${i} ${"é".repeat(500)}`)))] });
    const content = renderZulipContent(many, options);
    expect(chars(content)).toBeLessThanOrEqual(ZULIP_LIMITS.content);
    expect(content).toMatch(/✂️ \d+ more sections did not fit\.$/);

    const huge = createFinding({ title: "Huge", aggregationKey: "H", enrichments: [enrichment(markdown("🔥".repeat(20_000)))] });
    const cut = renderZulipContent(huge, options);
    expect(chars(cut)).toBeLessThanOrEqual(ZULIP_LIMITS.content);
    expect(cut).toMatch(/🔥…$/);
  });

  it("resolves topic_override for the finding, falls back to topic_name, and keeps within 60 characters", () => {
    const finding = createFinding({ title: "t", aggregationKey: "x", subject: { labels: { team: "payments" }, annotations: {} } });
    const topic = (topicOverride: string | undefined, topicName = "Robusta") => zulipTopic(finding, { topicName, topicOverride }, "prod-eu");
    expect(topic(undefined)).toBe("Robusta");
    expect(topic("$cluster_name-${labels.team}")).toBe("prod-eu-payments");
    expect(topic("labels.missing")).toBe("Robusta");
    const long = topic("labels.team", "x".repeat(100));
    expect(long).toBe("payments");
    expect(topic(undefined, "é".repeat(100))).toBe(`${"é".repeat(59)}…`);
  });
});
