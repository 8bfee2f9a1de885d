/**
 * A finding as a mail: the subject (the title as Robusta sends it, "[RESOLVED] " when resolved),
 * an HTML body (common/render-html.ts) and its plain-text alternative, with the same sections.
 * The title and description are capped so that a mail without enrichments always fits the
 * smallest `max_message_kb`. Pure.
 */
import type { Finding } from "@robusta-ts/sdk";
import { cutChars, robustaTitle } from "../common/finding-words.js";
import { renderHtml } from "../common/render-html.js";
import { SLACK_LINK } from "../common/slack-markdown.js";
import { renderMailText } from "./render-text.js";

/** Longest title kept, in characters; longer ones end with "…". */
export const TITLE_MAX_CHARS = 1000;
/** Longest description kept, in characters (Robusta cuts markdown at 2997). */
export const DESCRIPTION_MAX_CHARS = 10_000;

/** What a mail says. */
export interface MailContent {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface MailRenderOptions {
  readonly clusterName: string;
  /** Robusta's `with_header`. */
  readonly withHeader: boolean;
  /** Paragraphs added last: what was left out to fit the size limit. */
  readonly notes?: readonly string[];
}

/** The subject: the title as Robusta sends it, on one line, Slack links as their text. */
export function mailSubject(finding: Pick<Finding, "status" | "title">): string {
  return robustaTitle(finding)
    .replace(SLACK_LINK, (_, url: string, label: string | undefined) => label ?? url)
    .replace(/\s*[\r\n]+\s*/g, " ")
    .trim();
}

/** The finding with its title and description capped. */
function capped(finding: Finding): Finding {
  return {
    ...finding,
    title: cutChars(finding.title, TITLE_MAX_CHARS),
    ...(finding.description !== undefined && { description: cutChars(finding.description, DESCRIPTION_MAX_CHARS) }),
  };
}

/** The mail for `finding` (whose enrichments are those that fit). */
export function renderMail(finding: Finding, options: MailRenderOptions): MailContent {
  const shown = capped(finding);
  const notes = options.notes ?? [];
  return {
    subject: mailSubject(shown),
    html: renderHtml(shown, { clusterName: options.clusterName, header: options.withHeader, notes }),
    text: renderMailText(shown, { clusterName: options.clusterName, header: options.withHeader, notes }),
  };
}
