/**
 * Whatever a finding holds, its card fits the budget and says what was cut: random findings from
 * a seeded generator (so a failure replays), plus the extremes (100 enrichments, a 5 MB log, long tables).
 */
import { createFinding, diff, file, json, links, list, markdown, table, type Block, type Enrichment, type Finding } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { teamsMessageBytes, type TeamsMessage } from "../../src/sinks/teams/adaptive-card.js";
import { renderTeamsCard } from "../../src/sinks/teams/render-card.js";

/** mulberry32: a small seeded PRNG. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Characters that cost more than a byte once escaped twice: quotes, backslashes, controls, multi-byte.
const ALPHABET = [..."abcdefghij klmnop \"quoted\" back\\slash\ttab *star* _under_ <x|y> é ü 日本 🔥 ✅ \u0001"];

function generator(seed: number) {
  const next = random(seed);
  const int = (max: number) => Math.floor(next() * (max + 1));
  const pick = <T>(values: readonly T[]): T => values[int(values.length - 1)]!;
  // Text is cut from one random pool: generating each character anew would dominate the test's time.
  const pool = Array.from({ length: 50_000 }, () => pick(ALPHABET)).join("");
  const words = (max: number) => {
    const length = Math.min(int(max), pool.length);
    const start = int(pool.length - length);
    return pool.slice(start, start + length);
  };
  const lines = (count: number, width: number) => Array.from({ length: count }, (_, i) => `${i} ${words(width)}`).join("\n");

  const block = (): Block => {
    switch (int(6)) {
      case 0:
        return markdown(words(4000));
      case 1: {
        const columns = 1 + int(7);
        return table(Array.from({ length: int(150) }, () => Array.from({ length: columns }, () => words(40))), columns === 2 && next() < 0.5 ? {} : { headers: Array.from({ length: columns }, (_, i) => `col${i}`) });
      }
      case 2:
        return list(Array.from({ length: int(40) }, () => words(80)));
      case 3:
        return json({ items: Array.from({ length: int(50) }, () => ({ name: words(20), value: next() })) });
      case 4:
        return diff({ kind: "Deployment", name: "api" }, Array.from({ length: int(30) }, (_, i) => ({ path: `spec.f${i}`, old: words(30), new: words(30) })));
      case 5:
        return links(Array.from({ length: int(10) }, (_, i) => ({ text: `link ${i}`, url: `https://example.com/${i}` })));
      default:
        return file(`f${int(1000)}.log`, lines(int(3000), 120));
    }
  };
  const finding = (): Finding =>
    createFinding({
      title: words(600),
      aggregationKey: "k",
      description: next() < 0.7 ? words(5000) : undefined,
      links: Array.from({ length: int(8) }, (_, i) => ({ name: `l${i}`, url: `https://example.com/l${i}` })),
      enrichments: Array.from({ length: int(100) }, (_, i): Enrichment => ({ title: `E${i}`, annotations: {}, blocks: Array.from({ length: 1 + int(4) }, block) })),
    });
  return { finding, int };
}

const texts = (message: TeamsMessage): string[] =>
  (JSON.stringify(message.attachments[0].content.body).match(/"text":"((?:[^"\\]|\\.)*)"/g) ?? []).map((match) => JSON.parse(match.slice(7)) as string);

/** The card fits, and every enrichment or file line left out is owned up to in the closing note. */
function checkCard(finding: Finding, message: TeamsMessage, maxBytes: number): void {
  expect(teamsMessageBytes(message)).toBeLessThanOrEqual(maxBytes);
  expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(maxBytes);
  const shown = texts(message);
  const titled = finding.enrichments.filter((enrichment) => enrichment.blocks.length > 0);
  const missing = titled.filter((enrichment) => !shown.includes(`**${enrichment.title}**`)).length;
  const note = shown.at(-1) ?? "";
  if (missing > 0) {
    const cut = /^✂️ (\d+) enrichments? cut/.exec(note);
    // Either the count of enrichments cut, or (when even the header had to give) all of them.
    expect(cut, `card leaves out ${missing} enrichments without saying so: ${note}`).not.toBeNull();
    expect(Number(cut![1])).toBe(missing);
  }
  if (shown.some((t) => /^📄 .* \((last [\d,]+ of|[\d,]+ lines?, none fit)/.test(t))) expect(note).toMatch(/shortened to their last lines/);
}

describe("the card's byte budget, whatever the finding", () => {
  it("holds for random findings and budgets", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { finding, int } = generator(seed);
      const subject = finding();
      const maxBytes = seed % 4 === 0 ? 2048 + int(10_000) : 28 * 1024;
      checkCard(subject, renderTeamsCard(subject, { clusterName: "prod", maxBytes }), maxBytes);
    }
  });

  it("holds for 100 enrichments with long tables", () => {
    const rows = Array.from({ length: 500 }, (_, i) => [`pod-${i}`, "CrashLoopBackOff", `"${i}"`, "node-\\1"]);
    const finding = createFinding({
      title: "Everything is on fire",
      aggregationKey: "k",
      enrichments: Array.from({ length: 100 }, (_, i) => ({ title: `E${i}`, annotations: {}, blocks: [table(rows, { headers: ["pod", "state", "restarts", "node"] })] })),
    });
    const message = renderTeamsCard(finding, { clusterName: "prod" });
    checkCard(finding, message, 28 * 1024);
    expect(texts(message).at(-1)).toMatch(/^✂️ \d+ enrichments cut to fit Teams' 28 KB limit\.$/);
  });

  it("holds for a 5 MB log, showing its end", () => {
    const line = (i: number) => `2026-03-01T10:00:00Z level=error msg="request failed" path="/api/v1/items/${i}" err="timeout \\ retry"`;
    const log = Array.from({ length: 50_000 }, (_, i) => line(i)).join("\n");
    expect(log.length).toBeGreaterThan(5_000_000);
    const finding = createFinding({ title: "Pod crashed", aggregationKey: "k", enrichments: [{ title: "Logs", annotations: {}, blocks: [file("api.log", log)] }, { title: "After", annotations: {}, blocks: [markdown("more")] }] });
    const message = renderTeamsCard(finding, { clusterName: "prod" });
    checkCard(finding, message, 28 * 1024);
    const shown = texts(message);
    expect(shown.some((t) => t.endsWith(line(49_999)))).toBe(true);
    expect(shown).toContain("**After**");
    expect(shown.at(-1)).toBe("✂️ 1 file shortened to their last lines to fit Teams' 28 KB limit.");
  });
});
