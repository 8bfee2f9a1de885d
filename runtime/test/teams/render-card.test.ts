import { createFinding, file, markdown, table } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { teamsMessageBytes, type CardElement, type TeamsMessage } from "../../src/sinks/teams/adaptive-card.js";
import { renderTeamsCard, renderTeamsSummary } from "../../src/sinks/teams/render-card.js";
import { teamsMarkdown } from "../../src/sinks/teams/teams-markdown.js";
import type { GroupSummary } from "../../src/sinks/sink.js";
import { crashLog, crashLoop, otherBlocks, prometheusFiring, prometheusResolved } from "./card-fixtures.js";

const snapshot = (message: TeamsMessage): string => `${JSON.stringify(message, null, 2)}\n`;
const body = (message: TeamsMessage): readonly CardElement[] => message.attachments[0].content.body;
const texts = (message: TeamsMessage): string[] =>
  JSON.stringify(body(message))
    .match(/"text":"((?:[^"\\]|\\.)*)"/g)!
    .map((match) => JSON.parse(match.slice(7)) as string);

describe("renderTeamsCard", () => {
  it("renders a Prometheus alert in Robusta's layout", async () => {
    await expect(snapshot(renderTeamsCard(prometheusFiring, { clusterName: "prod-eu" }))).toMatchFileSnapshot("__snapshots__/card-prometheus-firing.json");
  });

  it("renders a resolved alert green", async () => {
    const message = renderTeamsCard(prometheusResolved, { clusterName: "prod-eu" });
    await expect(snapshot(message)).toMatchFileSnapshot("__snapshots__/card-prometheus-resolved.json");
    expect(body(message)[0]).toMatchObject({ type: "Container", style: "good" });
    expect(texts(message)[0]).toContain("✅ **Prometheus resolved**");
  });

  it("renders a crash loop with its log's last lines and notes that buttons can't work here", async () => {
    const message = renderTeamsCard(crashLoop, { clusterName: "prod-eu" });
    await expect(snapshot(message)).toMatchFileSnapshot("__snapshots__/card-crash-loop.json");
    expect(texts(message)).toContain("📄 **api.log** (40 lines)");
    expect(texts(message).some((t) => t.includes("Buttons aren't supported in Microsoft Teams (Restart pod, Show logs)"))).toBe(true);
  });

  it("renders diffs, lists, JSON, link buttons and binary files", async () => {
    await expect(snapshot(renderTeamsCard(otherBlocks, { clusterName: "prod-eu" }))).toMatchFileSnapshot("__snapshots__/card-other-blocks.json");
  });

  it("links uploaded files instead of showing them (app mode)", async () => {
    const message = renderTeamsCard(crashLoop, { clusterName: "prod-eu", fileLinks: new Map([["api.log", "https://contoso.sharepoint.com/sites/t/Shared%20Documents/api.log"]]) });
    await expect(snapshot(message)).toMatchFileSnapshot("__snapshots__/card-crash-loop-linked.json");
    expect(texts(message)).toContain("📎 [api.log](https://contoso.sharepoint.com/sites/t/Shared%20Documents/api.log)");
    expect(JSON.stringify(message)).not.toContain("connect to db:5432 failed");
  });

  it("lists files by name only with send_files off", () => {
    const message = renderTeamsCard(crashLoop, { clusterName: "prod-eu", showFiles: false });
    expect(JSON.stringify(message)).not.toContain("connect to db:5432 failed");
    expect(texts(message)).toContain("📄 **api.log** (not shown: send_files is off)");
  });

  it("is the envelope Workflows take", () => {
    const message = renderTeamsCard(prometheusFiring, { clusterName: "prod-eu" });
    expect(message).toMatchObject({
      type: "message",
      attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: { type: "AdaptiveCard", version: "1.5", msteams: { width: "Full" } } }],
    });
  });

  it("renders 2-column tables without headers as facts, wider ones as tables", () => {
    const finding = createFinding({
      title: "t",
      aggregationKey: "k",
      enrichments: [{ annotations: {}, blocks: [table([["cpu", "2"]]), table([["a", "b", "c"]], { headers: ["x", "y", "z"] })] }],
    });
    const types = body(renderTeamsCard(finding, { clusterName: "c" })).map((element) => element.type);
    expect(types).toContain("FactSet");
    expect(types).toContain("Table");
  });

  it("shows at most 20 rows of a table and counts the rest", () => {
    const rows = Array.from({ length: 45 }, (_, i) => [`pod-${i}`, "Running", i]);
    const finding = createFinding({ title: "t", aggregationKey: "k", enrichments: [{ annotations: {}, blocks: [table(rows, { headers: ["pod", "phase", "restarts"] })] }] });
    const message = renderTeamsCard(finding, { clusterName: "c" });
    const grid = body(message).find((element) => element.type === "Table");
    expect(grid && "rows" in grid ? grid.rows.length : 0).toBe(21);
    expect(texts(message)).toContain("… and 25 more rows");
  });

  it("renders a grouped notification's summary", async () => {
    const summary: GroupSummary = {
      groupedBy: [["namespace", "prod"]],
      columns: ["notification"],
      rows: [
        { values: ["KubePodCrashLooping"], firing: 3, resolved: 1 },
        { values: ["KubeJobFailed"], firing: 1, resolved: 0 },
      ],
      firing: 4,
      resolved: 1,
      since: "2026-03-01T10:00:00Z",
    };
    await expect(snapshot(renderTeamsSummary(summary, "prod-eu"))).toMatchFileSnapshot("__snapshots__/summary.json");
  });
});

