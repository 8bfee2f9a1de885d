import { createFinding, file, markdown, table, type Enrichment } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { parseTelegramHtml } from "../../../test/fakes/telegram.js";
import { documentCaption, renderTelegramMessage, TELEGRAM_LIMITS } from "../../src/sinks/telegram/render-message.js";
import { slackToTelegramHtml } from "../../src/sinks/telegram/telegram-html.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const options = { clusterName: "prod-eu", sendFiles: true };
const enrichment = (...blocks: Enrichment["blocks"]): Enrichment => ({ blocks, annotations: {} });

describe("Telegram message", () => {
  it("shows the finding as Robusta does, in HTML Telegram parses", async () => {
    const { text, files } = renderTelegramMessage(sampleFinding(), options);
    await expect(text).toMatchFileSnapshot("./__snapshots__/message.html");
    await expect(parseTelegramHtml(text)).toMatchFileSnapshot("./__snapshots__/message-as-shown.txt");
    expect(text.split("\n\n").slice(0, 3)).toEqual([
      "🔴 HIGH - <b>Crashing pod web-0 in namespace demo</b>",
      '<a href="https://runbooks.example.com/crashloop">Runbook</a>',
      "<b>Source:</b> <code>prod-eu</code>",
    ]);
    expect(text).toContain('<b>Containers</b>\n<blockquote expandable><pre> container | restarts | reason\n-----------+----------+-----------\n app       |        3 | OOMKilled</pre></blockquote>');
    expect(text).toContain("📎 <b>web-0.log</b>");
    expect(files.map((f) => [f.filename, f.bytes.toString()])).toEqual([["web-0.log", "boom\n"]]);
  });

  it("says firing for alerts and resolved for resolved findings, before the severity", () => {
    const alert = createFinding({ title: "KubePodCrashLooping", aggregationKey: "KubePodCrashLooping", source: "PROMETHEUS", severity: "LOW" });
    expect(renderTelegramMessage(alert, options).text).toMatch(/^🔥 firing - 🟡 LOW - <b>KubePodCrashLooping<\/b>\n\n/);
    expect(renderTelegramMessage({ ...alert, status: "resolved" }, options).text).toMatch(/^✅ resolved - 🟡 LOW - <b>KubePodCrashLooping<\/b>/);
    const event = createFinding({ title: "Pod evicted", aggregationKey: "Evicted", source: "KUBERNETES_API_SERVER" });
    expect(renderTelegramMessage(event, options).text).toMatch(/^🟢 INFO - <b>Pod evicted<\/b>/);
  });

  it("escapes what the cluster wrote and converts Slack markdown to Telegram's tags", () => {
    const finding = createFinding({
      title: "a <b> & c",
      aggregationKey: "x",
      description: "*Pod* _web_ in `ns<1>` see <https://x.example.com/?a=1&b=2|the \"log\"> and [docs](https://d.example.com); my_snake_case_name & 2 < 3",
    });
    const { text } = renderTelegramMessage(finding, options);
    expect(text).toContain("<b>a &lt;b&gt; &amp; c</b>");
    expect(text).toContain(
      '<b>Pod</b> <i>web</i> in <code>ns&lt;1&gt;</code> see <a href="https://x.example.com/?a=1&amp;b=2">the "log"</a> and <a href="https://d.example.com">docs</a>; my_snake_case_name &amp; 2 &lt; 3',
    );
    expect(() => parseTelegramHtml(text)).not.toThrow();
  });

  it("shows links Telegram would refuse in <a> as text, and code blocks as <pre>", () => {
    expect(slackToTelegramHtml("<mailto:ops@example.com|mail us>")).toBe("mail us (mailto:ops@example.com)");
    expect(slackToTelegramHtml("```\nline <1>\n```")).toBe("<pre>line &lt;1&gt;</pre>");
    expect(slackToTelegramHtml("<@U123> and <https://a.example.com>")).toBe('&lt;@U123&gt; and <a href="https://a.example.com">https://a.example.com</a>');
  });

  it("keeps within 4096 characters as Telegram counts them, dropping whole blocks with a note", () => {
    const blocks = Array.from({ length: 12 }, (_, i) => markdown(`block ${i} ${"x".repeat(500)}`));
    const finding = createFinding({ title: "Many", aggregationKey: "Many", enrichments: [enrichment(...blocks)] });
    const { text } = renderTelegramMessage(finding, options);
    const shown = parseTelegramHtml(text);
    expect(shown.length).toBeLessThanOrEqual(TELEGRAM_LIMITS.text);
    expect(shown).toMatch(/✂️ \d+ more sections did not fit\.$/);
    expect(shown).toContain("block 0 ");
  });

  it("counts UTF-16 units and entities as one character, and cuts one very long block with …", () => {
    // Each 🔥 is two UTF-16 units; each &amp; one character.
    const finding = createFinding({ title: "Emoji", aggregationKey: "E", enrichments: [enrichment(markdown("🔥&".repeat(3000)))] });
    const { text } = renderTelegramMessage(finding, options);
    const shown = parseTelegramHtml(text);
    expect(shown.length).toBeLessThanOrEqual(TELEGRAM_LIMITS.text);
    expect(shown).toMatch(/🔥&…$/);
  });

  it("shows at most 20 rows of a table and counts the rest", () => {
    const rows = Array.from({ length: 25 }, (_, i) => [`pod-${i}`, i, "Running"]);
    const finding = createFinding({ title: "Pods", aggregationKey: "P", enrichments: [enrichment(table(rows, { headers: ["name", "restarts", "phase"] }))] });
    const { text } = renderTelegramMessage(finding, options);
    expect(text).toContain(" pod-19 |       19 | Running</pre></blockquote>\n5 more rows");
    expect(text).not.toContain("pod-20");
  });

  it("leaves files out without send_files, as Robusta does", () => {
    const { text, files } = renderTelegramMessage(sampleFinding(), { ...options, sendFiles: false });
    expect(text).not.toContain("web-0.log");
    expect(files).toEqual([]);
  });

  it("does not send files over Telegram's 50 MB and says so", () => {
    const big = file("huge.log", "x".repeat(TELEGRAM_LIMITS.documentBytes + 1));
    const finding = createFinding({ title: "Big", aggregationKey: "B", enrichments: [enrichment(big, file("small.log", "ok"))] });
    const { text, files } = renderTelegramMessage(finding, options);
    expect(text).toContain("📎 <b>huge.log</b>: over Telegram's 50 MB limit for bots, not sent");
    expect(files.map((f) => f.filename)).toEqual(["small.log"]);
  });

  it("captions documents with the title, within 1024 UTF-16 units", () => {
    const finding = sampleFinding({ title: "🔥".repeat(600), status: "resolved" });
    const caption = documentCaption(finding, { filename: "a.log", bytes: Buffer.from("a"), contentType: "text/plain", truncated: "first 10 lines cut" });
    expect(caption.length).toBeLessThanOrEqual(TELEGRAM_LIMITS.caption);
    expect(caption.startsWith("✅ 🔥🔥")).toBe(true);
    expect(caption.endsWith("…")).toBe(true);
    expect(documentCaption(sampleFinding(), { filename: "a.log", bytes: Buffer.from("a"), contentType: "text/plain" })).toBe("Crashing pod web-0 in namespace demo");
  });
});
