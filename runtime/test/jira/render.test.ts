import { createFinding, file } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { adfProblem } from "../../../test/fakes/jira.js";
import { code, doc, paragraph, text } from "../../src/sinks/jira/adf.js";
import { DESCRIPTION_MAX, fitSections, issueDescription } from "../../src/sinks/jira/render-description.js";
import { issueLabels, issuePriority, issueSummary, jiraLabel } from "../../src/sinks/jira/render-fields.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const ANY_SIZE = { enabled: true, uploadLimit: 10 * 1024 * 1024 };
const options = { clusterName: "prod-eu", attachments: ANY_SIZE };
const length = (value: unknown): number => JSON.stringify(value).length;

describe("jira description (ADF)", () => {
  it("shows the finding in Robusta's order as valid ADF", async () => {
    const finding = sampleFinding({ subject: { ...sampleFinding().subject, annotations: { runbook_url: "https://runbooks.example.com/web" } } });
    const description = issueDescription(finding, options);
    expect(adfProblem(description)).toBeUndefined();
    await expect(JSON.stringify(description, null, 2)).toMatchFileSnapshot("./__snapshots__/description.json");
  });

  it("is whole when it fits, and within the limit (its JSON) when it does not", () => {
    const finding = sampleFinding();
    const full = issueDescription(finding, options);
    expect(issueDescription(finding, { ...options, limit: length(full) })).toEqual(full);
    for (const limit of [1200, 1600, 2500]) {
      const cut = issueDescription(finding, { ...options, limit });
      expect(length(cut)).toBeLessThanOrEqual(limit);
      expect(adfProblem(cut)).toBeUndefined();
      expect(JSON.stringify(cut.content.at(-1))).toMatch(/✂️ Cut to fit Jira's description limit: .*(cut|left out)\./);
    }
  });

  it("cuts a long description with … rather than leaving it out", () => {
    const finding = createFinding({ title: "t", aggregationKey: "k", description: "word ".repeat(20_000) });
    const description = issueDescription(finding, options);
    expect(length(description)).toBeLessThanOrEqual(DESCRIPTION_MAX);
    const json = JSON.stringify(description);
    expect(json).toContain("word word");
    expect(json).toContain("…");
    expect(json).toContain("1 section cut");
  });

  it("cuts a long code block, keeping its start", () => {
    const kept = paragraph(text("status"));
    const big = { type: "codeBlock" as const, content: [{ type: "text" as const, text: "0123456789".repeat(500) }] };
    const nodes = fitSections([[kept], [big]], 2000);
    expect(length(doc(nodes))).toBeLessThanOrEqual(2000);
    expect(nodes[0]).toEqual(kept);
    expect(nodes[1]).toMatchObject({ type: "codeBlock", content: [{ text: expect.stringMatching(/^0123456789.*…$/) }] });
  });

  it("counts table rows past 50 and names files not attached", () => {
    const finding = createFinding({
      title: "t",
      aggregationKey: "k",
      enrichments: [
        {
          annotations: {},
          blocks: [
            { type: "table", headers: ["pod", "restarts"], rows: Array.from({ length: 60 }, (_, i) => [`web-${i}`, i]) },
            file("huge.log", "x".repeat(3 * 1024 * 1024)),
          ],
        },
      ],
    });
    const json = JSON.stringify(issueDescription(finding, { clusterName: "c", attachments: { enabled: true, uploadLimit: 1024 * 1024 } }));
    expect(json).toContain("10 more rows");
    expect(json).toContain("not attached: 3 MB is over this Jira's 1 MB attachment limit");
    expect(JSON.stringify(issueDescription(finding, { clusterName: "c", attachments: { enabled: false, uploadLimit: 0 } }))).toContain(
      "not attached: attachments are turned off in this Jira",
    );
  });
});

describe("jira issue fields", () => {
  it("summary: the title, [RESOLVED] when resolved, one line, links as text, at most 255 characters", () => {
    expect(issueSummary(sampleFinding({ status: "resolved" }))).toBe("[RESOLVED] Crashing pod web-0 in namespace demo");
    expect(issueSummary(sampleFinding({ title: "Pod <https://x.example.com|web-0>\ncrashed" }))).toBe("Pod web-0 crashed");
    const long = issueSummary(sampleFinding({ title: "🔥".repeat(300) }));
    expect(long.length).toBeLessThanOrEqual(255); // UTF-16, as Jira counts
    expect(long.endsWith("…")).toBe(true);
  });

  it("labels: one per dedup attribute, spaces made _, None for what is missing", () => {
    const finding = sampleFinding({ title: "High CPU  on node", subject: { labels: {}, annotations: {} } });
    expect(issueLabels(finding, ["fingerprint", "title", "namespace", "cluster_name", "identifier", "severity"], "prod eu")).toEqual([
      finding.fingerprint,
      "High_CPU_on_node",
      "None",
      "prod_eu",
      "CrashLoopBackoff",
      "HIGH",
    ]);
    expect(jiraLabel("  ")).toBe("None");
  });

  it("priority: Robusta's defaults, priority_mapping when given, Major otherwise", () => {
    expect(issuePriority("HIGH", undefined)).toBe("Critical");
    expect(issuePriority("INFO", undefined)).toBe("Minor");
    expect(issuePriority("DEBUG", undefined)).toBe("Major");
    expect(issuePriority("HIGH", { HIGH: "Highest" })).toBe("Highest");
    expect(issuePriority("LOW", { HIGH: "Highest" })).toBe("Major");
  });
});

describe("slack markdown as ADF", () => {
  it("reads bold, italic, strike, code and links, leaving snake_case and bullets alone", () => {
    const description = issueDescription(createFinding({ title: "t", aggregationKey: "k", description: "*Pod* _restarted_ ~twice~, see `kubectl logs` or <https://x.example.com|logs>\nmy_var_name * item" }), {
      clusterName: "c",
      attachments: ANY_SIZE,
    });
    expect(description.content[1]).toEqual(
      paragraph([
        { type: "text", text: "Pod", marks: [{ type: "strong" }] },
        ...text(" "),
        { type: "text", text: "restarted", marks: [{ type: "em" }] },
        ...text(" "),
        { type: "text", text: "twice", marks: [{ type: "strike" }] },
        ...text(", see "),
        ...code("kubectl logs"),
        ...text(" or "),
        { type: "text", text: "logs", marks: [{ type: "link", attrs: { href: "https://x.example.com" } }] },
        { type: "hardBreak" },
        ...text("my_var_name * item"),
      ]),
    );
  });

  it("turns ``` fences into code blocks and blank lines into paragraphs", () => {
    const description = issueDescription(createFinding({ title: "t", aggregationKey: "k", description: "first\n\nsecond\n```\nraw *text*\n```" }), {
      clusterName: "c",
      attachments: ANY_SIZE,
    });
    expect(description.content.slice(1)).toEqual([paragraph(text("first")), paragraph(text("second")), { type: "codeBlock", content: [{ type: "text", text: "raw *text*" }] }]);
  });
});
