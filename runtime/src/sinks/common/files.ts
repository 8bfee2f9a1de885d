/** A finding's files as bytes, for sinks that attach or upload them (mail, Discord, Telegram, Jira, ...). Pure. */
import type { FileBlock, Finding } from "@robusta-ts/sdk";

/** One file to attach. */
export interface AttachedFile {
  readonly filename: string;
  readonly bytes: Buffer;
  /** A MIME type guessed from the file name. */
  readonly contentType: string;
  /** What was cut from the file before it got here, when something was. */
  readonly truncated?: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  txt: "text/plain; charset=utf-8",
  log: "text/plain; charset=utf-8",
  json: "application/json",
  yaml: "application/yaml",
  yml: "application/yaml",
  csv: "text/csv; charset=utf-8",
  html: "text/html; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  pdf: "application/pdf",
  zip: "application/zip",
  gz: "application/gzip",
};

/** The MIME type for a file name; text for UTF-8 contents with an unknown extension, octet-stream otherwise. */
export function contentTypeOf(filename: string, encoding: FileBlock["encoding"] = "base64"): string {
  const extension = /\.([^.]+)$/.exec(filename)?.[1]?.toLowerCase();
  return (extension && CONTENT_TYPES[extension]) ?? (encoding === "utf8" ? "text/plain; charset=utf-8" : "application/octet-stream");
}

/** A file block's bytes. */
export const fileBytes = (block: FileBlock): Buffer => Buffer.from(block.contents, block.encoding === "utf8" ? "utf8" : "base64");

/** A file block as an attachment. */
export function attachedFile(block: FileBlock): AttachedFile {
  return {
    filename: block.filename,
    bytes: fileBytes(block),
    contentType: contentTypeOf(block.filename, block.encoding),
    ...(block.truncated !== undefined && { truncated: block.truncated }),
  };
}

/** Every file of the finding's enrichments, in order; empty files are left out (Robusta skips them too). */
export function findingFiles(finding: Finding): AttachedFile[] {
  return finding.enrichments
    .flatMap((enrichment) => enrichment.blocks)
    .filter((block): block is FileBlock => block.type === "file" && block.contents !== "")
    .map(attachedFile);
}

/** The last `maxBytes` of a text file's lines (whole lines, and whole characters), for previews and size limits. */
export function tailLines(text: string, maxBytes: number): { text: string; cut: boolean } {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return { text, cut: false };
  const lines = text.replace(/\n$/, "").split("\n");
  const kept: string[] = [];
  let size = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const lineSize = Buffer.byteLength(lines[i]!, "utf8") + 1;
    if (size + lineSize > maxBytes) break;
    kept.unshift(lines[i]!);
    size += lineSize;
  }
  return { text: kept.join("\n"), cut: true };
}
