/**
 * What each enrichment shows in Discord, before the message's limits are applied: markdown for
 * its embed field, and files to attach. As Robusta's Discord sender does, a table too wide or
 * too long for a field (more than 4 columns, more than 20 rows, or over 1024 characters) becomes
 * a text file, and so does JSON too long for a field. Pure.
 */
import type { Block, Finding, TableBlock } from "@robusta-ts/sdk";
import { attachedFile, tailLines, type AttachedFile } from "../common/files.js";
import { blockMarkdown, codePoints, type MarkdownDialect } from "../common/render-markdown.js";
import { DISCORD_MARKDOWN } from "./dialect.js";
import { DISCORD_LIMITS } from "./limits.js";

/** One thing an enrichment shows: text for its field, or a file (named in the field, attached if it fits). */
export type Item = { readonly kind: "text"; readonly text: string } | { readonly kind: "file"; readonly file: AttachedFile };

export interface EnrichmentItems {
  readonly title?: string;
  readonly items: readonly Item[];
}

/** Robusta's DISCORD_TABLE_COLUMNS_LIMIT: wider tables do not read well in a field. */
const TABLE_COLUMNS_LIMIT = 4;
/** Rows a field shows; a longer table is attached whole rather than shown in part. */
const TABLE_ROWS = 20;

/** Text as it is, for tables and JSON written to files. */
const PLAIN: MarkdownDialect = {
  escape: (raw) => raw,
  bold: (text) => text,
  code: (raw) => raw,
  codeBlock: (raw) => raw,
  link: (text, url) => `${text}: ${url}`,
  fromSlack: (text) => text,
  tables: false,
};

const textFile = (filename: string, text: string): AttachedFile => ({
  filename,
  bytes: Buffer.from(text, "utf8"),
  contentType: "text/plain; charset=utf-8",
});

/** A text file over Discord's per-file limit keeps its last lines; other files are left as they are. */
function withinFileLimit(file: AttachedFile): AttachedFile {
  if (file.bytes.length <= DISCORD_LIMITS.fileBytes || !file.contentType.startsWith("text/")) return file;
  const tail = tailLines(file.bytes.toString("utf8"), DISCORD_LIMITS.fileBytes);
  const note = "last lines: Discord takes 10 MiB per file";
  // tailLines counts a newline after every line it keeps, so the last one fits too.
  return { ...file, bytes: Buffer.from(`${tail.text}\n`, "utf8"), truncated: file.truncated ? `${file.truncated}; ${note}` : note };
}

/** Names files uniquely within a message ("data.txt", "data-2.txt"), as attachments are told apart by name. */
class FileNames {
  private readonly used = new Set<string>();

  unique(filename: string): string {
    const dot = filename.lastIndexOf(".");
    const [stem, extension] = dot > 0 ? [filename.slice(0, dot), filename.slice(dot)] : [filename, ""];
    let candidate = filename;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${stem}-${n}${extension}`;
    this.used.add(candidate);
    return candidate;
  }
}

function tableItem(block: TableBlock, names: FileNames, clusterName: string): Item {
  const text = blockMarkdown(block, { clusterName, dialect: DISCORD_MARKDOWN, maxTableRows: TABLE_ROWS });
  const fits = block.headers.length <= TABLE_COLUMNS_LIMIT && block.rows.length <= TABLE_ROWS && codePoints(text) <= DISCORD_LIMITS.fieldValue;
  if (fits) return { kind: "text", text };
  const whole = blockMarkdown(block, { clusterName, dialect: PLAIN, maxTableRows: Number.POSITIVE_INFINITY });
  // A table's name may hold a path separator; a file name may not.
  const filename = `${(block.name ?? "data").replace(/[\\/]/g, "_")}.txt`;
  return { kind: "file", file: textFile(names.unique(filename), `${whole}\n`) };
}

function blockItem(block: Block, names: FileNames, clusterName: string): Item | undefined {
  switch (block.type) {
    case "file": {
      if (block.contents === "") return undefined;
      const file = withinFileLimit(attachedFile(block));
      return { kind: "file", file: { ...file, filename: names.unique(file.filename) } };
    }
    case "table":
      return tableItem(block, names, clusterName);
    case "json": {
      const text = blockMarkdown(block, { clusterName, dialect: DISCORD_MARKDOWN });
      if (codePoints(text) <= DISCORD_LIMITS.fieldValue) return { kind: "text", text };
      return { kind: "file", file: textFile(names.unique("data.json"), `${JSON.stringify(block.value, null, 2)}\n`) };
    }
    default: {
      const text = blockMarkdown(block, { clusterName, dialect: DISCORD_MARKDOWN });
      // Discord refuses a blank field value.
      return text.trim() === "" ? undefined : { kind: "text", text };
    }
  }
}

/** Each enrichment's items, in order; enrichments with nothing to show are left out. */
export function enrichmentItems(finding: Finding, clusterName: string): EnrichmentItems[] {
  const names = new FileNames();
  return finding.enrichments
    .map((enrichment) => ({
      ...(enrichment.title !== undefined && { title: enrichment.title }),
      items: enrichment.blocks.map((block) => blockItem(block, names, clusterName)).filter((item): item is Item => item !== undefined),
    }))
    .filter((enrichment) => enrichment.items.length > 0);
}
