/**
 * A finding as a Zulip stream message, laid out as Robusta's ZulipSender does: the status and
 * severity line with the title under it, 🎬 links, `**Source:**`, the description, then each block.
 * Text logs (.txt, .log) show their last lines inline, up to `log_preview_char_limit`; other files
 * are uploaded and linked. The content is kept within Zulip's 10000 characters (blocks that do not
 * fit are left out with a note) and the topic within 60. Pure.
 */
import type { Block, FileBlock, Finding } from "@robusta-ts/sdk";
import { resolveOverride } from "../common/destination-override.js";
import { tailLines } from "../common/files.js";
import { cutChars } from "../common/finding-words.js";
import { blockMarkdown, fitMarkdown, statusMarkdown, type MarkdownOptions } from "../common/render-markdown.js";
import { ZULIP_BLOCK_LIMIT, ZULIP_MARKDOWN as md } from "./zulip-markdown.js";

/** Zulip's limits (`max_message_length`, `max_topic_length` in POST /register), in characters. */
export const ZULIP_LIMITS = { content: 10_000, topic: 60 } as const;

/** What became of a file's upload: its link (relative, as Zulip gives it), or why it failed. */
export type UploadOutcome = { readonly url: string } | { readonly failed: string };

export interface ZulipRenderOptions {
  readonly clusterName: string;
  /** `log_preview_char_limit`: 0 uploads logs instead of previewing them. */
  readonly logPreviewChars: number;
  /** Upload outcomes, by the file's index in `zulipFiles(finding)`. */
  readonly uploads: ReadonlyMap<number, UploadOutcome>;
}

/** The finding's files, in order; empty ones are left out, as Robusta does. */
export const zulipFiles = (finding: Finding): FileBlock[] =>
  finding.enrichments.flatMap((enrichment) => enrichment.blocks).filter((block): block is FileBlock => block.type === "file" && block.contents !== "");

// Robusta previews files by their name (FileBlock.is_text_file).
const isLog = (file: FileBlock): boolean => file.encoding === "utf8" && /\.(txt|log)$/i.test(file.filename);

/** The preview of a log file: its last lines within the limit (and within what one block may show). */
const preview = (file: FileBlock, limit: number) => tailLines(file.contents, Math.min(limit, ZULIP_BLOCK_LIMIT));

/** Which of `zulipFiles(finding)` to upload: files that are not previewed, and logs whose preview is cut. */
export function filesToUpload(finding: Finding, logPreviewChars: number): number[] {
  return zulipFiles(finding).flatMap((file, index) => (logPreviewChars > 0 && isLog(file) && !preview(file, logPreviewChars).cut ? [] : [index]));
}

function uploadText(outcome: UploadOutcome, label: string): string {
  return "url" in outcome ? md.link(md.escape(label), outcome.url) : `${md.escape(label)} could not be uploaded: ${md.escape(outcome.failed)}`;
}

function fileText(file: FileBlock, outcome: UploadOutcome | undefined, options: ZulipRenderOptions): string {
  const truncated = file.truncated ? ` (${md.escape(file.truncated)})` : "";
  if (options.logPreviewChars > 0 && isLog(file)) {
    const tail = preview(file, options.logPreviewChars);
    const full = tail.cut ? ` · last lines${outcome ? `; ${uploadText(outcome, "full log")}` : ""}` : "";
    return `📜 ${md.bold(md.escape(file.filename))}${truncated}${full}\n${md.codeBlock(tail.text.replace(/\n+$/, ""))}`;
  }
  if (outcome !== undefined && "url" in outcome) return `📎 ${md.link(md.escape(file.filename), outcome.url)}${truncated}`;
  return `📎 ${uploadText(outcome ?? { failed: "not uploaded" }, file.filename)}${truncated}`;
}

/** The message's sections in Robusta's order; an enrichment's title heads its first block. */
function sections(finding: Finding, options: ZulipRenderOptions): string[] {
  const markdown: MarkdownOptions = { clusterName: options.clusterName, dialect: md };
  const files = zulipFiles(finding);
  const blockText = (block: Block): string => {
    if (block.type !== "file") return blockMarkdown(block, markdown);
    const index = files.indexOf(block);
    return index < 0 ? "" : fileText(block, options.uploads.get(index), options);
  };
  const blocks = finding.enrichments.flatMap((enrichment) =>
    enrichment.blocks
      .map(blockText)
      .filter((text) => text !== "")
      .map((text, i) => (i === 0 && enrichment.title ? `${md.bold(md.escape(enrichment.title))}\n${text}` : text)),
  );
  return [
    `${statusMarkdown(finding, md)}\n${md.fromSlack(finding.title)}`,
    finding.links.map((link) => `🎬 ${md.link(md.escape(link.name), link.url)}`).join("\n"),
    `${md.bold("Source:")} ${md.code(options.clusterName)}`,
    finding.description ? md.fromSlack(finding.description) : "",
    ...blocks,
  ].filter((text) => text !== "");
}

/** The message content, within Zulip's 10000 characters. */
export function renderZulipContent(finding: Finding, options: ZulipRenderOptions): string {
  return fitMarkdown(sections(finding, options), ZULIP_LIMITS.content);
}

/** The finding's topic: `topic_override` resolved for it (else `topic_name`), cut to Zulip's 60 characters. */
export function zulipTopic(finding: Finding, topic: { readonly topicName: string; readonly topicOverride?: string | undefined }, clusterName: string): string {
  const resolved = resolveOverride(topic.topicOverride, topic.topicName, finding, clusterName).trim();
  return cutChars(resolved || topic.topicName, ZULIP_LIMITS.topic);
}
