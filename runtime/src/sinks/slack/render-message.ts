/**
 * A finding as a Slack message (Robusta's `SlackSender.send_finding_to_slack`, §7.3), the edit that
 * marks it resolved, and the edit after a button press. Pure: the Slack sink sends what these return.
 */
import type { CallbackChoice, Finding, Severity } from "@robusta-ts/sdk";
import type { KnownBlock, SectionBlock } from "@slack/types";
import { SEVERITY_MARK, severityName } from "../common/finding-words.js";
import type { SlackAttachment, SlackFile, SlackMessage } from "./message.js";
import { cutMrkdwn, cutText, escapeKeepingTokens, extractMentions, inlineCode, oneLine, slackDate } from "./mrkdwn.js";
import { linkActions, renderBlock, section, sections, type BlockRenderContext } from "./render-blocks.js";
import { fitBlocks } from "./render-fit.js";
import { HEADER_BLOCK_ID, isCallbackBlockId } from "./render-ids.js";
import { SLACK_LIMITS, blocksTextLength } from "./render-limits.js";

export { CALLBACK_ACTION_PREFIX, LINK_ACTION_PREFIX, HEADER_BLOCK_ID, isCallbackActionId, isCallbackBlockId } from "./render-ids.js";
export { renderSlackSummary } from "./render-summary.js";

export interface SlackRenderOptions {
  readonly clusterName: string;
  /** The signed value for a callback button, or undefined when buttons cannot run here (no interactivity) or it is too long. */
  readonly callbackValue?: (choice: CallbackChoice, finding: Finding) => string | undefined;
  /** Text files keep only their last this many bytes (max_log_file_limit_kb). */
  readonly maxLogFileBytes: number;
}

/** The legacy attachment's colour by status (Robusta's FindingStatus.to_color_hex). */
export const ATTACHMENT_COLORS = { firing: "#EF311F", resolved: "#00B302" } as const;


/** Longest the title is shown in the header; the rest of the message says more. */
const TITLE_CHARS = 2000;
/** The notification text stays short, leaving room under the text limit for the file links the sink appends. */
const SUMMARY_CHARS = 1000;

/** Robusta's status words; a resolve edit says resolved whatever the source. */
function statusWords(finding: Finding, edit: boolean): string {
  if (finding.source === "PROMETHEUS") return finding.status === "resolved" ? "✅ *Prometheus resolved*" : "🔥 *Prometheus Alert Firing* 🔥";
  if (edit) return "✅ *Resolved*";
  return finding.source === "KUBERNETES_API_SERVER" ? "👀 *K8s event detected*" : "👀 *Notification*";
}

/** The title as mrkdwn: escaped except Slack's own tokens, mentions moved to the end (they still notify). */
function titleMrkdwn(title: string): string {
  const { text, mentions } = extractMentions(oneLine(title));
  return [cutText(escapeKeepingTokens(text), TITLE_CHARS), ...mentions].filter(Boolean).join(" ");
}

/** The first section: status, severity and title. `resolvedAt` is shown by a resolve edit. */
function headerSection(finding: Finding, edit?: { resolvedAt?: string | undefined }): SectionBlock {
  const at = edit?.resolvedAt !== undefined ? ` at ${slackDate(edit.resolvedAt)}` : "";
  const status = `${statusWords(finding, edit !== undefined)}${at} ${SEVERITY_MARK[finding.severity]} *${severityName(finding.severity)}*`;
  const title = titleMrkdwn(finding.title);
  return section(cutMrkdwn(title ? `${status}\n${title}` : status, SLACK_LIMITS.sectionText), HEADER_BLOCK_ID);
}

/** The notification text: one line with status, severity and title. */
function summaryText(finding: Finding): string {
  const status =
    finding.status === "resolved"
      ? "✅ Resolved"
      : finding.source === "PROMETHEUS"
        ? "🔥 Firing"
        : finding.source === "KUBERNETES_API_SERVER"
          ? "👀 K8s event"
          : "👀 Notification";
  const title = titleMrkdwn(finding.title);
  return cutText(`${status} · ${SEVERITY_MARK[finding.severity]} ${severityName(finding.severity)}${title ? ` · ${title}` : ""}`, SUMMARY_CHARS);
}

function descriptionPrefix(finding: Finding): string {
  if (finding.source === "PROMETHEUS") return "🚨 *Alert:*";
  return finding.source === "KUBERNETES_API_SERVER" ? "👀 *K8s event detected:*" : "👀 *Notification:*";
}

