/**
 * A grouping summary message (Robusta's `send_or_update_summary_message`, §8.5): what the group
 * shares and a firing/resolved count per row. Pure; posted, then edited as counts change.
 */
import { tableText } from "@robusta-ts/sdk";
import type { KnownBlock } from "@slack/types";
import type { GroupSummary } from "../sink.js";
import { codeBlock, cutText, escapeMrkdwn, inlineCode, oneLine, slackDate } from "./mrkdwn.js";
import { section } from "./render-blocks.js";
import { SLACK_LIMITS } from "./render-limits.js";

/** Widest a cell of the count table is shown. */
const CELL_WIDTH = 60;
/** What the "what they share" line may use. */
const CRITERIA_CHARS = 1000;
/** Room kept under the section limit for the line about rows left out. */
const CUT_NOTE_CHARS = 200;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The count table as a code block in one section; rows that do not fit are counted in a note. */
function countTable(summary: GroupSummary): string | undefined {
  if (summary.rows.length === 0) return undefined;
  const headers = [...summary.columns, "Firing", "Resolved"].map((h) => cutText(oneLine(h), CELL_WIDTH));
  const rows = summary.rows.map((row) => [...row.values.map((v) => cutText(oneLine(v), CELL_WIDTH)), String(row.firing), String(row.resolved)]);
  const [head = "", ...lines] = tableText({ headers, rows }).trimEnd().split("\n");
  const whole = codeBlock([head, ...lines].join("\n"));
  if (whole.length <= SLACK_LIMITS.sectionText) return whole;
  let shown = 0;
  let length = codeBlock(head).length;
  for (const line of lines) {
    const next = length + 1 + codeBlock(line).length - codeBlock("").length;
    if (next > SLACK_LIMITS.sectionText - CUT_NOTE_CHARS) break;
    length = next;
    shown += 1;
  }
  const rest = summary.rows.slice(shown);
  const firing = rest.reduce((sum, row) => sum + row.firing, 0);
  const resolved = rest.reduce((sum, row) => sum + row.resolved, 0);
  return `${codeBlock([head, ...lines.slice(0, shown)].join("\n"))}\n_… and ${plural(rest.length, "more row")} (${firing} firing, ${resolved} resolved) not shown._`;
}

/** A grouping summary message: header, what the group shares, a count table (large tables cut with a note), within limits. */
export function renderSlackSummary(summary: GroupSummary, clusterName: string): { text: string; blocks: KnownBlock[] } {
  const total = summary.firing + summary.resolved;
  const criteria = summary.groupedBy.map(([key, value]) => inlineCode(`${key}=${value}`)).join(", ");
  const table = countTable(summary);
  const blocks: KnownBlock[] = [
    section(`*Alerts Summary - ${plural(total, "Notification")}*`),
    section(cutText(`*Source:* ${inlineCode(clusterName)}`, SLACK_LIMITS.sectionText)),
    ...(criteria ? [section(cutText(`*Matching criteria:* ${criteria}`, CRITERIA_CHARS))] : []),
    section(`*Since:* ${slackDate(summary.since)}    🔥 ${summary.firing} firing · ✅ ${summary.resolved} resolved`),
    ...(table !== undefined ? [section(table)] : []),
  ];
  const shared = summary.groupedBy.map(([key, value]) => `${key}=${value}`).join(", ");
  const text = `Alerts summary: ${plural(total, "notification")} (${summary.firing} firing, ${summary.resolved} resolved)${shared ? ` for ${shared}` : ""}`;
  return { text: cutText(escapeMrkdwn(oneLine(text)), SLACK_LIMITS.text), blocks };
}
