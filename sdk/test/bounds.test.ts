import { describe, expect, it } from "vitest";
import {
  ActionRegistry,
  boundBlocks,
  DEFAULT_BLOCK_LIMITS,
  definePlaybook,
  Engine,
  file,
  markdown,
  onPodUpdate,
  table,
  tableText,
  type FileBlock,
  type MarkdownBlock,
} from "../src/index.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";

const rows = (n: number) => Array.from({ length: n }, (_, i) => [`pod-${i}`, i % 2 === 0 ? "Running" : "Pending"]);

describe("boundBlocks", () => {
  it("keeps blocks within the limits as they are", () => {
    const blocks = [table(rows(3), { headers: ["name", "phase"], name: "Pods" }), file("app.log", "ok\n"), markdown("short")];
    expect(boundBlocks(blocks)).toEqual(blocks);
  });

  it("turns a table with too many rows into a text file, and says so", () => {
    const [note, attached] = boundBlocks([table(rows(120), { headers: ["name", "phase"], name: "Pods on node-1" })]);
    expect((note as MarkdownBlock).text).toBe("*Pods on node-1*: 120 rows, too many to show here; attached as `pods-on-node-1.txt`.");
    const lines = (attached as FileBlock).contents.trimEnd().split("\n");
    expect((attached as FileBlock).filename).toBe("pods-on-node-1.txt");
    expect(lines).toHaveLength(121);
    expect(lines.slice(0, 3)).toEqual(["name     phase", "pod-0    Running", "pod-1    Pending"]);
  });

  it("turns a table too long to read into a file even with few rows", () => {
    const wide = table([["message", "x".repeat(DEFAULT_BLOCK_LIMITS.maxTableChars)]]);
    expect(boundBlocks([wide]).map((b) => b.type)).toEqual(["markdown", "file"]);
  });

  it("keeps the end of a file over the limit, at a line boundary, and records what was cut", () => {
    const log = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n") + "\n";
    const [cut] = boundBlocks([file("app.log", log)], { ...DEFAULT_BLOCK_LIMITS, maxFileBytes: 100 }) as FileBlock[];
    expect(cut!.contents.endsWith("line 99\n")).toBe(true);
    expect(cut!.contents.startsWith("line ")).toBe(true);
    expect(Buffer.byteLength(cut!.contents)).toBeLessThanOrEqual(100);
    expect(cut!.truncated).toMatch(/^the first \d+ bytes were cut to keep the last 0 KB$/);
  });

  it("cuts long markdown, keeping its start and saying how much went", () => {
    const [cut] = boundBlocks([markdown("a".repeat(10))], { ...DEFAULT_BLOCK_LIMITS, maxMarkdownChars: 4 }) as MarkdownBlock[];
    expect(cut!.text).toBe("aaaa\n… (6 more characters cut)");
  });

  it("lays out key/value tables without a header row", () => {
    expect(tableText(table([["Node", "node-1"], ["Status", "Ready"]]))).toBe("Node    node-1\nStatus  Ready\n");
  });
});

describe("limits applied to what playbooks add", () => {
  it("bounds every enrichment, with the engine's limits", async () => {
    const big = definePlaybook({
      name: "big",
      triggers: [onPodUpdate()],
      run: (_event, ctx) => ctx.addEnrichment([table(rows(8), { headers: ["name", "phase"], name: "Pods" })]),
    });
    const engine = new Engine({
      playbooks: [big],
      actions: new ActionRegistry(),
      cluster: new InMemoryCluster(),
      logger: new MemoryLogger(),
      clock: new FakeClock(),
      defaultSinks: ["main"],
      blockLimits: { maxTableRows: 5 },
    });
    const pod = fixtures.pod();
    const result = await engine.handle(fixtures.change("update", pod, pod));
    expect(result.findings.get("main")![0]!.enrichments[0]!.blocks.map((b) => b.type)).toEqual(["markdown", "file"]);
  });
});
