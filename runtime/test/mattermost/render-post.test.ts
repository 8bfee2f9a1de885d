import { createFinding, markdown } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_CHARS, mattermostTitle, renderMattermostPost } from "../../src/sinks/mattermost/render-post.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const chars = (text: string): number => Array.from(text).length;

describe("Mattermost post", () => {
  it("shows a finding as Robusta does: the title line as the message, the rest in a red attachment", async () => {
    const post = renderMattermostPost(sampleFinding(), { clusterName: "prod-eu" });
    expect(post.message).toBe("🔥 firing - :red_circle: HIGH - **Crashing pod web-0 in namespace demo**");
    expect(post.props.attachments).toHaveLength(1);
    expect(post.props.attachments[0]!.color).toBe("#EF311F");
    const text = post.props.attachments[0]!.text;
    await expect(text).toMatchFileSnapshot("./__snapshots__/attachment-full.md");
    expect(text.startsWith("**Source:** `prod-eu`\n\nThe container app restarted 3 times in 5 minutes.")).toBe(true);
    expect(text).toContain("[the full log](https://logs.example.com/web-0)");
    expect(text).toContain("📎 **web-0.log**");
    expect(text).not.toContain("boom"); // the file is uploaded, not shown
  });

  it("marks a resolved finding with its status words and a green attachment", () => {
    const post = renderMattermostPost(sampleFinding({ status: "resolved", severity: "LOW" }), { clusterName: "c1" });
    expect(post.message).toBe("✅ resolved - :large_yellow_circle: LOW - **Crashing pod web-0 in namespace demo**");
    expect(post.props.attachments[0]!.color).toBe("#00B302");
  });

  it("says which files could not be attached, and why", () => {
    const post = renderMattermostPost(sampleFinding(), { clusterName: "c1", unattached: [{ filename: "huge_dump.bin", reason: "it is over Mattermost's 100 MB file limit" }] });
    expect(post.props.attachments[0]!.text.endsWith("📎 **huge\\_dump.bin** was not attached: it is over Mattermost's 100 MB file limit")).toBe(true);
  });

  it("keeps the attachment within 16383 characters, leaving out whole sections and saying so", () => {
    const big = (n: number) => ({ annotations: {}, blocks: [markdown(`section ${n} ${"x".repeat(6000)}`)] });
    const finding = createFinding({ title: "Big", aggregationKey: "Big", enrichments: [big(1), big(2), big(3), big(4)] });
    const text = renderMattermostPost(finding, { clusterName: "c1" }).props.attachments[0]!.text;
    expect(chars(text)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(text).toContain("section 1");
    expect(text).toContain("section 2");
    expect(text).not.toContain("section 3");
    expect(text.endsWith("✂️ 2 more sections did not fit.")).toBe(true);
  });

  it("cuts a title too long for a message with …, keeping the bold markers paired", () => {
    const title = mattermostTitle(createFinding({ title: "t".repeat(20_000), aggregationKey: "Long" }));
    expect(chars(title)).toBe(MAX_MESSAGE_CHARS);
    expect(title.endsWith("t…**")).toBe(true);
  });
});
