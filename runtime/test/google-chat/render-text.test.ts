import { createFinding, file, markdown, table, type Enrichment } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { GOOGLE_CHAT_MARKDOWN as md } from "../../src/sinks/google-chat/dialect.js";
import { googleChatSections, renderGoogleChatText } from "../../src/sinks/google-chat/render-text.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const enrichment = (blocks: Enrichment["blocks"], title?: string): Enrichment => ({ blocks, annotations: {}, ...(title !== undefined && { title }) });

describe("Google Chat text", () => {
  it("shows the finding in Robusta's order: status and title, links, Source, description, enrichments", async () => {
    const text = renderGoogleChatText(sampleFinding(), "prod-eu");
    await expect(text).toMatchFileSnapshot("./__snapshots__/text-sample.txt");
    expect(googleChatSections(sampleFinding(), "prod-eu").slice(0, 4)).toEqual([
      "👀 *K8s event detected* 🔴 *High*\n*Crashing pod web-0 in namespace demo*",
      "<https://runbooks.example.com/crashloop|*Runbook*>",
      "*Source:* `prod-eu`",
      "👀 *K8s event detected:* The container app restarted 3 times in 5 minutes.",
    ]);
    expect(text).toContain("See <https://logs.example.com/web-0|the full log> for more."); // Slack links are Chat's too
    expect(text).toContain("```\ncontainer  restarts  reason\napp        3         OOMKilled\n```"); // no tables: aligned text
    expect(text).toContain("📎 *web-0.log*\n```\nboom\n```"); // the webhook cannot attach: the log's tail
  });

  it("marks a resolved Prometheus alert and prefixes its description as Robusta does", () => {
    const resolved = createFinding({ title: "KubePodCrashLooping", aggregationKey: "KubePodCrashLooping", source: "PROMETHEUS", status: "resolved", description: "Pod is fine" });
    expect(renderGoogleChatText(resolved, "c1")).toBe("✅ *Prometheus resolved* 🟢 *Info*\n*KubePodCrashLooping*\n\n*Source:* `c1`\n\n🚨 *Alert:* Pod is fine");
    const firing = { ...resolved, status: "firing" as const, source: "MANUAL" as const };
    expect(renderGoogleChatText(firing, "c1")).toBe("👀 *Notification* 🟢 *Info*\n*KubePodCrashLooping*\n\n*Source:* `c1`\n\n👀 *Notification:* Pod is fine");
  });

  it("keeps the text within Chat's 4096 characters (UTF-16), whole sections in order, saying how many were left out", () => {
    const text = "Ünï 🔥 日本 ".repeat(60);
    const finding = createFinding({
      title: "Disk full",
      aggregationKey: "DiskFull",
      enrichments: Array.from({ length: 20 }, (_, i) => enrichment([markdown(`${i}: ${text}`)], `E${i}`)),
    });
    const rendered = renderGoogleChatText(finding, "c1");
    expect(rendered.length).toBeLessThanOrEqual(4096);
    const sections = googleChatSections(finding, "c1");
    const kept = sections.filter((section) => rendered.includes(section));
    expect(sections.slice(0, kept.length)).toEqual(kept);
    expect(rendered.endsWith(`✂️ ${sections.length - kept.length} more sections did not fit.`)).toBe(true);
  });

  it("cuts a long description with … rather than leave it out", () => {
    const finding = createFinding({ title: "t", aggregationKey: "k", description: "d".repeat(6000) });
    const rendered = renderGoogleChatText(finding, "c1");
    expect(rendered).toContain(`👀 *Notification:* ${"d".repeat(1999)}…`);
    expect(rendered.length).toBeLessThanOrEqual(4096);
  });

  it("cuts a title too long for the message", () => {
    const rendered = renderGoogleChatText(createFinding({ title: "🚀".repeat(5000), aggregationKey: "k" }), "c1");
    expect(rendered.length).toBeLessThanOrEqual(4096);
    expect(rendered).toMatch(/🚀…\n\n✂️ 1 more section did not fit\.$/u);
  });

  it("shows only the last lines of a long log, and tables as aligned text", () => {
    const log = Array.from({ length: 500 }, (_, i) => `line ${i}`).join("\n");
    const rendered = renderGoogleChatText(createFinding({ title: "t", aggregationKey: "k", enrichments: [enrichment([file("app.log", log), table([["a", 1, "x"]], { headers: ["h1", "h2", "h3"] })])] }), "c1");
    expect(rendered).toContain("📎 *app.log* (last lines)\n```\n");
    expect(rendered).toContain("line 499\n```");
    expect(rendered).not.toContain("line 1\n");
    expect(rendered).toContain("```\nh1  h2  h3\na   1   x\n```");
  });
});

describe("Google Chat markup", () => {
  it("keeps code, code blocks and links whole whatever their text holds", () => {
    expect(md.code("a `b` c")).toBe("`a 'b' c`");
    expect(md.codeBlock("x\n```\ny")).toBe("```\nx\n`\u200b``\ny\n```");
    expect(md.link("*Grafana*", "https://g.example.com/d?a=1|2>3")).toBe("<https://g.example.com/d?a=1%7C2%3E3|*Grafana*>");
    expect(md.bold("High")).toBe("*High*");
  });
});