/** finding -> SlackMessage (runtime/src/sinks/slack/message.ts), within every Slack limit. */
export function renderSlackMessage(finding: Finding, options: SlackRenderOptions): SlackMessage {
  const files: SlackFile[] = [];
  const context: BlockRenderContext = {
    finding,
    callbackValue: options.callbackValue,
    maxLogFileBytes: options.maxLogFileBytes,
    files,
    ids: { callbackBlocks: 0, links: 0 },
  };
  const main: KnownBlock[] = [headerSection(finding)];
  main.push(...linkActions(finding.links.map((link) => ({ text: link.type === "video" ? `${link.name} 🎬` : link.name, url: link.url })), context));
  main.push(section(cutText(`*Source:* ${inlineCode(options.clusterName)}`, SLACK_LIMITS.sectionText)));
  if (finding.description?.trim()) main.push(...sections(`${descriptionPrefix(finding)} ${escapeKeepingTokens(finding.description)}`));

  const attachment: KnownBlock[] = [];
  let unfurl = true;
  for (const enrichment of finding.enrichments) {
    if (enrichment.annotations["unfurl"] === "false") unfurl = false;
    const target = enrichment.annotations["attachment"] === "true" ? attachment : main;
    const rendered = enrichment.blocks.flatMap((block) => renderBlock(block, context));
    const title = oneLine(enrichment.title ?? "");
    // A table named like its enrichment already shows the name above it.
    const first = enrichment.blocks[0];
    const named = first?.type === "table" && first.name !== undefined && oneLine(first.name) === title;
    if (title && !named && rendered.length > 0) target.push(section(cutText(`*${escapeKeepingTokens(title)}*`, SLACK_LIMITS.sectionText)));
    target.push(...rendered);
  }
  main.push({ type: "divider" });
  if (attachment.length > 0) attachment.push({ type: "divider" });

  // The attachment (alert labels, mostly) is small and kept first; the message gets what is left.
  const attached = fitBlocks(attachment, { maxBlocks: SLACK_LIMITS.blocksPerAttachment, maxChars: SLACK_LIMITS.attachmentBlockChars });
  const blocks = fitBlocks(main, {
    maxBlocks: SLACK_LIMITS.blocksPerMessage - attached.length,
    maxChars: SLACK_LIMITS.messageBlockChars - blocksTextLength(attached),
  });
  return {
    text: summaryText(finding),
    blocks,
    attachments: attached.length > 0 ? [{ color: ATTACHMENT_COLORS[finding.status], blocks: attached }] : [],
    unfurl,
    files,
  };
}

/**
 * The original message of a firing finding, edited once it resolves (Robusta #1350): same content,
 * header says resolved (with the resolve time), callback buttons removed. Input is what was posted;
 * file links the sink appended to `text` are kept, and attachments, when given, turn green.
 */
export function renderResolvedEdit(
  posted: { text: string; blocks: readonly KnownBlock[]; attachments?: readonly SlackAttachment[] },
  resolved: Finding,
): { text: string; blocks: KnownBlock[]; attachments?: SlackAttachment[] } {
  const finding: Finding = { ...resolved, status: "resolved" };
  const header = headerSection(finding, { resolvedAt: finding.endsAt });
  let replaced = false;
  const blocks = posted.blocks.flatMap((block): KnownBlock[] => {
    if (block.block_id === HEADER_BLOCK_ID) {
      replaced = true;
      return [header];
    }
    return isCallbackBlockId(block.block_id) ? [] : [block];
  });
  if (!replaced) blocks.unshift(header);
  const newline = posted.text.indexOf("\n");
  return {
    text: `${summaryText(finding)}${newline >= 0 ? posted.text.slice(newline) : ""}`,
    blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage - (posted.attachments ?? []).reduce((sum, a) => sum + a.blocks.length, 0)),
    ...(posted.attachments !== undefined && {
      attachments: posted.attachments.map((attachment) => ({ ...attachment, color: ATTACHMENT_COLORS.resolved })),
    }),
  };
}

/** After a button press: the message's blocks with the pressed callback block replaced by `text` (a section). */
export function replaceCallbackBlock(blocks: readonly KnownBlock[], blockId: string, text: string): KnownBlock[] {
  return blocks.flatMap((block): KnownBlock[] => {
    if (block.block_id !== blockId) return [block];
    return text.trim() ? [section(cutMrkdwn(text, SLACK_LIMITS.sectionText))] : [];
  });
}
