import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFinding, file, markdown, table } from "@robusta-ts/sdk";
import { findingToJson } from "../src/sinks/finding-json.js";
import { FileSink } from "../src/sinks/file-sink.js";
import { renderFindingText } from "../src/sinks/render-text.js";
import { sinksConfigSchema } from "../src/sinks/sinks-config.js";

const finding = createFinding(
  {
    title: "Crashing pod web-0 in namespace demo",
    aggregationKey: "CrashLoopBackoff",
    severity: "HIGH",
    source: "KUBERNETES_API_SERVER",
    subject: { name: "web-0", namespace: "demo", subjectType: "pod", labels: { app: "web" } },
    enrichments: [
      { title: "Crash info", annotations: {}, blocks: [table([["app", 3, "CrashLoopBackOff"]], { headers: ["container", "restarts", "state"] })] },
      { title: "Logs", enrichmentType: "text_file", annotations: {}, blocks: [file("web-0.log", Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join("\n") + "\n")] },
      { annotations: {}, blocks: [markdown("*bold* note")] },
    ],
  },
  new Date("2026-01-01T00:00:00Z"),
);

describe("text rendering", () => {
  it("shows the title, severity, status, subject, aligned tables and the end of files", () => {
    expect(renderFindingText(finding)).toBe(
      [
        "🔴 Crashing pod web-0 in namespace demo",
        "   HIGH · 🔥 firing · CrashLoopBackoff · pod demo/web-0",
        "   ▸ Crash info",
        "     container  restarts  state",
        "     app        3         CrashLoopBackOff",
        "   ▸ Logs",
        "     📎 web-0.log (12 lines, last 8 shown)",
        ...Array.from({ length: 8 }, (_, i) => `     │ line ${i + 5}`),
        "   ▸ Details",
        "     *bold* note",
      ].join("\n"),
    );
  });
});

describe("JSON shape", () => {
  it("uses Robusta's snake_case wire names, enrichments last", () => {
    const json = findingToJson(finding, "prod-eu");
    expect(Object.keys(json).at(-1)).toBe("enrichments");
    expect(json).toMatchObject({
      title: "Crashing pod web-0 in namespace demo",
      cluster_name: "prod-eu",
      aggregation_key: "CrashLoopBackoff",
      finding_type: "ISSUE",
      source: "KUBERNETES_API_SERVER",
      subject: { name: "web-0", kind: "pod", namespace: "demo", node: null, labels: { app: "web" } },
    });
    expect((json.enrichments as { enrichment_type: string | null }[]).map((e) => e.enrichment_type)).toEqual([null, "text_file", null]);
  });
});

describe("file sink", () => {
  it("appends one JSON line per finding, in order, even when writes overlap", async () => {
    const dir = await mkdtemp(join(tmpdir(), "robusta-file-sink-"));
    try {
      const sink = new FileSink("file", join(dir, "nested", "findings.jsonl"), "c1");
      await Promise.all(Array.from({ length: 20 }, (_, i) => sink.write({ ...finding, title: `finding ${i}` })));
      await sink.close();
      const lines = (await readFile(join(dir, "nested", "findings.jsonl"), "utf8")).trim().split("\n");
      expect(lines.map((line) => JSON.parse(line).title)).toEqual(Array.from({ length: 20 }, (_, i) => `finding ${i}`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects the write when the file cannot be written", async () => {
    const dir = await mkdtemp(join(tmpdir(), "robusta-file-sink-"));
    try {
      await writeFile(join(dir, "a-file"), "");
      const sink = new FileSink("file", join(dir, "a-file", "findings.jsonl"), "c1");
      await expect(sink.write(finding)).rejects.toThrow(/ENOTDIR|EEXIST/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("sinksConfig", () => {
  it("takes Robusta's shape and refuses duplicate names, unknown types and unknown keys, naming where", () => {
    expect(sinksConfigSchema.parse([{ file_sink: { name: "f", file_name: "/tmp/x" } }, { console_sink: { name: "c", default: false } }])).toEqual([
      { type: "file_sink", params: { name: "f", file_name: "/tmp/x", default: true, stop: false, dedup_interval: 0 } },
      { type: "console_sink", params: { name: "c", default: false, stop: false, dedup_interval: 0 } },
    ]);
    const issues = (input: unknown) => sinksConfigSchema.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues([{ console_sink: { name: "c" } }, { console_sink: { name: "c" } }])).toEqual(['1.console_sink.name: sink name "c" is used twice']);
    expect(issues([{ file_sink: { name: "f", file_name: "" } }])?.[0]).toMatch(/^0\.file_sink\.file_name: /);
    expect(issues([{ carrier_pigeon_sink: { name: "s" } }])).toEqual([
      '0.carrier_pigeon_sink: unknown sink type "carrier_pigeon_sink" (this runner has: slack_sink, ms_teams_sink, ms_teams_graph_sink, webhook_sink, file_sink, pagerduty_sink, opsgenie_sink, discord_sink, telegram_sink, google_chat_sink, mattermost_sink, zulip_sink, webex_sink, mail_sink, jira_sink, service_now_sink, datadog_sink, kafka_sink, console_sink)',
    ]);
    expect(issues([{ webhook_sink: { name: "w", url: "https://example.com/hook", grouping: { notification_mode: { summary: {} } } } }])).toEqual([
      "0.webhook_sink.grouping.notification_mode.summary: summary grouping needs a sink that can reply in threads (slack_sink, ms_teams_sink, ms_teams_graph_sink); use notification_mode.regular here",
    ]);
    expect(issues([{ console_sink: { name: "c", colour: true } }])?.[0]).toMatch(/^0\.console_sink: .*colour/);
    expect(issues([{ console_sink: { name: "c" }, file_sink: { name: "f", file_name: "x" } }])?.[0]).toMatch(/^0: name exactly one sink type/);
  });
});
