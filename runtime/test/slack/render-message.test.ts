import { callback, createFinding, links, markdown, table, type CallbackBlock, type CallbackChoice, type Finding } from "@robusta-ts/sdk";
import type { KnownBlock, SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import type { SlackMessage } from "../../src/sinks/slack/message.js";
import {
  CALLBACK_ACTION_PREFIX,
  renderResolvedEdit,
  renderSlackMessage,
  replaceCallbackBlock,
  type SlackRenderOptions,
} from "../../src/sinks/slack/render-message.js";
import {
  ALL_FINDINGS,
  callbacks,
  crashLoop,
  diffFinding,
  giantMarkdown,
  hugeMarkdown,
  manyBlocks,
  mentions,
  otherBlocks,
  prometheusFiring,
  prometheusResolved,
  wideTable,
} from "./render-fixtures.js";
import { checkSlackLimits } from "./slack-limits.js";

const MAX_LOG_BYTES = 2048;

/** A stand-in for the sink's signed value; the third choice has none, as when its value would be too long. */
const signed = (choice: CallbackChoice, finding: Finding): string | undefined =>
  choice.action === "rollout_restart" ? undefined : JSON.stringify({ action: choice.action, params: choice.params ?? {}, fingerprint: finding.fingerprint.slice(0, 12) });

const withButtons: SlackRenderOptions = { clusterName: "prod-eu", maxLogFileBytes: MAX_LOG_BYTES, callbackValue: signed };
const withoutButtons: SlackRenderOptions = { clusterName: "prod-eu", maxLogFileBytes: MAX_LOG_BYTES };

function snapshotOf(message: SlackMessage | { text: string; blocks: readonly KnownBlock[] }): string {
  const files = "files" in message ? message.files.map((f) => ({ filename: f.filename, title: f.title, ...(typeof f.content === "string" ? { text: f.content } : { bytes: f.content.length }) })) : undefined;
  return `${JSON.stringify({ ...message, ...(files !== undefined && { files }) }, null, 2)}\n`;
}

const sectionTexts = (blocks: readonly KnownBlock[]): string[] =>
  blocks.flatMap((block) => (block.type === "section" && block.text ? [block.text.text] : block.type === "context" ? block.elements.flatMap((e) => ("text" in e && typeof e.text === "string" ? [e.text] : [])) : []));

const allText = (message: SlackMessage): string => [...sectionTexts(message.blocks), ...message.attachments.flatMap((a) => sectionTexts(a.blocks))].join("\n");

describe("renderSlackMessage snapshots", () => {
  const cases: [string, Finding, SlackRenderOptions][] = [
    ["prometheus-firing", prometheusFiring, withButtons],
    ["prometheus-resolved", prometheusResolved, withButtons],
    ["crash-loop", crashLoop, withButtons],
    ["wide-table", wideTable, withButtons],
    ["diff", diffFinding, withButtons],
    ["callbacks-with-value", callbacks, withButtons],
    ["callbacks-without-value", callbacks, withoutButtons],
    ["huge-markdown", hugeMarkdown, withButtons],
    ["many-blocks", manyBlocks, withButtons],
    ["mentions", mentions, withButtons],
    ["other-blocks", otherBlocks, withButtons],
  ];
  it.each(cases)("%s", async (name, finding, options) => {
    await expect(snapshotOf(renderSlackMessage(finding, options))).toMatchFileSnapshot(`./__snapshots__/render-${name}.json`);
  });

  it("resolved edit of the Prometheus alert", async () => {
    const posted = renderSlackMessage(prometheusFiring, withButtons);
    await expect(snapshotOf(renderResolvedEdit(posted, prometheusResolved))).toMatchFileSnapshot("./__snapshots__/render-prometheus-resolved-edit.json");
  });
});

describe("Slack limits", () => {
  const extremes = createFinding({
    title: `${"Very long title ".repeat(400)}<@U024BE7LH>`,
    aggregationKey: "Extremes",
    description: "d < e ".repeat(2000),
    links: Array.from({ length: 40 }, (_, i) => ({ name: `Link ${i} ${"x".repeat(100)}`, url: `https://example.com/${i}` })).concat([{ name: "too long", url: `https://example.com/${"a".repeat(3000)}` }]),
    enrichments: [
      { title: "t".repeat(4000), annotations: { attachment: "true" }, blocks: Array.from({ length: 30 }, (_, i) => markdown(`attached ${i}`)) },
      {
        annotations: {},
        blocks: [
          callback(Array.from({ length: 30 }, (_, i) => ({ text: `Choice ${i}`, action: `action_${i}` }))),
          table(Array.from({ length: 500 }, (_, i) => [`pod-${i}`, "Running", i])),
          table(Array.from({ length: 300 }, (_, i) => [`key-${i}`, `value <${i}> & more`])),
          links([]),
          callback([]),
        ],
      },
    ],
  });
  const findings = { ...ALL_FINDINGS, extremes };

  it.each(Object.entries(findings))("%s stays within every limit, with and without buttons", (_, finding) => {
    for (const options of [withButtons, withoutButtons]) {
      const message = renderSlackMessage(finding, options);
      expect(checkSlackLimits(message)).toEqual([]);
      for (const file of message.files) expect(file.content.length).toBeGreaterThan(0);
    }
  });

  it("cuts the extremes to fit and says so", () => {
    const message = renderSlackMessage(extremes, withButtons);
    expect(message.attachments[0]!.blocks.length).toBeLessThanOrEqual(20);
    expect(message.blocks.length + message.attachments[0]!.blocks.length).toBeLessThanOrEqual(50);
    const buttons = message.blocks.flatMap((block) => (block.type === "actions" ? [block.elements.length] : []));
    expect(Math.max(...buttons)).toBe(25);
    expect(allText(message)).toContain("cut to fit Slack's message limits");
  });
});

describe("the message's layout", () => {
  it("heads a Prometheus alert with its status, severity and escaped title, and puts labels in a red attachment", () => {
    const message = renderSlackMessage(prometheusFiring, withButtons);
    const [header, linksBlock, source] = message.blocks as [SectionBlock, KnownBlock, SectionBlock];
    expect(header.text?.text).toBe("🔥 *Prometheus Alert Firing* 🔥 🔴 *High*\nKubePodCrashLooping: pod prod/api-7d9f-x2x restarts &gt; 3 times &amp; counting");
    expect(linksBlock).toMatchObject({ type: "actions", elements: [{ type: "button", text: { text: "Prometheus graph" }, url: prometheusFiring.links[0]!.url }] });
    expect(source.text?.text).toBe("*Source:* `prod-eu`");
    expect(sectionTexts(message.blocks)).toContain(
      '🚨 *Alert:* Pod prod/api-7d9f-x2x (api) is in waiting state (reason: "CrashLoopBackOff"), see <https://runbooks.example.com/crash|the runbook>.',
    );
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0]!.color).toBe("#EF311F");
    const labels = sectionTexts(message.attachments[0]!.blocks).join("\n");
    expect(labels).toContain("*Alert labels*");
    expect(labels).toContain("● alertname `KubePodCrashLooping`");
    expect(labels).toContain("● expr `rate(restarts[5m]) &gt; 0 &amp;&amp; up &lt; 1`");
    expect(labels).toMatch(/● empty$/m);
    expect(message.blocks.at(-1)).toEqual({ type: "divider" });
    expect(message.text).toBe("🔥 Firing · 🔴 High · KubePodCrashLooping: pod prod/api-7d9f-x2x restarts &gt; 3 times &amp; counting");
    expect(message.unfurl).toBe(true);
  });

  it("colours a resolved alert's attachment green and says it resolved", () => {
    const message = renderSlackMessage(prometheusResolved, withButtons);
    expect((message.blocks[0] as SectionBlock).text?.text).toMatch(/^✅ \*Prometheus resolved\* 🔴 \*High\*\n/);
    expect(message.attachments[0]!.color).toBe("#00B302");
    expect(message.text).toMatch(/^✅ Resolved · 🔴 High · /);
  });

  it("names Kubernetes events and other notifications in the header", () => {
    expect((renderSlackMessage(crashLoop, withButtons).blocks[0] as SectionBlock).text?.text).toMatch(/^👀 \*K8s event detected\* 🔴 \*High\*\n/);
    expect((renderSlackMessage(wideTable, withButtons).blocks[0] as SectionBlock).text?.text).toMatch(/^👀 \*Notification\* 🟡 \*Low\*\n/);
  });

  it("moves mention tokens to the end of the title and leaves other tokens in place", () => {
    const message = renderSlackMessage(mentions, withButtons);
    expect((message.blocks[0] as SectionBlock).text?.text.split("\n")[1]).toBe(
      "Disk almost full on node-1 <!date^1392734382^{date}|Feb 18> <@U024BE7LH> <!here> <!subteam^S0614TZR7|@oncall>",
    );
  });
});

