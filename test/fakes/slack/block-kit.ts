/**
 * Block Kit limits as Slack's Web API enforces them, with its error wording: each problem is
 * "<what> [json-pointer:<where>]", and the call answers `invalid_blocks` with the list.
 * https://api.slack.com/reference/block-kit/blocks (limits per block and element).
 */

const KNOWN_TYPES = new Set(["section", "header", "divider", "context", "actions", "image", "rich_text", "markdown", "table", "file", "video", "input"]);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** The problems Slack would report for `blocks` at `pointer` (empty when they are fine). */
export function blockKitErrors(blocks: unknown, pointer = "/blocks"): string[] {
  const errors: string[] = [];
  const problem = (message: string, at: string) => errors.push(`${message} [json-pointer:${at}]`);
  if (!Array.isArray(blocks)) {
    problem("must be an array", pointer);
    return errors;
  }
  if (blocks.length > 50) problem("no more than 50 items allowed", pointer);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `${pointer}/${i}`;
    if (!isObject(block) || typeof block.type !== "string") return problem("missing required field: type", at);
    if (!KNOWN_TYPES.has(block.type)) return problem(`unsupported type: ${block.type}`, `${at}/type`);
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== "string" || block.block_id.length > 255) problem("must be less than 256 characters", `${at}/block_id`);
      else if (blockIds.has(block.block_id)) problem("duplicate block_id", `${at}/block_id`);
      else blockIds.add(block.block_id);
    }
    blockErrors(block, at, problem);
  });
  return errors;
}

function blockErrors(block: Json, at: string, problem: (message: string, at: string) => void): void {
  switch (block.type) {
    case "section": {
      if (block.text === undefined && block.fields === undefined) problem("must provide either text or fields", at);
      if (block.text !== undefined) textErrors(block.text, 3000, `${at}/text`, problem);
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields)) return problem("must be an array", `${at}/fields`);
        if (block.fields.length > 10) problem("no more than 10 items allowed", `${at}/fields`);
        block.fields.forEach((field, i) => textErrors(field, 2000, `${at}/fields/${i}`, problem));
      }
      if (block.accessory !== undefined) elementErrors(block.accessory, `${at}/accessory`, problem);
      return;
    }
    case "header":
      return textErrors(block.text, 150, `${at}/text`, problem, "plain_text");
    case "context": {
      if (!Array.isArray(block.elements) || block.elements.length === 0) return problem("must contain at least 1 item", `${at}/elements`);
      if (block.elements.length > 10) problem("no more than 10 items allowed", `${at}/elements`);
      block.elements.forEach((element, i) => {
        if (isObject(element) && element.type === "image") return;
        textErrors(element, 3000, `${at}/elements/${i}`, problem);
      });
      return;
    }
    case "actions": {
      if (!Array.isArray(block.elements) || block.elements.length === 0) return problem("must contain at least 1 item", `${at}/elements`);
      if (block.elements.length > 25) problem("no more than 25 items allowed", `${at}/elements`);
      const actionIds = new Set<string>();
      block.elements.forEach((element, i) => {
        const elementAt = `${at}/elements/${i}`;
        elementErrors(element, elementAt, problem);
        if (isObject(element) && typeof element.action_id === "string") {
          if (actionIds.has(element.action_id)) problem("duplicate action_id", `${elementAt}/action_id`);
          actionIds.add(element.action_id);
        }
      });
      return;
    }
    case "image":
      if (typeof block.image_url !== "string" && block.slack_file === undefined) problem("missing required field: image_url", at);
      else if (typeof block.image_url === "string") maxLength(block.image_url, 3000, `${at}/image_url`, problem);
      if (typeof block.alt_text !== "string") problem("missing required field: alt_text", at);
      else maxLength(block.alt_text, 2000, `${at}/alt_text`, problem);
      return;
    case "markdown":
      if (typeof block.text !== "string" || block.text.length === 0) return problem("must be more than 0 characters", `${at}/text`);
      return maxLength(block.text, 12000, `${at}/text`, problem);
    case "rich_text":
      if (!Array.isArray(block.elements)) problem("missing required field: elements", at);
      return;
    case "table":
      if (!Array.isArray(block.rows) || block.rows.length === 0) return problem("must contain at least 1 item", `${at}/rows`);
      if (block.rows.length > 100) problem("no more than 100 items allowed", `${at}/rows`);
      return;
    default:
      return;
  }
}

function elementErrors(element: unknown, at: string, problem: (message: string, at: string) => void): void {
  if (!isObject(element) || typeof element.type !== "string") return problem("missing required field: type", at);
  if (typeof element.action_id === "string") maxLength(element.action_id, 255, `${at}/action_id`, problem);
  if (element.type !== "button") return;
  textErrors(element.text, 75, `${at}/text`, problem, "plain_text");
  if (element.value !== undefined) {
    if (typeof element.value !== "string") problem("must be a string", `${at}/value`);
    else maxLength(element.value, 2000, `${at}/value`, problem);
  }
  if (element.url !== undefined) {
    if (typeof element.url !== "string") problem("must be a string", `${at}/url`);
    else maxLength(element.url, 3000, `${at}/url`, problem);
  }
  if (element.style !== undefined && element.style !== "primary" && element.style !== "danger") problem("must be a valid enum value", `${at}/style`);
}

function textErrors(
  text: unknown,
  max: number,
  at: string,
  problem: (message: string, at: string) => void,
  only?: "plain_text",
): void {
  if (!isObject(text)) return problem("must be an object", at);
  if (text.type !== "plain_text" && (only !== undefined || text.type !== "mrkdwn")) return problem("must be a valid enum value", `${at}/type`);
  if (typeof text.text !== "string") return problem("missing required field: text", at);
  if (text.text.length === 0) return problem("must be more than 0 characters", `${at}/text`);
  maxLength(text.text, max, `${at}/text`, problem);
}

function maxLength(value: string, max: number, at: string, problem: (message: string, at: string) => void): void {
  if (value.length > max) problem(`must be less than ${max + 1} characters`, at);
}