describe("teamsMarkdown", () => {
  it("turns Slack's *bold* and <url|text> into Teams markdown", () => {
    expect(teamsMarkdown("Pod *api* failed, see <https://x.example/a?b=1|the logs> or <https://y.example>")).toBe(
      "Pod **api** failed, see [the logs](https://x.example/a?b=1) or https://y.example",
    );
  });

  it("leaves **bold**, bullets and multiplication alone", () => {
    expect(teamsMarkdown("**bold** and 2 * 3 * 4\n* item")).toBe("**bold** and 2 * 3 * 4\n\n* item");
  });

  it("doubles line breaks, which TextBlocks need", () => {
    expect(teamsMarkdown("one\ntwo\r\nthree")).toBe("one\n\ntwo\n\nthree");
  });
});

describe("the byte budget", () => {
  it("keeps a log's last lines when it has to cut it", () => {
    const log = Array.from({ length: 5000 }, (_, i) => `line ${i} ${"x".repeat(60)}`).join("\n");
    const finding = createFinding({ title: "t", aggregationKey: "k", enrichments: [{ annotations: {}, blocks: [file("pod.log", log)] }] });
    const message = renderTeamsCard(finding, { clusterName: "c" });
    expect(teamsMessageBytes(message)).toBeLessThanOrEqual(28 * 1024);
    const shown = texts(message).find((t) => t.startsWith("line "))!;
    expect(shown.endsWith(`line 4999 ${"x".repeat(60)}`)).toBe(true);
    expect(shown).not.toContain("line 0 ");
    expect(texts(message).some((t) => /^📄 \*\*pod\.log\*\* \(last [\d,]+ of 5,000 lines\)$/.test(t))).toBe(true);
    expect(texts(message).at(-1)).toBe("✂️ 1 file shortened to their last lines to fit Teams' 28 KB limit.");
  });

  it("cuts whole enrichments from the end once files are empty, and says how many", () => {
    const big = (i: number) => ({ title: `Part ${i}`, annotations: {}, blocks: [markdown(`${i} ${"word ".repeat(400)}`)] });
    const finding = createFinding({ title: "t", aggregationKey: "k", enrichments: Array.from({ length: 30 }, (_, i) => big(i)) });
    const message = renderTeamsCard(finding, { clusterName: "c" });
    expect(teamsMessageBytes(message)).toBeLessThanOrEqual(28 * 1024);
    const kept = texts(message).filter((t) => t.startsWith("**Part "));
    expect(kept[0]).toBe("**Part 0**");
    const cut = 30 - kept.length;
    expect(cut).toBeGreaterThan(0);
    expect(texts(message).at(-1)).toBe(`✂️ ${cut} enrichments cut to fit Teams' 28 KB limit.`);
  });

  it("honours a smaller budget", () => {
    const message = renderTeamsCard(crashLoop, { clusterName: "c", maxBytes: 4096 });
    expect(teamsMessageBytes(message)).toBeLessThanOrEqual(4096);
    expect(texts(message).at(-1)).toMatch(/to fit Teams' 4 KB limit\.$/);
  });

  it("cuts the description when even the header is too big", () => {
    const finding = createFinding({ title: "t", aggregationKey: "k", description: "d".repeat(3000), enrichments: [{ annotations: {}, blocks: [file("a.log", crashLog)] }] });
    const message = renderTeamsCard(finding, { clusterName: "c", maxBytes: 2048 });
    expect(teamsMessageBytes(message)).toBeLessThanOrEqual(2048);
    expect(texts(message).some((t) => t.endsWith("d…"))).toBe(true);
    expect(texts(message).at(-1)).toBe("✂️ 1 enrichment cut to fit Teams' 2 KB limit.");
  });

  it("does not cut what fits", () => {
    const message = renderTeamsCard(crashLoop, { clusterName: "c" });
    expect(JSON.stringify(message)).not.toContain("✂️");
    expect(texts(message).filter((t) => t.includes("attempt=")).join("\n")).toContain("attempt=1\n\n");
  });
});
