import { binaryFile, createFinding, file, json, markdown, table, type Enrichment, type Finding } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { validateDiscordMessage } from "../../../test/fakes/discord.js";
import { renderDiscordMessage, type DiscordRendering } from "../../src/sinks/discord/render-message.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const MIB = 1024 * 1024;
const points = (text: string): number => Array.from(text).length;
const enrichment = (blocks: Enrichment["blocks"], title?: string): Enrichment => ({ blocks, annotations: {}, ...(title !== undefined && { title }) });
const findingWith = (enrichments: Enrichment[], extra: Partial<Parameters<typeof createFinding>[0]> = {}): Finding =>
  createFinding({ title: "Disk full", aggregationKey: "DiskFull", enrichments, ...extra }, new Date("2026-01-01T00:00:00Z"));

/** What Discord would refuse in the rendering (none, if the limits are kept). */
const refusals = ({ message, files }: DiscordRendering) => validateDiscordMessage(JSON.parse(JSON.stringify(message)) as Record<string, unknown>, files.length).tree;
const fieldsOf = (rendering: DiscordRendering) => rendering.message.embeds[0]!.fields;
const embedChars = (rendering: DiscordRendering) =>
  rendering.message.embeds.reduce((sum, embed) => sum + points(embed.description ?? "") + embed.fields.reduce((s, f) => s + points(f.name) + points(f.value), 0), 0);

