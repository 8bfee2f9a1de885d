/**
 * Keeping a mail within `max_message_kb`, measured as the server counts it: the encoded message,
 * attachments included. Whatever does not fit is left out and the mail says so: first the
 * attachments, kept oldest first while they fit (so the newest go first), then, if the body alone
 * is too large, whole enrichments, kept in order while they fit. Each candidate is measured by
 * building it, and with the longest note it could end up with, so the mail finally built (whose
 * note can only be shorter) fits too.
 */
import type { Enrichment, Finding } from "@robusta-ts/sdk";
import { DeliveryError } from "../../delivery/delivery-error.js";
import type { AttachedFile } from "../common/files.js";
import type { MailContent } from "./render-mail.js";

export interface FitInput {
  readonly finding: Finding;
  /** The finding's files, in order. */
  readonly files: readonly AttachedFile[];
  /** The largest message, in bytes. */
  readonly maxBytes: number;
  /** The mail for a finding (with the enrichments that fit) and notes on what was left out. */
  render(finding: Finding, notes: readonly string[]): MailContent;
  /** The raw message. */
  compose(content: MailContent, attachments: readonly AttachedFile[]): Promise<Buffer>;
}

export interface FittedMail {
  /** The message to send, within `maxBytes`. */
  readonly raw: Buffer;
  readonly omittedEnrichments: number;
  /** The files not attached. */
  readonly dropped: readonly AttachedFile[];
}

/** A size as people read it: "812 B", "3.4 KB", "12.0 MB". */
export function readableSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const limitText = (maxBytes: number): string => `${Math.floor(maxBytes / 1024)} KB`;

/** The note for enrichments left out. */
export const sectionsNote = (count: number, maxBytes: number): string =>
  `✂️ ${count} more section${count === 1 ? "" : "s"} did not fit in this mail (limit ${limitText(maxBytes)}).`;

/** The note for files not attached. */
export const filesNote = (files: readonly AttachedFile[], maxBytes: number): string =>
  `📎 Not attached, too large for this mail (limit ${limitText(maxBytes)}): ${files.map((file) => `${file.filename} (${readableSize(file.bytes.length)})`).join(", ")}.`;

/** A file's size once base64-encoded in 76-character lines: a file above the limit by this alone is not tried. */
const encodedSize = (bytes: number): number => Math.ceil(bytes / 3) * 4 * (78 / 76);

/** The mail within `maxBytes`: see the module comment. */
export async function fitMail(input: FitInput): Promise<FittedMail> {
  const { finding, files, maxBytes } = input;
  const build = async (enrichments: readonly Enrichment[], notes: readonly string[], attached: readonly AttachedFile[]) =>
    input.compose(input.render({ ...finding, enrichments }, notes), attached);
  const fits = async (enrichments: readonly Enrichment[], notes: readonly string[], attached: readonly AttachedFile[]) =>
    (await build(enrichments, notes, attached)).length <= maxBytes;

  const whole = await build(finding.enrichments, [], files);
  if (whole.length <= maxBytes) return { raw: whole, omittedEnrichments: 0, dropped: [] };

  // The body, measured with no attachment and every file named as left out.
  const noFiles = files.length > 0 ? [filesNote(files, maxBytes)] : [];
  let enrichments: readonly Enrichment[] = finding.enrichments;
  if (!(await fits(enrichments, noFiles, []))) {
    const kept: Enrichment[] = [];
    for (const enrichment of finding.enrichments) {
      const candidate = [...kept, enrichment];
      const others = finding.enrichments.length - candidate.length;
      if (await fits(candidate, [...(others > 0 ? [sectionsNote(others, maxBytes)] : []), ...noFiles], [])) kept.push(enrichment);
    }
    enrichments = kept;
  }
  const omittedEnrichments = finding.enrichments.length - enrichments.length;
  const sectionNotes = omittedEnrichments > 0 ? [sectionsNote(omittedEnrichments, maxBytes)] : [];

  // Then the files, oldest first, each measured with every other file not yet attached named as left out.
  const attached: AttachedFile[] = [];
  const dropped: AttachedFile[] = [];
  for (const file of files) {
    const others = files.filter((other) => other !== file && !attached.includes(other));
    const notes = [...sectionNotes, ...(others.length > 0 ? [filesNote(others, maxBytes)] : [])];
    if (encodedSize(file.bytes.length) < maxBytes && (await fits(enrichments, notes, [...attached, file]))) attached.push(file);
    else dropped.push(file);
  }

  const raw = await build(enrichments, [...sectionNotes, ...(dropped.length > 0 ? [filesNote(dropped, maxBytes)] : [])], attached);
  // Only a finding with hundreds of long file names could get here: its note alone would not fit.
  if (raw.length > maxBytes) {
    throw new DeliveryError(`the mail is ${readableSize(raw.length)} even without enrichments and files, over max_message_kb`, { retryable: false });
  }
  return { raw, omittedEnrichments, dropped };
}
