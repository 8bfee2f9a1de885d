/**
 * A finding as a Teams message: one Adaptive Card in Robusta's layout (status and title, links,
 * source, description, then each enrichment), within a byte budget. Teams refuses messages over
 * 28 KB, so the card is cut to fit from the end: file contents first (keeping their last lines,
 * where a crash is), then whole enrichments, and it says what was cut. Pure.
 */
import { SEVERITY_MARK } from "../common/finding-words.js";
import type { Finding, FindingSource, Severity } from "@robusta-ts/sdk";
import type { GroupSummary } from "../sink.js";
import { TEAMS_MAX_MESSAGE_BYTES, teamsMessage, teamsMessageBytes, type CardElement, type Container, type TeamsMessage } from "./adaptive-card.js";
import { enrichmentParts, linkElements, MAX_TABLE_ROWS, text, type FilePart, type Part } from "./card-blocks.js";
import { teamsMarkdown } from "./teams-markdown.js";

export interface TeamsCardOptions {
  readonly clusterName: string;
  /** The most UTF-8 bytes the message may take, as Teams counts them. Default 28 KB, Teams' limit. */
  readonly maxBytes?: number;
  /** Files uploaded for this finding (app mode): filename → URL. These are linked instead of shown. */
  readonly fileLinks?: ReadonlyMap<string, string>;
  /** Whether text files show their last lines (Robusta's send_files). Default true. */
  readonly showFiles?: boolean;
}

/** Below this no card with a title fits; budgets are meant to be near Teams' 28 KB. */
const MIN_BUDGET = 2048;
const MAX_TITLE_CHARS = 500;
const MAX_DESCRIPTION_CHARS = 3000;

const SEVERITY_NAME: Record<Severity, string> = { DEBUG: "Debug", INFO: "Info", LOW: "Low", MEDIUM: "Medium", HIGH: "High" };

function statusLine(source: FindingSource, resolved: boolean): string {
  if (source === "PROMETHEUS") return resolved ? "✅ **Prometheus resolved**" : "🔥 **Prometheus Alert Firing** 🔥";
  if (source === "KUBERNETES_API_SERVER") return resolved ? "✅ **K8s event resolved**" : "👀 **K8s event detected**";
  return resolved ? "✅ **Resolved**" : "👀 **Notification**";
}

function descriptionPrefix(source: FindingSource): string {
  if (source === "PROMETHEUS") return "🚨 **Alert:**";
  if (source === "KUBERNETES_API_SERVER") return "👀 **K8s event detected:**";
  return "👀 **Notification:**";
}

// Robusta's card styles: resolved green, high red, low yellow, the rest blue.
function bandStyle(finding: Finding): Container["style"] {
  if (finding.status === "resolved") return "good";
  if (finding.severity === "HIGH") return "attention";
  if (finding.severity === "LOW" || finding.severity === "MEDIUM") return "warning";
  return "accent";
}

const cut = (value: string, max: number): string => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

interface HeaderOptions {
  readonly description?: string;
  readonly links: boolean;
  readonly title: string;
}

function headerElements(finding: Finding, clusterName: string, options: HeaderOptions): CardElement[] {
  const band: Container = {
    type: "Container",
    style: bandStyle(finding),
    bleed: true,
    items: [
      text(`${statusLine(finding.source, finding.status === "resolved")} ${SEVERITY_MARK[finding.severity]} **${SEVERITY_NAME[finding.severity]}**`),
      text(options.title, { weight: "Bolder", size: "Large" }),
    ],
  };
  return [
    band,
    text(`**Source:** ${clusterName}`),
    ...(options.description ? [text(`${descriptionPrefix(finding.source)} ${teamsMarkdown(options.description)}`)] : []),
    ...(options.links ? linkElements(finding.links.map((link) => ({ text: link.name, url: link.url }))) : []),
  ];
}

function fileCaption(file: FilePart, shown: number): string {
  const count = (n: number) => `${n.toLocaleString("en-US")} line${n === 1 ? "" : "s"}`;
  const size =
    file.totalLines === 0 ? "empty" : shown >= file.totalLines ? count(file.totalLines) : shown === 0 ? `${count(file.totalLines)}, none fit here` : `last ${shown.toLocaleString("en-US")} of ${count(file.totalLines)}`;
  return `📄 **${file.filename}** (${size})${file.truncated ? `: ${file.truncated}` : ""}`;
}

function fileElements(file: FilePart, shown: number): CardElement[] {
  const caption = text(fileCaption(file, shown), file.separator ? { separator: true } : {});
  if (shown === 0) return [caption];
  // TextBlocks are markdown: a line break needs a blank line.
  return [caption, text(file.lines.slice(-shown).join("\n\n"), { fontType: "Monospace" })];
}

