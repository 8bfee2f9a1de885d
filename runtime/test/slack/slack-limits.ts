/**
 * Slack's limits, written out from Slack's Block Kit reference independently of the renderer's own
 * constants, and a check that lists every way a message breaks them.
 */
import type { KnownBlock } from "@slack/types";

const LIMITS = {
  blocks: 50,
  attachmentBlocks: 20,
  // msg_blocks_too_long starts around 12,000 characters of block text.
  blockChars: 12_000,
  text: 3000,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
};

// Slack's own tokens and entities; any other `<` or `>` in mrkdwn is cluster data left unescaped.
const TOKEN = /<(?:https?:\/\/|mailto:|tel:|@[UW]|#C|!)[^<>\n]*>|&(?:amp|lt|gt);/g;

interface Checked {
  readonly text: string;
  readonly blocks: readonly KnownBlock[];
  readonly attachments?: readonly { readonly blocks: readonly KnownBlock[] }[];
}

function textProblems(where: string, text: string, max: number, mrkdwn: boolean): string[] {
  const problems: string[] = [];
  if (text.trim() === "") problems.push(`${where}: empty text`);
  if (text.length > max) problems.push(`${where}: text of ${text.length} > ${max}`);
  if (mrkdwn) {
    if (/[<>]/.test(text.replace(TOKEN, ""))) problems.push(`${where}: unescaped < or >`);
    if ((text.split("```").length - 1) % 2 !== 0) problems.push(`${where}: unbalanced code fence`);
  }
  return problems;
}

function blockProblems(where: string, block: KnownBlock): { problems: string[]; chars: number } {
  const problems: string[] = [];
  let chars = 0;
  if (block.block_id !== undefined && block.block_id.length > LIMITS.id) problems.push(`${where}: block_id too long`);
  switch (block.type) {
    case "section": {
      if (block.text === undefined && block.fields === undefined) problems.push(`${where}: section without text`);
      if (block.text) {
        problems.push(...textProblems(where, block.text.text, LIMITS.sectionText, block.text.type === "mrkdwn"));
        chars += block.text.text.length;
      }
      if (block.fields && block.fields.length > LIMITS.fields) problems.push(`${where}: ${block.fields.length} fields`);
      for (const field of block.fields ?? []) {
        problems.push(...textProblems(`${where} field`, field.text, LIMITS.fieldText, field.type === "mrkdwn"));
        chars += field.text.length;
      }
      break;
    }
    case "header":
      if (block.text.type !== "plain_text") problems.push(`${where}: header text not plain_text`);
      problems.push(...textProblems(where, block.text.text, LIMITS.headerText, false));
      chars += block.text.text.length;
      break;
    case "context":
      if (block.elements.length === 0 || block.elements.length > LIMITS.contextElements) problems.push(`${where}: ${block.elements.length} context elements`);
      for (const element of block.elements) {
        if (element.type === "mrkdwn" || element.type === "plain_text") {
          problems.push(...textProblems(`${where} element`, element.text, LIMITS.sectionText, element.type === "mrkdwn"));
          chars += element.text.length;
        }
      }
      break;
    case "actions": {
      if (block.elements.length === 0 || block.elements.length > LIMITS.actionsElements) problems.push(`${where}: ${block.elements.length} actions elements`);
      const actionIds = new Set<string>();
      for (const element of block.elements) {
        if (element.type !== "button") {
          problems.push(`${where}: unexpected element ${element.type}`);
          continue;
        }
        problems.push(...textProblems(`${where} button`, element.text.text, LIMITS.buttonText, false));
        chars += element.text.text.length;
        if (element.value !== undefined && element.value.length > LIMITS.buttonValue) problems.push(`${where}: button value too long`);
        if (element.url !== undefined && (element.url.length > LIMITS.url || !/^https?:\/\//.test(element.url))) problems.push(`${where}: bad button url`);
        if (element.url === undefined && element.value === undefined) problems.push(`${where}: button with neither url nor value`);
        if (element.action_id !== undefined) {
          if (element.action_id.length > LIMITS.id) problems.push(`${where}: action_id too long`);
          if (actionIds.has(element.action_id)) problems.push(`${where}: duplicate action_id ${element.action_id}`);
          actionIds.add(element.action_id);
        }
      }
      break;
    }
    case "divider":
      break;
    default:
      problems.push(`${where}: unexpected block type ${block.type}`);
  }
  return { problems, chars };
}

/** Every way `message` breaks one of Slack's limits; empty when it is fine to send. */
export function checkSlackLimits(message: Checked): string[] {
  const problems = textProblems("text", message.text, LIMITS.text, true);
  const attachmentBlocks = (message.attachments ?? []).flatMap((attachment) => attachment.blocks);
  for (const attachment of message.attachments ?? []) {
    if (attachment.blocks.length > LIMITS.attachmentBlocks) problems.push(`attachment: ${attachment.blocks.length} blocks`);
  }
  const all = [...message.blocks.map((block, i) => [`block ${i}`, block] as const), ...attachmentBlocks.map((block, i) => [`attachment block ${i}`, block] as const)];
  if (all.length > LIMITS.blocks) problems.push(`${all.length} blocks`);
  let chars = 0;
  const blockIds = new Set<string>();
  for (const [where, block] of all) {
    const checked = blockProblems(where, block);
    problems.push(...checked.problems);
    chars += checked.chars;
    if (block.block_id !== undefined) {
      if (blockIds.has(block.block_id)) problems.push(`${where}: duplicate block_id ${block.block_id}`);
      blockIds.add(block.block_id);
    }
  }
  if (chars > LIMITS.blockChars) problems.push(`${chars} characters of block text`);
  return problems;
}