describe("blocks", () => {
  it("uploads a log's last bytes, says what was cut, and skips empty files", () => {
    const message = renderSlackMessage(crashLoop, withButtons);
    expect(message.files.map((f) => f.filename)).toEqual(["api-7d9f-x2x.log"]);
    const log = message.files[0]!.content as string;
    expect(Buffer.byteLength(log)).toBeLessThanOrEqual(MAX_LOG_BYTES);
    expect(log.endsWith('attempt=200\n')).toBe(true);
    expect(allText(message)).toMatch(/📎 `api-7d9f-x2x\.log` attached: the first \d+ bytes were cut/);
    expect(allText(message)).not.toContain("empty.log");
  });

  it("draws key/value tables as lines and narrow tables as escaped code blocks", () => {
    const text = allText(renderSlackMessage(crashLoop, withButtons));
    expect(text).toContain("● Restarts `7`");
    expect(text).toContain("*Previous container*\n● Status `TERMINATED`");
    expect(text).toContain("*Pod events*\n```\nreason   message");
    expect(text).toContain("Failed   Error: &lt;nil&gt; exit code 1 &amp; no retries left");
  });

  it("attaches tables wider than three columns as aligned text files, with a line saying so", () => {
    const message = renderSlackMessage(wideTable, withButtons);
    expect(message.files.map((f) => f.filename)).toEqual(["Pods on node-1.txt", "table.txt"]);
    expect((message.files[0]!.content as string).split("\n")[0]).toBe("namespace    pod           container  request  limit  usage");
    expect(allText(message)).toContain("📎 *Pods on node-1*: 3 rows × 6 columns, attached as `Pods on node-1.txt`.");
    expect(allText(message)).toContain("📎 Table: 1 row × 4 columns, attached as `table.txt`.");
  });

  it("lists diffs as old → new, escaping values", () => {
    const text = allText(renderSlackMessage(diffFinding, withButtons));
    expect(text).toContain("• *spec.template.spec.containers[0].image*: registry.example.com/api:1.4.1 :arrow_right: registry.example.com/api:1.4.2");
    expect(text).toContain("• *spec.replicas*: 2 :arrow_right: 3");
    expect(text).toContain("• *metadata.labels.team*: (none) :arrow_right: payments");
    expect(text).toContain('• *spec.template.metadata.annotations.note*: &lt;b&gt;old&lt;/b&gt; :arrow_right: {"rollout":"canary &amp; 10%"}');
  });

  it("renders callbacks as buttons with signed values, leaving out choices without one", () => {
    const message = renderSlackMessage(callbacks, withButtons);
    const actions = message.blocks.filter((block) => block.type === "actions");
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      block_id: `${CALLBACK_ACTION_PREFIX}:block:0`,
      elements: [
        { type: "button", text: { text: "Delete pod" }, action_id: `${CALLBACK_ACTION_PREFIX}:0`, style: "danger", value: signed((callbacks.enrichments[0]!.blocks[0] as CallbackBlock).choices[0]!, callbacks) },
        { type: "button", text: { text: "Show logs" }, action_id: `${CALLBACK_ACTION_PREFIX}:1` },
      ],
    });
    expect(allText(message)).not.toContain("interactivity");
  });

  it("says buttons need interactivity when none can run here", () => {
    const message = renderSlackMessage(callbacks, withoutButtons);
    expect(message.blocks.some((block) => block.type === "actions")).toBe(false);
    const note = message.blocks.find((block) => block.type === "context");
    expect(note?.block_id).toBe(`${CALLBACK_ACTION_PREFIX}:unavailable:0`);
    expect(sectionTexts([note!])[0]).toMatch(/\*Delete pod\*, \*Show logs\*, .*need Slack interactivity/);
  });

  it("splits long markdown at line boundaries, reopening a code fence cut in two, and honours unfurl: false", () => {
    const message = renderSlackMessage(hugeMarkdown, withButtons);
    const original = (hugeMarkdown.enrichments[0]!.blocks[0] as { text: string }).text;
    const analysis = message.blocks.slice(message.blocks.findIndex((b) => b.type === "section" && b.text?.text === "*Analysis*") + 1, -1);
    const pieces = sectionTexts(analysis);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(3000);
      expect((piece.split("```").length - 1) % 2).toBe(0);
    }
    const lines = (text: string) => text.split("\n").filter((line) => line !== "```");
    expect(pieces.flatMap(lines)).toEqual(lines(original));
    expect(pieces.some((piece) => piece.startsWith("```\nkubectl logs"))).toBe(true);
    expect(message.unfurl).toBe(false);
  });

  it("cuts text beyond Slack's message budget and says so", () => {
    const message = renderSlackMessage(giantMarkdown, withButtons);
    const texts = sectionTexts(message.blocks);
    expect(texts.reduce((sum, text) => sum + text.length, 0)).toBeLessThanOrEqual(10_000);
    expect(texts.at(-1)).toMatch(/^✂️ _The rest of one block and \d+ more blocks? cut to fit Slack's message limits\. The full finding is in the other sinks and the runner's logs\._$/);
  });

  it("keeps 49 of more than 50 blocks and ends with how many were cut", () => {
    const message = renderSlackMessage(manyBlocks, withButtons);
    // header, source, 35 × (markdown, divider), final divider
    const total = 2 + 70 + 1;
    expect(message.blocks).toHaveLength(50);
    expect(sectionTexts(message.blocks.slice(-1))[0]).toBe(
      `✂️ _${total - 49} blocks cut to fit Slack's message limits. The full finding is in the other sinks and the runner's logs._`,
    );
  });

  it("renders headers, lists, links, JSON and binary files", () => {
    const message = renderSlackMessage(otherBlocks, withButtons);
    const header = message.blocks.find((block) => block.type === "header");
    expect(header?.type === "header" && header.text.text.length).toBe(150);
    expect(header?.type === "header" && header.text.text.endsWith("…")).toBe(true);
    const buttons = message.blocks.flatMap((block) => (block.type === "actions" ? block.elements : []));
    expect(buttons.map((b) => (b.type === "button" ? [b.text.text, b.url] : []))).toEqual([
      ["Runbook", "https://runbooks.example.com/node-not-ready"],
      ["Recording 🎬", "https://videos.example.com/rec/1"],
      ["Grafana dashboard for node-1", "https://grafana.example.com/d/node?var-node=node-1"],
    ]);
    const text = allText(message);
    expect(text).toContain("• MemoryPressure: `True` (<@U024BE7LH> on call)");
    expect(text).toContain("• Taint: node.kubernetes.io/unreachable:NoExecute &gt; 5m");
    expect(text).toContain("● kubelet `v1.31 ˋpatchedˋ &lt;x&gt;`");
    expect(text).toContain('"note": "a &lt; b &amp;&amp; c &gt; d"');
    expect(message.files).toEqual([{ filename: "graph.png", title: "graph.png", content: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) }]);
  });
});