function partElements(parts: readonly Part[], shown: ReadonlyMap<FilePart, number>): CardElement[] {
  return parts.flatMap((part) => (part.kind === "element" ? [part.element] : fileElements(part, shown.get(part) ?? 0)));
}

function cutNote(enrichmentsCut: number, filesShortened: number, maxBytes: number): string | undefined {
  const what = [
    ...(enrichmentsCut > 0 ? [`${enrichmentsCut} enrichment${enrichmentsCut === 1 ? "" : "s"} cut`] : []),
    ...(filesShortened > 0 ? [`${filesShortened} file${filesShortened === 1 ? "" : "s"} shortened to their last lines`] : []),
  ];
  return what.length === 0 ? undefined : `✂️ ${what.join(", ")} to fit Teams' ${Math.round(maxBytes / 1024)} KB limit.`;
}

/** Bytes `value` adds to the message as Teams counts it: escaped once in the card, again in the message. */
function storedBytes(value: string): number {
  return Buffer.byteLength(JSON.stringify(JSON.stringify(value))) - 6;
}

/** Bytes an element adds to the message (with the comma that separates it). */
function elementBytes(element: CardElement): number {
  return storedBytes(JSON.stringify(element)) + 1;
}

/** A line's cost in a file's monospace block, with the blank line before it. */
const lineBytes = (line: string): number => storedBytes(`${line}\n\n`);

/** The empty monospace block a file's first shown line brings. */
const MONOSPACE_BLOCK_BYTES = elementBytes(text("", { fontType: "Monospace" }));

/**
 * How many of each file's last lines fit in `room` bytes: one line from each file in turn, newest
 * first, so every file shows its end. A file stops at its first line that does not fit.
 */
function allocateLines(files: readonly FilePart[], room: number): Map<FilePart, number> {
  const shown = new Map<FilePart, number>(files.map((file) => [file, 0]));
  const open = new Set(files.filter((file) => file.lines.length > 0));
  let left = room;
  while (open.size > 0) {
    for (const file of open) {
      const count = shown.get(file)!;
      const cost = lineBytes(file.lines[file.lines.length - 1 - count]!) + (count === 0 ? MONOSPACE_BLOCK_BYTES : 0);
      if (cost > left) {
        open.delete(file);
        continue;
      }
      left -= cost;
      shown.set(file, count + 1);
      if (count + 1 >= file.lines.length) open.delete(file);
    }
  }
  return shown;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * Renders a finding as a Teams message of at most `maxBytes` (as Teams counts them). Files linked
 * in `fileLinks` are links; other text files show as many of their last lines as fit.
 */
export function renderTeamsCard(finding: Finding, options: TeamsCardOptions): TeamsMessage {
  const maxBytes = options.maxBytes ?? TEAMS_MAX_MESSAGE_BYTES;
  if (maxBytes < MIN_BUDGET) throw new RangeError(`maxBytes must be at least ${MIN_BUDGET}; got ${maxBytes}`);
  const context = { ...(options.fileLinks && { fileLinks: options.fileLinks }), showFiles: options.showFiles ?? true, maxFileChars: maxBytes };
  const sections = finding.enrichments.map((enrichment) => enrichmentParts(enrichment, context)).filter((parts) => parts.length > 0);
  const title = cut(finding.title, MAX_TITLE_CHARS);
  const description = finding.description ? cut(finding.description, MAX_DESCRIPTION_CHARS) : undefined;
  const header = headerElements(finding, options.clusterName, { title, links: true, ...(description !== undefined && { description }) });

  const filesOf = (kept: number) => sections.slice(0, kept).flatMap((parts) => parts.filter((part): part is FilePart => part.kind === "file"));
  const build = (head: readonly CardElement[], kept: number, shown: ReadonlyMap<FilePart, number>, note: string | undefined) =>
    teamsMessage([...head, ...sections.slice(0, kept).flatMap((parts) => partElements(parts, shown)), ...(note ? [text(note, { isSubtle: true, size: "Small", separator: true })] : [])]);
  const shortened = (shown: ReadonlyMap<FilePart, number>) => [...shown].filter(([file, count]) => count < file.lines.length || file.lines.length < file.totalLines).length;

  // What each enrichment costs with its files empty, to find how many fit without rendering each count.
  const none = new Map<FilePart, number>();
  const sectionBytes = sections.map((parts) => sum(partElements(parts, none).map(elementBytes)));
  const headerBytes = teamsMessageBytes(build(header, 0, none, undefined));

  for (let kept = sections.length; kept >= 0; kept--) {
    const files = filesOf(kept);
    // The note as long as it can get, so what fits with it fits with the final one.
    const provisional = cutNote(sections.length - kept, files.length, maxBytes);
    const base = headerBytes + sum(sectionBytes.slice(0, kept)) + (provisional ? elementBytes(text(provisional, { isSubtle: true, size: "Small", separator: true })) : 0);
    if (base > maxBytes) continue;
    const shown = allocateLines(files, maxBytes - base);
    // The estimate is close, not exact (captions change with the counts): check, and give back lines until it fits.
    for (;;) {
      const message = build(header, kept, shown, cutNote(sections.length - kept, shortened(shown), maxBytes));
      if (teamsMessageBytes(message) <= maxBytes) return message;
      const fullest = [...shown].filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1])[0];
      if (fullest === undefined) break;
      shown.set(fullest[0], fullest[1] - Math.max(1, Math.ceil(fullest[1] / 20)));
    }
  }
  return headerOnly(finding, options.clusterName, title, description, sections.length, maxBytes);
}

