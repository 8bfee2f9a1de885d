import { createFinding, file, table } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { COMMONMARK, codePoints, cutToMeasure, fitMarkdown, markdownSections, renderMarkdown } from "../../src/sinks/common/render-markdown.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const options = { clusterName: "prod-eu", dialect: COMMONMARK } as const;

describe("markdown rendering", () => {
  it("shows a finding in Robusta's order, Slack markup turned into markdown", async () => {
    const text = renderMarkdown(sampleFinding(), options, 100_000);
    await expect(text).toMatchFileSnapshot("./__snapshots__/markdown-full.md");
    expect(markdownSections(sampleFinding(), options).map((section) => section.kind)).toEqual([
      "status",
      "title",
      "source",
      "description",
      "links",
      "enrichment",
      "enrichment",
      "enrichment",
    ]);
    expect(text).toContain("👀 **K8s event detected** 🔴 **High**");
    expect(text).toContain("See [the full log](https://logs.example.com/web-0) for more.");
    expect(text).toContain("• `spec.replicas`: 2 → 3");
    expect(text).not.toContain("Restart"); // buttons only work in Slack
  });

  it("escapes cluster text so it reads as itself", () => {
    const finding = createFinding({
      title: "t",
      aggregationKey: "k",
      enrichments: [{ annotations: {}, blocks: [table([["a*b", "x_y|z"]], { headers: ["name", "value"] })] }],
    });
    expect(renderMarkdown(finding, options, 10_000)).toContain("| a\\*b | x\\_y\\|z |");
  });

  it("shows a file's last lines in a code block whose fence its contents cannot close", () => {
    const log = Array.from({ length: 100 }, (_, i) => `line ${i} \`\`\``).join("\n");
    const finding = createFinding({ title: "t", aggregationKey: "k", enrichments: [{ annotations: {}, blocks: [file("app.log", log)] }] });
    const text = renderMarkdown(finding, { ...options, files: { mode: "tail", bytes: 60 } }, 10_000);
    expect(text).toContain("📎 **app.log** (last lines)\n````\n");
    expect(text).toContain("line 99 ```\n````");
    expect(text).not.toContain("line 90 ");
    expect(renderMarkdown(finding, options, 10_000)).not.toContain("line 99");
  });

  it("keeps whole sections within the limit and says how many were left out", () => {
    const text = renderMarkdown(sampleFinding(), options, 400);
    expect(codePoints(text)).toBeLessThanOrEqual(400);
    expect(text).toMatch(/✂️ \d more sections? did not fit\.$/);
    expect(text).toContain("**Crashing pod web-0 in namespace demo**");
  });
});

describe("fitMarkdown", () => {
  it("returns everything when it fits", () => {
    expect(fitMarkdown(["a", "b"], 10)).toBe("a\n\nb");
  });

  it("skips a section too big and still takes later ones that fit", () => {
    const text = fitMarkdown(["head", "x".repeat(100), "tail"], 60, { note: (n) => `(${n} cut)` });
    expect(text).toBe("head\n\ntail\n\n(1 cut)");
  });

  it("cuts a first section too long even alone", () => {
    const text = fitMarkdown(["y".repeat(100)], 40, { note: () => "(cut)" });
    expect(codePoints(text)).toBeLessThanOrEqual(40);
    expect(text.startsWith("yyy")).toBe(true);
  });

  it("measures the way the caller says (bytes here)", () => {
    const text = fitMarkdown(["é".repeat(10), "é".repeat(10)], 30, { measure: (s) => Buffer.byteLength(s), note: () => "" });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(30);
  });
});

describe("cutToMeasure", () => {
  it("never splits a character", () => {
    expect(cutToMeasure("😀😀😀😀", 3)).toBe("😀😀…");
    expect(cutToMeasure("short", 10)).toBe("short");
  });
});
