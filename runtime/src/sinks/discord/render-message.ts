/**
 * A finding as a Discord webhook message, the way Robusta's Discord sender shows it: status,
 * severity and title as the message's text ("🔥 firing - 🔴 HIGH - **title**"); then one embed,
 * coloured by status (red firing, green resolved), with the finding's links as its description
 * and fields: Source, Description, and one per enrichment (continued in further fields when
 * longer than a field holds); files attached to the message.
 *
 * Discord's limits are kept rather than have the message refused: text is cut with "…"; fields
 * past 25, or past 6000 characters across the embed, are left out and counted in a last field;
 * a file that cannot be attached (over 10 MiB, past 10 files) says so where it is named. Pure.
 */
import type { Finding } from "@robusta-ts/sdk";
import type { AttachedFile } from "../common/files.js";
import { SEVERITY_MARK, STATUS_COLORS } from "../common/finding-words.js";
import { codePoints, cutToMeasure } from "../common/render-markdown.js";
import { DISCORD_MARKDOWN } from "./dialect.js";
import { DISCORD_LIMITS } from "./limits.js";
import { enrichmentItems, type EnrichmentItems } from "./render-items.js";

export interface DiscordEmbedField {
  readonly name: string;
  readonly value: string;
}

export interface DiscordEmbed {
  /** The colour bar, as a decimal RGB number. */
  readonly color: number;
  readonly description?: string;
  readonly fields: readonly DiscordEmbedField[];
}

/** The webhook's JSON body (`payload_json` when files go with it). */
export interface DiscordMessage {
  readonly content: string;
  readonly embeds: readonly DiscordEmbed[];
  readonly allowed_mentions: { readonly parse: readonly ("users" | "roles" | "everyone")[] };
  /** The files sent as files[n], n being the id. */
  readonly attachments?: readonly { readonly id: number; readonly filename: string }[];
}

export interface DiscordRendering {
  readonly message: DiscordMessage;
  /** The files to attach, in the order of `message.attachments`. */
  readonly files: readonly AttachedFile[];
}

// Discord refuses an empty field name or value.
const BLANK = "\u200b";
const MIB = 1024 * 1024;

/**
 * What a request holds besides the files: payload_json (at most 8000 characters of text, a few
 * bytes each once escaped) and the form's boundaries; and per file, its part's headers and its
 * name (there and in payload_json's attachments).
 */
const MESSAGE_BYTES = 64 * 1024;
const partBytes = (file: AttachedFile): number => file.bytes.length + 3 * Buffer.byteLength(file.filename) + 512;

const fieldSize = (field: DiscordEmbedField): number => codePoints(field.name) + codePoints(field.value);
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;

/** Robusta's Discord title line: "🔥 firing - 🔴 HIGH - **title**" (✅ resolved), within Discord's 2000 characters. */
export function discordContent(finding: Finding): string {
  const status = finding.status === "resolved" ? "✅ resolved" : "🔥 firing";
  const prefix = `${status} - ${SEVERITY_MARK[finding.severity]} ${finding.severity} - `;
  const title = cutToMeasure(DISCORD_MARKDOWN.fromSlack(finding.title), DISCORD_LIMITS.content - codePoints(prefix) - 4);
  return `${prefix}**${title}**`;
}

/** Which files go with the message, in order, and why each of the others does not. */
function chooseAttachments(files: readonly AttachedFile[]): { attached: AttachedFile[]; reasons: Map<AttachedFile, string> } {
  const attached: AttachedFile[] = [];
  const reasons = new Map<AttachedFile, string>();
  let total = MESSAGE_BYTES;
  for (const file of files) {
    const size = file.bytes.length;
    if (size > DISCORD_LIMITS.fileBytes) reasons.set(file, `${(size / MIB).toFixed(1)} MiB is over Discord's 10 MiB per file`);
    else if (attached.length >= DISCORD_LIMITS.attachments) reasons.set(file, "Discord takes 10 files per message");
    else if (total + partBytes(file) > DISCORD_LIMITS.requestBytes) reasons.set(file, "the files together would pass the 25 MiB Discord takes per message");
    else {
      attached.push(file);
      total += partBytes(file);
    }
  }
  return { attached, reasons };
}