/** When even the header does not fit: the description shortened, then dropped, then the links, then the title cut. */
function headerOnly(finding: Finding, clusterName: string, title: string, description: string | undefined, enrichments: number, maxBytes: number): TeamsMessage {
  const note = cutNote(enrichments, 0, maxBytes);
  const attempt = (options: HeaderOptions) => teamsMessage([...headerElements(finding, clusterName, options), ...(note ? [text(note, { isSubtle: true, size: "Small", separator: true })] : [])]);
  const fits = (message: TeamsMessage) => teamsMessageBytes(message) <= maxBytes;
  if (description !== undefined) {
    // The longest prefix of the description that fits.
    let low = 0;
    let high = description.length;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (fits(attempt({ title, links: true, description: `${description.slice(0, mid)}…` }))) low = mid;
      else high = mid - 1;
    }
    if (low > 0) return attempt({ title, links: true, description: `${description.slice(0, low)}…` });
  }
  for (const options of [{ title, links: true }, { title, links: false }, { title: cut(title, 200), links: false }]) {
    const message = attempt(options);
    if (fits(message)) return message;
  }
  return attempt({ title: cut(title, 60), links: false });
}

/**
 * A grouped notification's summary card: what the group shares, a firing/resolved count per row,
 * and totals. Rows past what fits (or past 20) are counted in a note.
 */
export function renderTeamsSummary(summary: GroupSummary, clusterName: string, options: { readonly maxBytes?: number } = {}): TeamsMessage {
  const maxBytes = options.maxBytes ?? TEAMS_MAX_MESSAGE_BYTES;
  const build = (rowCount: number): TeamsMessage => {
    const rows = summary.rows.slice(0, rowCount);
    const hidden = summary.rows.length - rows.length;
    const header = [...summary.columns, "Firing", "Resolved"];
    const elements: CardElement[] = [
      {
        type: "Container",
        style: summary.firing > 0 ? "attention" : "good",
        bleed: true,
        items: [
          text("**Grouped notifications**", { size: "Large" }),
          text(`🔥 ${summary.firing} firing · ✅ ${summary.resolved} resolved · since ${summary.since}`),
        ],
      },
      text(`**Source:** ${clusterName}`),
      ...(summary.groupedBy.length > 0 ? [{ type: "FactSet" as const, facts: summary.groupedBy.map(([title, value]) => ({ title, value })) }] : []),
      ...(rows.length > 0
        ? [
            {
              type: "Table" as const,
              columns: header.map(() => ({ width: 1 })),
              firstRowAsHeader: true,
              rows: [header, ...rows.map((row) => [...row.values, String(row.firing), String(row.resolved)])].map((values, i) => ({
                type: "TableRow" as const,
                cells: values.map((value) => ({ type: "TableCell" as const, items: [text(cut(value, 200), i === 0 ? { weight: "Bolder" } : {})] })),
              })),
            },
          ]
        : []),
      ...(hidden > 0 ? [text(`… and ${hidden} more row${hidden === 1 ? "" : "s"}`, { isSubtle: true, size: "Small" })] : []),
    ];
    return teamsMessage(elements);
  };
  let rowCount = Math.min(summary.rows.length, MAX_TABLE_ROWS);
  let message = build(rowCount);
  while (rowCount > 0 && teamsMessageBytes(message) > maxBytes) {
    rowCount = Math.floor(rowCount / 2);
    message = build(rowCount);
  }
  return message;
}
