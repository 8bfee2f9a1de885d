/** A finding as text for a terminal: the console sink, the demo, `robusta simulate`. Pure. */
import { SEVERITY_MARK } from "./common/finding-words.js";
import type { Block, Finding, Severity, TableBlock } from "@robusta-ts/sdk";

export interface TextOptions {
  /** ANSI colours. */
  color?: boolean;
  /** Lines of each file shown (its end). Default 8. */
  fileLines?: number;
  /** Widest a table cell is shown. Default 60. */
  cellWidth?: number;
}

const ANSI = { bold: "\x1b[1m", dim: "\x1b[2m", red: "\x1b[31m", green: "\x1b[32m", reset: "\x1b[0m" };

function cut(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

function renderTable(block: TableBlock, width: number): string[] {
  const rows = block.rows.map((row) => row.map((cell) => cut(cell === null ? "" : String(cell), width)));
  if (block.headers.length === 0) {
    // Key/value tables read best as "key: value".
    const keyWidth = Math.max(0, ...rows.map((row) => (row[0] ?? "").length));
    return rows.map((row) => `${(row[0] ?? "").padEnd(keyWidth)}  ${row.slice(1).join("  ")}`);
  }
  const all = [block.headers.map((h) => cut(h, width)), ...rows];
  const widths = block.headers.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  const line = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ");
  return [line(all[0]!), ...rows.map(line)];
}

function renderBlock(block: Block, options: Required<TextOptions>, style: (s: string, ...codes: string[]) => string): string[] {
  switch (block.type) {
    case "markdown":
      return block.text.split("\n");
    case "header":
      return [style(block.text, ANSI.bold)];
    case "divider":
      return ["─".repeat(40)];
    case "list":
      return block.items.map((item) => `• ${item}`);
    case "table":
      return [...(block.name ? [style(block.name, ANSI.bold)] : []), ...renderTable(block, options.cellWidth)];
    case "file": {
      if (block.encoding !== "utf8") return [`📎 ${block.filename} (binary, ${Buffer.from(block.contents, "base64").length} bytes)`];
      const lines = block.contents.replace(/\n$/, "").split("\n");
      const shown = lines.slice(-options.fileLines);
      const hidden = lines.length - shown.length;
      return [
        `📎 ${block.filename} (${lines.length} lines${hidden > 0 ? `, last ${shown.length} shown` : ""})${block.truncated ? `: ${block.truncated}` : ""}`,
        ...shown.map((line) => style(`│ ${line}`, ANSI.dim)),
      ];
    }
    case "diff":
      return block.diffs.map((d) => `${d.path}: ${JSON.stringify(d.old)} → ${JSON.stringify(d.new)}`);
    case "links":
      return block.links.map((link) => `🔗 ${link.text}: ${link.url}`);
    case "callback":
      return [block.choices.map((choice) => `[ ${choice.text} ]`).join(" ")];
    case "json":
      return JSON.stringify(block.value, null, 2).split("\n");
  }
}

export function renderFindingText(finding: Finding, options: TextOptions = {}): string {
  const opts: Required<TextOptions> = { color: false, fileLines: 8, cellWidth: 60, ...options };
  const style = (text: string, ...codes: string[]) => (opts.color ? `${codes.join("")}${text}${ANSI.reset}` : text);
  const status = finding.status === "resolved" ? style("✅ resolved", ANSI.green) : style("🔥 firing", ANSI.red);
  const subject = finding.subject;
  const about = [subject.subjectType, [subject.namespace, subject.name].filter(Boolean).join("/")].filter(Boolean).join(" ");
  const out = [
    `${SEVERITY_MARK[finding.severity]} ${style(finding.title, ANSI.bold)}`,
    style(`   ${finding.severity} · ${status} · ${finding.aggregationKey}${about ? ` · ${about}` : ""}`, ANSI.dim),
  ];
  if (finding.description) out.push(...finding.description.split("\n").map((line) => `   ${line}`));
  for (const link of finding.links) out.push(`   🔗 ${link.name}: ${link.url}`);
  for (const enrichment of finding.enrichments) {
    out.push(`   ▸ ${style(enrichment.title ?? "Details", ANSI.bold)}`);
    for (const block of enrichment.blocks) out.push(...renderBlock(block, opts, style).map((line) => `     ${line}`));
  }
  return out.join("\n");
}
