import { createFinding, markdown } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_BYTES, renderWebexMarkdown, webexTitle } from "../../src/sinks/webex/render-message.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const bytes = (text: string): number => Buffer.byteLength(text, "utf8");

describe("Webex message", () => {
  it("shows a finding in Robusta's order: severity and title, source, then the rest; tables as text", async () => {
    const text = renderWebexMarkdown(sampleFinding(), { clusterName: "prod-eu" });
    await expect(text).toMatchFileSnapshot("./__snapshots__/message-full.md");
    expect(text.startsWith("🔴 **HIGH - Crashing pod web-0 in namespace demo**\n\n**Source:** `prod-eu`\n\nThe container app restarted")).toBe(true);
    expect(text).toContain("```\ncontainer  restarts  reason\napp        3         OOMKilled\n```");
    expect(text).not.toContain("| --- |");
    expect(text).toContain("📎 **web-0.log**");
    expect(text).not.toContain("boom"); // the file is sent on its own
  });

  it("marks a resolved finding in its title, as Robusta does", () => {
    expect(webexTitle(sampleFinding({ status: "resolved", severity: "INFO" }))).toBe("🟢 **INFO - [RESOLVED] Crashing pod web-0 in namespace demo**");
  });

  it("says which files were not sent, and why", () => {
    const text = renderWebexMarkdown(sampleFinding(), { clusterName: "c1", unsent: [{ filename: "heap_dump.bin", reason: "it is over Webex's 100 MB file limit" }] });
    expect(text.endsWith("📎 **heap\\_dump.bin** was not sent: it is over Webex's 100 MB file limit")).toBe(true);
  });

  it("keeps the message within 7439 bytes (UTF-8), leaving out whole sections and saying so", () => {
    // Three bytes a character: a character count would let this through.
    const big = (n: number) => ({ annotations: {}, blocks: [markdown(`section ${n} ${"€".repeat(1000)}`)] });
    const finding = createFinding({ title: "Big", aggregationKey: "Big", enrichments: [big(1), big(2), big(3)] });
    const text = renderWebexMarkdown(finding, { clusterName: "c1" });
    expect(bytes(text)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(text).toContain("section 2");
    expect(text).not.toContain("section 3");
    expect(text.endsWith("✂️ 1 more section did not fit.")).toBe(true);
  });

  it("cuts a title too long for a message with …", () => {
    const text = renderWebexMarkdown(createFinding({ title: "é".repeat(5000), aggregationKey: "Long" }), { clusterName: "c1" });
    expect(bytes(text)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(text).toContain("é…");
  });
});
