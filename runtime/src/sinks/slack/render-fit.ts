/** Fitting a message's blocks into Slack's block count and text budget, saying what was cut. */
import type { KnownBlock } from "@slack/types";
import { splitMrkdwn } from "./mrkdwn.js";
import { section } from "./render-blocks.js";
import { blockTextLength, blocksTextLength } from "./render-limits.js";

/** Room kept for the note that says what was cut. */
const NOTE_CHARS = 300;
/** A section is cut to fit only when this much of it can still be shown. */
const MIN_PARTIAL_CHARS = 300;

export interface FitLimits {
  readonly maxBlocks: number;
  readonly maxChars: number;
}

function cutNote(blocks: number, partial: boolean): string {
  const plural = (n: number) => `${n} ${partial ? "more " : ""}block${n === 1 ? "" : "s"}`;
  const what = [partial ? "The rest of one block" : "", blocks > 0 ? plural(blocks) : ""].filter(Boolean).join(" and ");
  return `✂️ _${what.charAt(0).toUpperCase()}${what.slice(1)} cut to fit Slack's message limits. The full finding is in the other sinks and the runner's logs._`;
}

/**
 * Keeps `blocks` within `limits`: when they do not fit, keeps blocks in order while there is room
 * (cutting a long section at a line boundary), and ends with a section saying how much was cut.
 */
export function fitBlocks(blocks: readonly KnownBlock[], limits: FitLimits): KnownBlock[] {
  if (blocks.length <= limits.maxBlocks && blocksTextLength(blocks) <= limits.maxChars) return [...blocks];
  if (limits.maxBlocks < 1 || limits.maxChars < NOTE_CHARS) return [];
  const kept: KnownBlock[] = [];
  let chars = limits.maxChars - NOTE_CHARS;
  let partial = false;
  for (const block of blocks) {
    if (kept.length >= limits.maxBlocks - 1) break;
    const length = blockTextLength(block);
    if (length <= chars) {
      kept.push(block);
      chars -= length;
      continue;
    }
    const text = block.type === "section" && block.fields === undefined ? block.text?.text : undefined;
    if (text !== undefined && chars >= MIN_PARTIAL_CHARS) {
      const first = splitMrkdwn(text, chars)[0];
      if (first !== undefined) {
        kept.push(section(first));
        partial = true;
      }
    }
    break;
  }
  const cut = blocks.length - kept.length;
  return [...kept, section(cutNote(partial ? cut - 1 : cut, partial))];
}
