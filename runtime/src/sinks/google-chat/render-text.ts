/**
 * A finding as a Google Chat text message, in the order of Robusta's Google Chat sender: status
 * and severity, the title, the links, `*Source:* \`cluster\``, the description (prefixed by
 * source, as Robusta does), then each enrichment's blocks as text; text files show their last
 * lines, as the webhook cannot attach files. Chat refuses text over 4096 characters, so whole
 * sections are kept in order while they fit and a last line says how many did not. Pure.
 */
import type { Finding } from "@robusta-ts/sdk";
import { cutToMeasure, enrichmentMarkdown, fitMarkdown, statusMarkdown, type MarkdownOptions } from "../common/render-markdown.js";
import { GOOGLE_CHAT_MARKDOWN as md } from "./dialect.js";

/** Google Chat's limit on a message's text, in characters. */
export const GOOGLE_CHAT_TEXT_LIMIT = 4096;
/** The last bytes of a text file shown: the webhook cannot attach files. */
const FILE_TAIL_BYTES = 1000;
/** A longer description is cut, so that it does not crowd out the enrichments (or, too long to fit, go missing). */
const DESCRIPTION_CHARS = 2000;

// Chat's server counts UTF-16 code units, as String.length does: never fewer than code points.
const utf16Length = (text: string): number => text.length;

/** Robusta's description line: "🚨 *Alert:* …", "👀 *K8s event detected:* …" or "👀 *Notification:* …". */
function descriptionLine(finding: Finding): string {
  if (!finding.description) return "";
  const [mark, label] =
    finding.source === "PROMETHEUS" ? ["🚨", "Alert:"] : finding.source === "KUBERNETES_API_SERVER" ? ["👀", "K8s event detected:"] : ["👀", "Notification:"];
  return `${mark} ${md.bold(label)} ${cutToMeasure(finding.description, DESCRIPTION_CHARS, utf16Length)}`;
}

/** The message's sections, in Robusta's order; empty ones are left out. */
export function googleChatSections(finding: Finding, clusterName: string): string[] {
  const options: MarkdownOptions = { clusterName, dialect: md, files: { mode: "tail", bytes: FILE_TAIL_BYTES } };
  return [
    `${statusMarkdown(finding, md)}\n${md.bold(finding.title)}`,
    finding.links.map((link) => md.link(md.bold(link.name), link.url)).join("\n"),
    `${md.bold("Source:")} ${md.code(clusterName)}`,
    descriptionLine(finding),
    ...finding.enrichments.map((enrichment) => enrichmentMarkdown(enrichment, options)),
  ].filter((section) => section.trim() !== "");
}

/** The message text, within `limit` characters (Google Chat's 4096 by default). */
export function renderGoogleChatText(finding: Finding, clusterName: string, limit = GOOGLE_CHAT_TEXT_LIMIT): string {
  return fitMarkdown(googleChatSections(finding, clusterName), limit, { measure: utf16Length });
}