describe("Discord message", () => {
  it("shows the finding as Robusta does: title line, status colour, Source, Description, enrichments; files attached", async () => {
    const rendering = renderDiscordMessage(sampleFinding(), "prod-eu");
    await expect(JSON.stringify(rendering.message, null, 2)).toMatchFileSnapshot("./__snapshots__/message-sample.json");
    expect(rendering.message.content).toBe("🔥 firing - 🔴 HIGH - **Crashing pod web-0 in namespace demo**");
    expect(rendering.message.embeds[0]!.color).toBe(15675679); // Robusta's #EF311F
    expect(fieldsOf(rendering).map((field) => field.name)).toEqual(["Source", "Description", "Crash info", "Logs", "\u200b"]);
    expect(rendering.files.map((f) => [f.filename, f.bytes.toString()])).toEqual([["web-0.log", "boom\n"]]);
    expect(rendering.message.attachments).toEqual([{ id: 0, filename: "web-0.log" }]);
    expect(refusals(rendering)).toEqual({});
  });

  it("is green and says resolved for a resolved finding, without a [RESOLVED] prefix", () => {
    const rendering = renderDiscordMessage(findingWith([], { status: "resolved" }), "c1");
    expect(rendering.message.content).toBe("✅ resolved - 🟢 INFO - **Disk full**");
    expect(rendering.message.embeds[0]!.color).toBe(45826); // Robusta's #00B302
    expect(rendering.files).toEqual([]);
    expect(rendering.message.attachments).toBeUndefined();
  });

  it("lets explicit user and role mentions notify, but not @everyone from cluster text", () => {
    expect(renderDiscordMessage(findingWith([]), "c1").message.allowed_mentions).toEqual({ parse: ["users", "roles"] });
  });

  it("cuts a long title to the 2000 characters of a message, keeping it bold", () => {
    const { message } = renderDiscordMessage(findingWith([], { title: "🚀".repeat(3000) }), "c1");
    expect(points(message.content)).toBeLessThanOrEqual(2000);
    expect(message.content).toMatch(/🚀…\*\*$/u);
  });

  it("cuts a description to a field's 1024 characters with …", () => {
    const rendering = renderDiscordMessage(findingWith([], { description: "é".repeat(2000) }), "c1");
    const description = fieldsOf(rendering).find((field) => field.name === "Description")!;
    expect(points(description.value)).toBe(1024);
    expect(description.value.endsWith("…")).toBe(true);
    expect(refusals(rendering)).toEqual({});
  });

  it("continues an enrichment longer than a field in further fields, cutting a block too long for one", () => {
    const long = "word ".repeat(100).trim(); // 499 characters
    const rendering = renderDiscordMessage(findingWith([enrichment([markdown(long), markdown(long), markdown(long), markdown("x".repeat(1500))], "Logs")]), "c1");
    const fields = fieldsOf(rendering).slice(1);
    expect(fields.map((field) => field.name)).toEqual(["Logs", "\u200b", "\u200b"]);
    expect(fields[0]!.value).toBe(`${long}\n${long}`);
    expect(fields[1]!.value).toBe(long);
    expect(fields[2]!.value).toBe(`${"x".repeat(1023)}…`);
    expect(refusals(rendering)).toEqual({});
  });

  it("keeps 25 fields at most, the last saying how many more did not fit", () => {
    const many = Array.from({ length: 40 }, (_, i) => enrichment([markdown(`block ${i}`)], `E${i}`));
    const rendering = renderDiscordMessage(findingWith(many), "c1");
    const fields = fieldsOf(rendering);
    expect(fields).toHaveLength(25);
    expect(fields[23]!.name).toBe("E22");
    expect(fields[24]).toEqual({ name: "\u200b", value: "✂️ 17 more fields did not fit." });
    expect(refusals(rendering)).toEqual({});
  });

  it("keeps the embed within 6000 characters, fields in order, saying how many were left out", () => {
    const big = Array.from({ length: 10 }, (_, i) => enrichment([markdown(`${i}`.repeat(1000))], `E${i}`));
    const rendering = renderDiscordMessage(findingWith(big, { links: [{ name: "Runbook", url: "https://runbooks.example.com" }] }), "c1");
    const names = fieldsOf(rendering).map((field) => field.name);
    expect(names.slice(0, 6)).toEqual(["Source", "E0", "E1", "E2", "E3", "E4"]);
    expect(fieldsOf(rendering).at(-1)!.value).toBe("✂️ 5 more fields did not fit.");
    expect(embedChars(rendering)).toBeLessThanOrEqual(6000);
    expect(refusals(rendering)).toEqual({});
  });

  it("attaches a table too wide or too long for a field as a text file with every row, as Robusta does", () => {
    const wide = table([["web-0", "Running", 0, "10.0.0.1", "node-1"]], { headers: ["pod", "status", "restarts", "ip", "node"], name: "Pods" });
    const long = table(
      Array.from({ length: 60 }, (_, i) => [`pod-${i}`, "CrashLoopBackOff", i]),
      { headers: ["pod", "reason", "restarts"] },
    );
    const rendering = renderDiscordMessage(findingWith([enrichment([wide, long], "Tables")]), "c1");
    expect(rendering.files.map((f) => f.filename)).toEqual(["Pods.txt", "data.txt"]);
    expect(rendering.files[0]!.bytes.toString()).toBe("Pods\npod    status   restarts  ip        node\nweb-0  Running  0         10.0.0.1  node-1\n");
    expect(rendering.files[1]!.bytes.toString().trimEnd().split("\n")).toHaveLength(61); // every row, with the header
    expect(fieldsOf(rendering)[1]!.value).toBe("📎 **Pods.txt**\n📎 **data.txt**");
  });

  it("attaches JSON too long for a field as data.json", () => {
    const value = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`key${i}`, `value ${i}`]));
    const rendering = renderDiscordMessage(findingWith([enrichment([json(value)])]), "c1");
    expect(rendering.files.map((f) => f.filename)).toEqual(["data.json"]);
    expect(JSON.parse(rendering.files[0]!.bytes.toString())).toEqual(value);
  });

  it("attaches 10 files at most and says which were not attached and why", () => {
    const logs = Array.from({ length: 12 }, (_, i) => file(`pod-${i}.log`, `line ${i}\n`));
    const rendering = renderDiscordMessage(findingWith([enrichment(logs, "Logs")]), "c1");
    expect(rendering.files.map((f) => f.filename)).toEqual(logs.slice(0, 10).map((f) => f.filename));
    expect(rendering.message.attachments).toHaveLength(10);
    expect(fieldsOf(rendering)[1]!.value.split("\n").slice(-2)).toEqual([
      "📎 **pod-10.log** (not attached: Discord takes 10 files per message)",
      "📎 **pod-11.log** (not attached: Discord takes 10 files per message)",
    ]);
    expect(refusals(rendering)).toEqual({});
  });

  it("attaches the last 10 MiB of a larger text file, and says a larger binary file was not attached", () => {
    const line = `${"x".repeat(999)}\n`;
    const log = line.repeat(Math.ceil((11 * MIB) / line.length));
    const image = binaryFile("graph.png", new Uint8Array(11 * MIB));
    const rendering = renderDiscordMessage(findingWith([enrichment([file("app.log", log), image], "Files")]), "c1");
    expect(rendering.files.map((f) => f.filename)).toEqual(["app.log"]);
    expect(rendering.files[0]!.bytes.length).toBeLessThanOrEqual(10 * MIB);
    expect(log.endsWith(rendering.files[0]!.bytes.toString())).toBe(true);
    expect(fieldsOf(rendering)[1]!.value).toBe(
      "📎 **app.log** (last lines: Discord takes 10 MiB per file)\n📎 **graph.png** (not attached: 11.0 MiB is over Discord's 10 MiB per file)",
    );
  });

  it("keeps the whole request within Discord's 25 MiB, leaving room for the message besides the files", () => {
    // 25 MiB of files exactly: with payload_json and the form around them, Discord would answer 413.
    const files = [10, 10, 5].map((mib, i) => binaryFile(`f${i}.bin`, new Uint8Array(mib * MIB)));
    const rendering = renderDiscordMessage(findingWith([enrichment(files, "Files")]), "c1");
    expect(rendering.files.map((f) => f.filename)).toEqual(["f0.bin", "f1.bin"]);
    expect(fieldsOf(rendering)[1]!.value.split("\n")[2]).toBe("📎 **f2.bin** (not attached: the files together would pass the 25 MiB Discord takes per message)");
  });

  it("names files uniquely, as attachments are told apart by name", () => {
    const rendering = renderDiscordMessage(findingWith([enrichment([file("app.log", "a\n"), file("app.log", "b\n"), file("app", "c")])]), "c1");
    expect(rendering.files.map((f) => f.filename)).toEqual(["app.log", "app-2.log", "app"]);
  });

  it("leaves out blank text and names a blank-titled field with a zero-width space, as Discord refuses blank ones", () => {
    const rendering = renderDiscordMessage(findingWith([enrichment([markdown("  "), markdown("text")], "  ")]), "c1");
    expect(fieldsOf(rendering)[1]).toEqual({ name: "\u200b", value: "text" });
    expect(refusals(rendering)).toEqual({});
  });

  it("leaves out empty files, as Robusta does", () => {
    const rendering = renderDiscordMessage(findingWith([enrichment([file("empty.log", ""), markdown("text")])]), "c1");
    expect(rendering.files).toEqual([]);
    expect(fieldsOf(rendering)[1]!.value).toBe("text");
  });

  it("never makes a message Discord would refuse, whatever the finding's size", () => {
    for (const size of [1, 10, 300, 1100, 5000]) {
      const text = "Ünï 🔥 日本 ".repeat(size);
      const finding = findingWith(
        Array.from({ length: 12 }, (_, i) =>
          enrichment([markdown(text), table([["k", text]]), json({ text }), file(`f${i}.log`, text)], `Enrichment ${i} ${text}`),
        ),
        { title: text, description: text, links: Array.from({ length: 30 }, (_, i) => ({ name: `${text}${i}`, url: `https://example.com/${i}` })) },
      );
      const rendering = renderDiscordMessage(finding, "prod-eu");
      expect(refusals(rendering), `size ${size}`).toEqual({});
      expect(rendering.files.length).toBeLessThanOrEqual(10);
    }
  });
});
