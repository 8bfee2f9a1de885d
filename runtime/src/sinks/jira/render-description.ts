/**
 * A finding as a Jira issue description (ADF), in Robusta's order: links (Robusta's actions line,
 * with the runbook URL), the description, then each enrichment's blocks; files are attached to
 * the issue and named where they were. Unlike Robusta, a status line comes first, enrichments keep
 * their titles (as headings), tables are ADF tables, and diffs, JSON and link blocks are shown
 * rather than skipped. Jira refuses descriptions over 32,767 characters: sections are kept whole
 * while they fit, the first that does not is cut, the rest are left out, and a last paragraph
 * says so. Pure.
 */
import type { Block, Enrichment, FileBlock, Finding, TableBlock } from "@robusta-ts/sdk";
import { SEVERITY_MARK, severityName, statusMark, statusWords } from "../common/finding-words.js";
import { fileBytes } from "../common/files.js";
import { cutToFit } from "../common/render-markdown.js";
import {
  bold,
  bulletList,
  code,
  codeBlock,
  doc,
  heading,
  inlineLines,
  link,
  markdownBlocks,
  paragraph,
  rule,
  table,
  text,
  type AdfDoc,
  type AdfInline,
  type AdfNode,
} from "./adf.js";

/** Jira's limit on a text field, in characters; the description's ADF JSON is kept within it. */
export const DESCRIPTION_MAX = 32_767;

/** Table rows shown; the rest are counted. */
const MAX_TABLE_ROWS = 50;

/** The least room worth cutting a section into: with less, it is left out. */
const MIN_CUT_ROOM = 500;

/** What this Jira takes as attachments (GET /rest/api/3/attachment/meta). */
export interface AttachmentPolicy {
  readonly enabled: boolean;
  /** The largest file, in bytes. */
  readonly uploadLimit: number;
}

export interface DescriptionOptions {
  readonly clusterName: string;
  readonly attachments: AttachmentPolicy;
  /** Default: Jira's 32,767 characters. */
  readonly limit?: number;
}

const MB = 1024 * 1024;
const size = (bytes: number): string => (bytes >= MB ? `${(bytes / MB).toFixed(1).replace(/\.0$/, "")} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** Why a file will not be attached, or undefined when it will be. */
export function notAttachedReason(block: FileBlock, policy: AttachmentPolicy): string | undefined {
  if (!policy.enabled) return "attachments are turned off in this Jira";
  const bytes = fileBytes(block).length;
  return bytes > policy.uploadLimit ? `${size(bytes)} is over this Jira's ${size(policy.uploadLimit)} attachment limit` : undefined;
}

const separated = (parts: readonly (readonly AdfInline[])[], separator = " · "): AdfInline[] =>
  parts.flatMap((part, i) => [...(i > 0 ? text(separator) : []), ...part]);

const cellText = (cell: TableBlock["rows"][number][number]): string => (cell === null ? "" : String(cell));
const shown = (value: unknown): string => (value === undefined ? "(none)" : typeof value === "string" ? value : (JSON.stringify(value) ?? "null"));

function tableNodes(block: TableBlock): AdfNode[] {
  const rows = block.rows.slice(0, MAX_TABLE_ROWS);
  const more = block.rows.length - rows.length;
  // Two columns and no headers: Robusta's key/value table, keys in bold.
  const keyValue = block.headers.length === 0 && rows.every((row) => row.length === 2);
  const cells = rows.map((row) => row.map((cell, i) => (keyValue && i === 0 ? bold(cellText(cell)) : inlineLines(cellText(cell)))));
  return [
    ...(block.name ? [paragraph(bold(block.name))] : []),
    table(block.headers, cells),
    ...(more > 0 ? [paragraph(text(`${more} more row${more === 1 ? "" : "s"}`, [{ type: "em" }]))] : []),
  ];
}

function fileNode(block: FileBlock, policy: AttachmentPolicy): AdfNode {
  const reason = notAttachedReason(block, policy);
  return paragraph([
    ...text("📎 "),
    ...bold(block.filename),
    ...text(block.truncated ? ` (${block.truncated})` : ""),
    ...text(reason ? ` (not attached: ${reason})` : " (attached)", [{ type: "em" }]),
  ]);
}

/** A block as ADF nodes; blocks with nothing to show here (buttons) give none. */
export function blockNodes(block: Block, policy: AttachmentPolicy): AdfNode[] {
  switch (block.type) {
    case "markdown":
      return markdownBlocks(block.text);
    case "header":
      return [heading(4, text(block.text))];
    case "list":
      return block.items.length > 0 ? [bulletList(block.items.map((item) => inlineLines(item)))] : [];
    case "table":
      return block.rows.length > 0 || block.headers.length > 0 ? tableNodes(block) : [];
    case "file":
      return block.contents === "" ? [] : [fileNode(block, policy)];
    case "diff":
      return [
        paragraph(bold(`${block.kind} ${block.namespace ? `${block.namespace}/` : ""}${block.name}`)),
        ...(block.diffs.length > 0 ? [bulletList(block.diffs.map((change) => [...code(change.path), ...text(`: ${shown(change.old)} → ${shown(change.new)}`)]))] : []),
      ];
    case "links":
      return block.links.length > 0 ? [paragraph(separated(block.links.map((item) => text(item.text || item.url, [link(item.url)]))))] : [];
    case "json":
      return [codeBlock(JSON.stringify(block.value, null, 2) ?? "null", "json")];
    case "divider":
      return [rule()];
    case "callback":
      return [];
  }
}

