import { describe, expect, it } from "vitest";
import {
  codeBlock,
  cutMrkdwn,
  cutText,
  escapeKeepingTokens,
  escapeMrkdwn,
  extractMentions,
  inlineCode,
  slackDate,
  splitMrkdwn,
} from "../../src/sinks/slack/mrkdwn.js";

describe("escaping", () => {
  it("escapes &, < and > in cluster data", () => {
    expect(escapeMrkdwn("a < b && c > d")).toBe("a &lt; b &amp;&amp; c &gt; d");
  });

  it("keeps Slack's own tokens and entities, escaping everything else", () => {
    expect(escapeKeepingTokens("see <https://x.example/a?b=1&c=2|docs> & <@U123> <!here> if x<3 &amp; <not a link>")).toBe(
      "see <https://x.example/a?b=1&c=2|docs> &amp; <@U123> <!here> if x&lt;3 &amp; &lt;not a link&gt;",
    );
  });

  it("keeps inline code and code blocks from being closed by their contents", () => {
    expect(inlineCode("a `b`\nc<d>")).toBe("`a ˋbˋ c&lt;d&gt;`");
    const block = codeBlock("x\n```\ny & z\n");
    expect(block.startsWith("```\nx\n")).toBe(true);
    expect(block.endsWith("\ny &amp; z\n```")).toBe(true);
    expect(block.split("```").length - 1).toBe(2);
  });
});

describe("mentions", () => {
  it("takes user, group and special mentions out, leaving links and dates", () => {
    expect(extractMentions("Disk <@U1ABC> full <!channel> on <https://x.example|node> <!subteam^S1|@ops> <!date^1^{date}|d>")).toEqual({
      text: "Disk full on <https://x.example|node> <!date^1^{date}|d>",
      mentions: ["<@U1ABC>", "<!channel>", "<!subteam^S1|@ops>"],
    });
    expect(extractMentions("no mentions <here>")).toEqual({ text: "no mentions <here>", mentions: [] });
  });
});

describe("cutting", () => {
  it("cuts with an ellipsis and never splits a surrogate pair", () => {
    expect(cutText("abcdef", 6)).toBe("abcdef");
    expect(cutText("abcdef", 4)).toBe("abc…");
    expect(cutText("ab🔥cd", 4)).toBe("ab…");
  });

  it("cuts mrkdwn at a line boundary and closes an open fence", () => {
    const text = ["intro", "```", ...Array.from({ length: 50 }, (_, i) => `line ${i}`), "```"].join("\n");
    const cut = cutMrkdwn(text, 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut.endsWith("```\n…")).toBe(true);
    expect((cut.split("```").length - 1) % 2).toBe(0);
  });
});

describe("splitting", () => {
  // Deterministic pseudo-random texts: prose, fences, blank lines, very long lines, emoji.
  function sample(seed: number): string {
    let state = seed;
    const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = next();
      if (r < 0.08) lines.push("```");
      else if (r < 0.12) lines.push("");
      else if (r < 0.14) lines.push("🔥".repeat(Math.floor(next() * 2000)));
      else if (r < 0.16) lines.push("inline ```code``` here");
      else lines.push(`line ${i} ${"word ".repeat(Math.floor(next() * 60))}`);
    }
    return lines.join("\n");
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("keeps every piece within the limit with fences balanced (seed %i)", (seed) => {
    const text = sample(seed);
    const opens = (text.split("```").length - 1) % 2;
    for (const max of [200, 1000, 3000]) {
      const pieces = splitMrkdwn(text, max);
      expect(pieces.length).toBeGreaterThan(1);
      pieces.forEach((piece, i) => {
        expect(piece.length).toBeLessThanOrEqual(max);
        expect(piece.trim()).not.toBe("");
        // Only a source that leaves a fence open may leave the last piece open.
        if (i < pieces.length - 1 || opens === 0) expect((piece.split("```").length - 1) % 2).toBe(0);
        expect(piece).not.toMatch(/[\uD800-\uDBFF]$/);
      });
    }
  });

  it("loses nothing but the fence markers it adds, and wraps only lines too long for any piece", () => {
    const text = ["a", "```", "b", "c", "```", "d", "x".repeat(50)].join("\n");
    expect(splitMrkdwn(text, 12)).toEqual(["a\n```\nb\n```", "```\nc\n```\nd", ...Array(5).fill("xxxx\nxxxx"), "xxxx\nxxxx\nxx"]);
  });

  it("returns short text whole and drops blank text", () => {
    expect(splitMrkdwn("short\ntext", 3000)).toEqual(["short\ntext"]);
    expect(splitMrkdwn("  \n\n ", 3000)).toEqual([]);
  });
});

describe("dates", () => {
  it("shows a date in the reader's time zone with a UTC fallback", () => {
    expect(slackDate("2026-03-01T10:30:00Z")).toBe("<!date^1772361000^{date_short_pretty} {time}|2026-03-01 10:30 UTC>");
    expect(slackDate("not a <date>")).toBe("not a &lt;date&gt;");
  });
});