describe("edits", () => {
  it("marks a resolved finding's message resolved with the time, without its buttons, keeping file links", () => {
    const posted = renderSlackMessage(callbacks, withButtons);
    const text = `${posted.text}\n* <https://files.slack.com/x|api.log>`;
    const resolved: Finding = { ...callbacks, status: "resolved", endsAt: "2026-03-01T10:30:00Z" };
    const edit = renderResolvedEdit({ text, blocks: posted.blocks }, resolved);
    expect((edit.blocks[0] as SectionBlock).text?.text).toBe(
      "✅ *Resolved* at <!date^1772361000^{date_short_pretty} {time}|2026-03-01 10:30 UTC> 🟠 *Medium*\nPod prod/api-7d9f-x2x is stuck terminating",
    );
    expect(edit.blocks.some((block) => block.type === "actions")).toBe(false);
    expect(edit.blocks.slice(1)).toEqual(posted.blocks.slice(1).filter((block) => block.type !== "actions"));
    expect(edit.text).toBe("✅ Resolved · 🟠 Medium · Pod prod/api-7d9f-x2x is stuck terminating\n* <https://files.slack.com/x|api.log>");
    expect(checkSlackLimits(edit)).toEqual([]);
  });

  it("turns the posted attachment green", () => {
    const posted = renderSlackMessage(prometheusFiring, withButtons);
    const edit = renderResolvedEdit(posted, prometheusResolved);
    expect(edit.attachments).toEqual([{ color: "#00B302", blocks: posted.attachments[0]!.blocks }]);
    expect(renderResolvedEdit({ text: posted.text, blocks: posted.blocks }, prometheusResolved).attachments).toBeUndefined();
  });

  it("also removes the note standing in for buttons", () => {
    const posted = renderSlackMessage(callbacks, withoutButtons);
    const edit = renderResolvedEdit(posted, { ...callbacks, status: "resolved" });
    expect(edit.blocks.some((block) => block.block_id?.startsWith(CALLBACK_ACTION_PREFIX))).toBe(false);
    expect((edit.blocks[0] as SectionBlock).text?.text).toMatch(/^✅ \*Resolved\* 🟠 \*Medium\*\n/);
  });

  it("replaces only the pressed callback block with a section", () => {
    const posted = renderSlackMessage(callbacks, withButtons);
    const index = posted.blocks.findIndex((block) => block.type === "actions");
    const blockId = posted.blocks[index]!.block_id!;
    const blocks = replaceCallbackBlock(posted.blocks, blockId, "*Delete pod* was pressed by <@U024BE7LH>");
    expect(blocks[index]).toEqual({ type: "section", text: { type: "mrkdwn", text: "*Delete pod* was pressed by <@U024BE7LH>" } });
    expect(blocks.filter((_, i) => i !== index)).toEqual(posted.blocks.filter((_, i) => i !== index));
    expect(replaceCallbackBlock(posted.blocks, "no-such-block", "x")).toEqual(posted.blocks);
    expect(checkSlackLimits({ text: posted.text, blocks: replaceCallbackBlock(posted.blocks, blockId, "y".repeat(5000)) })).toEqual([]);
  });
});
