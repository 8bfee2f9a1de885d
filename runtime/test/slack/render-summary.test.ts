import { describe, expect, it } from "vitest";
import type { GroupSummary } from "../../src/sinks/sink.js";
import { renderSlackSummary } from "../../src/sinks/slack/render-summary.js";
import { checkSlackLimits } from "./slack-limits.js";

const small: GroupSummary = {
  groupedBy: [
    ["cluster", "prod-eu"],
    ["namespace", "payments"],
  ],
  columns: ["notification"],
  rows: [
    { values: ["KubePodCrashLooping"], firing: 3, resolved: 1 },
    { values: ["KubeJobFailed <cron>"], firing: 1, resolved: 0 },
  ],
  firing: 4,
  resolved: 1,
  since: "2026-03-01T10:00:00Z",
};

const large: GroupSummary = {
  ...small,
  columns: ["notification", "pod"],
  rows: Array.from({ length: 300 }, (_, i) => ({ values: [`Alert${i % 7}`, `pod-${i}-${"x".repeat(20)}`], firing: 2, resolved: i % 2 })),
  firing: 600,
  resolved: 150,
};

describe("renderSlackSummary", () => {
  it("shows the header, what the group shares and the count table", async () => {
    const message = renderSlackSummary(small, "prod-eu");
    await expect(`${JSON.stringify(message, null, 2)}\n`).toMatchFileSnapshot("./__snapshots__/render-summary.json");
    const texts = message.blocks.map((block) => (block.type === "section" ? block.text?.text : undefined));
    expect(texts[0]).toBe("*Alerts Summary - 5 Notifications*");
    expect(texts).toContain("*Matching criteria:* `cluster=prod-eu`, `namespace=payments`");
    expect(texts.at(-1)).toBe("```\nnotification          Firing  Resolved\nKubePodCrashLooping   3       1\nKubeJobFailed &lt;cron&gt;  1       0\n```");
    expect(message.text).toBe("Alerts summary: 5 notifications (4 firing, 1 resolved) for cluster=prod-eu, namespace=payments");
    expect(checkSlackLimits(message)).toEqual([]);
  });

  it("cuts a large table to one section and counts the rows left out", () => {
    const message = renderSlackSummary(large, "prod-eu");
    expect(checkSlackLimits(message)).toEqual([]);
    const table = message.blocks.at(-1);
    const text = table?.type === "section" ? (table.text?.text ?? "") : "";
    const shown = text.split("\n").filter((line) => line.startsWith("Alert")).length;
    const rest = large.rows.slice(shown);
    expect(shown).toBeGreaterThan(10);
    expect(text).toMatch(
      new RegExp(`_… and ${rest.length} more rows \\(${rest.length * 2} firing, ${rest.filter((r) => r.resolved === 1).length} resolved\\) not shown\\._$`),
    );
  });

  it("has no criteria line or table when there is nothing to show", () => {
    const message = renderSlackSummary({ ...small, groupedBy: [], rows: [], firing: 0, resolved: 0 }, "prod-eu");
    expect(message.blocks).toHaveLength(3);
    expect(message.text).toBe("Alerts summary: 0 notifications (0 firing, 0 resolved)");
  });
});