function fileLine(file: AttachedFile, notAttached: string | undefined): string {
  const md = DISCORD_MARKDOWN;
  const truncated = file.truncated ? ` (${md.escape(file.truncated)})` : "";
  return `📎 ${md.bold(md.escape(file.filename))}${truncated}${notAttached ? ` (not attached: ${notAttached})` : ""}`;
}

/** An enrichment's texts as fields of at most 1024 characters: the first named by the title, the rest continuing it. */
function enrichmentFields(title: string | undefined, texts: readonly string[]): DiscordEmbedField[] {
  const limit = DISCORD_LIMITS.fieldValue;
  const fields: DiscordEmbedField[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const name = fields.length === 0 && title?.trim() ? cutToMeasure(title, DISCORD_LIMITS.fieldName) : BLANK;
    fields.push({ name, value: current.join("\n") });
    current = [];
  };
  for (const text of texts) {
    const piece = cutToMeasure(text, limit);
    if (current.length > 0 && codePoints([...current, piece].join("\n")) > limit) flush();
    current.push(piece);
  }
  flush();
  return fields;
}

/**
 * The fields within Discord's 25 per embed and 6000 characters per message (`used` of which
 * the description takes): all when they fit, otherwise those that fit in order, then a field
 * saying how many were left out.
 */
function fitFields(fields: readonly DiscordEmbedField[], used: number): DiscordEmbedField[] {
  const budget = DISCORD_LIMITS.embedsTotal - used;
  if (fields.length <= DISCORD_LIMITS.fields && fields.reduce((sum, field) => sum + fieldSize(field), 0) <= budget) return [...fields];
  const note = (omitted: number): DiscordEmbedField => ({ name: BLANK, value: `✂️ ${plural(omitted, "more field")} did not fit.` });
  const kept: DiscordEmbedField[] = [];
  let size = 0;
  for (const field of fields) {
    // Keeping this field must leave room for the note about the rest.
    const omitted = fields.length - kept.length - 1;
    if (kept.length + 2 > DISCORD_LIMITS.fields || size + fieldSize(field) + fieldSize(note(omitted)) > budget) break;
    kept.push(field);
    size += fieldSize(field);
  }
  return [...kept, note(fields.length - kept.length)];
}

function fieldsOf(finding: Finding, enrichments: readonly EnrichmentItems[], reasons: ReadonlyMap<AttachedFile, string>, clusterName: string): DiscordEmbedField[] {
  const md = DISCORD_MARKDOWN;
  const limit = DISCORD_LIMITS.fieldValue;
  const description = finding.description ? cutToMeasure(md.fromSlack(finding.description), limit).trim() : "";
  return [
    { name: "Source", value: cutToMeasure(md.code(clusterName), limit) },
    ...(description ? [{ name: "Description", value: description }] : []),
    ...enrichments.flatMap((enrichment) =>
      enrichmentFields(
        enrichment.title,
        enrichment.items.map((item) => (item.kind === "text" ? item.text : fileLine(item.file, reasons.get(item.file)))),
      ),
    ),
  ];
}

/** The message for `finding` and the files to attach to it, within Discord's limits. */
export function renderDiscordMessage(finding: Finding, clusterName: string): DiscordRendering {
  const md = DISCORD_MARKDOWN;
  const enrichments = enrichmentItems(finding, clusterName);
  const files = enrichments.flatMap((enrichment) => enrichment.items.flatMap((item) => (item.kind === "file" ? [item.file] : [])));
  const { attached, reasons } = chooseAttachments(files);
  const links = finding.links.map((link) => md.link(md.escape(link.name), link.url)).join(" · ");
  const description = cutToMeasure(links, DISCORD_LIMITS.embedDescription);
  const embed: DiscordEmbed = {
    color: Number.parseInt(STATUS_COLORS[finding.status].slice(1), 16),
    ...(description !== "" && { description }),
    fields: fitFields(fieldsOf(finding, enrichments, reasons, clusterName), codePoints(description)),
  };
  const message: DiscordMessage = {
    content: discordContent(finding),
    embeds: [embed],
    // Explicit <@user> and <@&role> mentions notify; @everyone and @here in cluster text do not.
    allowed_mentions: { parse: ["users", "roles"] },
    ...(attached.length > 0 && { attachments: attached.map((file, id) => ({ id, filename: file.filename })) }),
  };
  return { message, files: attached };
}