function enrichmentNodes(enrichment: Enrichment, policy: AttachmentPolicy): AdfNode[] {
  const blocks = enrichment.blocks.flatMap((block) => blockNodes(block, policy));
  if (blocks.length === 0) return [];
  return enrichment.title ? [heading(3, text(enrichment.title)), ...blocks] : blocks;
}

/** The status line: "🔥 Prometheus Alert Firing · 🔴 High · Source: prod". */
function statusLine(finding: Finding, clusterName: string): AdfNode {
  return paragraph([
    ...text(`${statusMark(finding)} `),
    ...bold(statusWords(finding)),
    ...text(` · ${SEVERITY_MARK[finding.severity]} ${severityName(finding.severity)} · Source: `),
    ...code(clusterName),
  ]);
}

/** The finding's links and its runbook_url annotation (Robusta's "🔎 Runbook URL"), on one line. */
function linksLine(finding: Finding): AdfNode[] {
  const runbook = finding.subject.annotations.runbook_url;
  const links = [
    ...finding.links.map((item) => text(item.name || item.url, [link(item.url)])),
    ...(runbook ? [text("🔎 Runbook URL", [link(runbook)])] : []),
  ];
  return links.length > 0 ? [paragraph(separated(links))] : [];
}

/** The description's sections, in order; `fitSections` keeps, cuts or leaves out whole ones. */
export function descriptionSections(finding: Finding, options: DescriptionOptions): AdfNode[][] {
  return [
    [statusLine(finding, options.clusterName)],
    linksLine(finding),
    finding.description ? markdownBlocks(finding.description) : [],
    ...finding.enrichments.map((enrichment) => enrichmentNodes(enrichment, options.attachments)),
  ].filter((section) => section.length > 0);
}

/** The finding's description as an ADF document whose JSON is within the limit. */
export function issueDescription(finding: Finding, options: DescriptionOptions): AdfDoc {
  return doc(fitSections(descriptionSections(finding, options), options.limit ?? DESCRIPTION_MAX));
}

// ---------------------------------------------------------------- fitting

const measure = (nodes: readonly AdfNode[]): number => JSON.stringify(doc(nodes)).length;

const ELLIPSIS = "…";

function cutNote(shortened: number, omitted: number): AdfNode {
  const parts = [
    ...(shortened > 0 ? [`${shortened} section${shortened === 1 ? "" : "s"} cut`] : []),
    ...(omitted > 0 ? [`${omitted} section${omitted === 1 ? "" : "s"} left out`] : []),
  ];
  return paragraph(text(`✂️ Cut to fit Jira's description limit: ${parts.join(", ")}.`, [{ type: "em" }]));
}

/** A shorter `node` that `fits`: a code block or paragraph keeps the start of its text; others cannot be cut. */
function shrink(node: AdfNode, fits: (candidate: AdfNode) => boolean): AdfNode | undefined {
  if (node.type === "codeBlock") {
    const raw = node.content?.[0]?.type === "text" ? node.content[0].text : "";
    const cut = cutToFit(raw, (candidate) => fits({ ...node, content: [{ type: "text", text: candidate }] }));
    return cut === "" ? undefined : { ...node, content: [{ type: "text", text: cut }] };
  }
  if (node.type !== "paragraph") return undefined;
  const kept: AdfInline[] = [];
  for (const item of node.content ?? []) {
    if (fits(paragraph([...kept, item, ...text(ELLIPSIS)]))) {
      kept.push(item);
      continue;
    }
    if (item.type === "text") {
      const cut = cutToFit(item.text, (candidate) => fits(paragraph([...kept, { ...item, text: candidate }])));
      if (cut !== "") return paragraph([...kept, { ...item, text: cut }]);
    }
    break;
  }
  return kept.length > 0 ? paragraph([...kept, ...text(ELLIPSIS)]) : undefined;
}

/** The leading nodes of `section` that fit, the first that does not cut when it can be; empty when nothing but a heading would be left. */
function cutSection(section: readonly AdfNode[], fits: (nodes: readonly AdfNode[]) => boolean): AdfNode[] {
  const kept: AdfNode[] = [];
  for (const node of section) {
    if (fits([...kept, node])) {
      kept.push(node);
      continue;
    }
    const cut = shrink(node, (candidate) => fits([...kept, candidate]));
    if (cut) kept.push(cut);
    break;
  }
  return kept.every((node) => node.type === "heading") ? [] : kept;
}

/**
 * Sections in order within `limit` (the document's JSON length): whole while they fit. One that
 * does not is cut to the room left when it can be (and the ones after it are left out), or else
 * left out (and the ones after it are still tried). A closing note counts what was cut and left out.
 */
export function fitSections(sections: readonly (readonly AdfNode[])[], limit: number): AdfNode[] {
  const all = sections.flat();
  if (measure(all) <= limit) return all;
  // Room for the note, at its longest.
  const reserve = measure([cutNote(999, 999)]) - measure([]) + 1;
  const kept: AdfNode[] = [];
  let shortened = 0;
  let omitted = 0;
  for (const section of sections) {
    const fits = (nodes: readonly AdfNode[]) => measure([...kept, ...nodes]) + reserve <= limit;
    if (shortened === 0 && fits(section)) {
      kept.push(...section);
      continue;
    }
    const room = limit - reserve - measure(kept);
    const cut = shortened === 0 && room >= MIN_CUT_ROOM ? cutSection(section, fits) : [];
    if (cut.length > 0) {
      kept.push(...cut);
      shortened++;
    } else omitted++;
  }
  return [...kept, cutNote(shortened, omitted)];
}
