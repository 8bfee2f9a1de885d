/**
 * Atlassian Document Format (ADF), the rich text Jira Cloud's REST v3 takes for descriptions and
 * comments: the nodes this sink writes, and Slack-flavoured markdown (what findings hold:
 * *bold*, _italic_, ~strike~, `code`, ``` blocks ```, <url|text>) read into them. Jira refuses
 * invalid documents, so the builders keep ADF's rules: no empty text nodes, no marks inside code
 * blocks, and a code mark combined with nothing but a link. Pure.
 */

/** A mark on a text node. */
export type AdfMark =
  | { readonly type: "strong" | "em" | "strike" | "code" }
  | { readonly type: "link"; readonly attrs: { readonly href: string } };

/** An inline node. */
export type AdfInline = { readonly type: "text"; readonly text: string; readonly marks?: readonly AdfMark[] } | { readonly type: "hardBreak" };

/** A block node. */
export type AdfNode =
  | { readonly type: "paragraph"; readonly content?: readonly AdfInline[] }
  | { readonly type: "heading"; readonly attrs: { readonly level: number }; readonly content: readonly AdfInline[] }
  | { readonly type: "codeBlock"; readonly attrs?: { readonly language: string }; readonly content?: readonly AdfInline[] }
  | { readonly type: "bulletList"; readonly content: readonly AdfListItem[] }
  | { readonly type: "rule" }
  | { readonly type: "table"; readonly content: readonly AdfTableRow[] };

export interface AdfListItem {
  readonly type: "listItem";
  readonly content: readonly AdfNode[];
}
export interface AdfTableRow {
  readonly type: "tableRow";
  readonly content: readonly AdfTableCell[];
}
export interface AdfTableCell {
  readonly type: "tableHeader" | "tableCell";
  readonly content: readonly AdfNode[];
}

/** A whole document. */
export interface AdfDoc {
  readonly type: "doc";
  readonly version: 1;
  readonly content: readonly AdfNode[];
}

export const doc = (content: readonly AdfNode[]): AdfDoc => ({ type: "doc", version: 1, content });

/** A text node, or none for empty text (ADF refuses empty ones). */
export const text = (value: string, marks: readonly AdfMark[] = []): AdfInline[] =>
  value === "" ? [] : [{ type: "text", text: value, ...(marks.length > 0 && { marks }) }];

export const paragraph = (content: readonly AdfInline[]): AdfNode => ({ type: "paragraph", ...(content.length > 0 && { content }) });

export const heading = (level: number, content: readonly AdfInline[]): AdfNode => ({ type: "heading", attrs: { level }, content });

export const codeBlock = (raw: string, language?: string): AdfNode => ({
  type: "codeBlock",
  ...(language !== undefined && { attrs: { language } }),
  ...(raw !== "" && { content: [{ type: "text", text: raw }] }),
});

export const bulletList = (items: readonly (readonly AdfInline[])[]): AdfNode => ({
  type: "bulletList",
  content: items.map((item) => ({ type: "listItem", content: [paragraph(item)] })),
});

export const rule = (): AdfNode => ({ type: "rule" });

/** A table; `headers` (may be empty) become header cells. */
export function table(headers: readonly string[], rows: readonly (readonly (readonly AdfInline[])[])[]): AdfNode {
  // ADF refuses a row without cells.
  const width = Math.max(1, headers.length, ...rows.map((row) => row.length));
  const cell = (type: AdfTableCell["type"], content: readonly AdfInline[]): AdfTableCell => ({ type, content: [paragraph(content)] });
  const line = (cells: readonly (readonly AdfInline[])[], type: AdfTableCell["type"]): AdfTableRow => ({
    type: "tableRow",
    content: Array.from({ length: width }, (_, i) => cell(type, cells[i] ?? [])),
  });
  return {
    type: "table",
    content: [...(headers.length > 0 ? [line(headers.map((header) => text(header)), "tableHeader")] : []), ...rows.map((row) => line(row, "tableCell"))],
  };
}

const strong: AdfMark = { type: "strong" };
export const link = (href: string): AdfMark => ({ type: "link", attrs: { href } });
export const bold = (value: string): AdfInline[] => text(value, [strong]);
export const code = (value: string): AdfInline[] => text(value, [{ type: "code" }]);

// One inline construct of Slack's markdown; the groups tell which. Emphasis must not touch a
// word character outside (snake_case_names, 2*3*4 stay as they are).
const INLINE =
  /`([^`\n]+)`|<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>|(?<![\w*])\*(?![\s*])([^*\n]*?[^\s*])\*(?![\w*])|(?<![\w])_(?![\s_])([^_\n]*?[^\s_])_(?![\w])|(?<![\w~])~(?![\s~])([^~\n]*?[^\s~])~(?![\w~])/g;

/** One line of Slack markdown as text nodes carrying `marks` besides their own. */
export function inline(line: string, marks: readonly AdfMark[] = []): AdfInline[] {
  const nodes: AdfInline[] = [];
  let at = 0;
  for (const match of line.matchAll(INLINE)) {
    nodes.push(...text(line.slice(at, match.index), marks));
    const [, codeText, url, label, boldText, italicText, strikeText] = match;
    if (codeText !== undefined) nodes.push(...text(codeText, [{ type: "code" }, ...marks.filter((mark) => mark.type === "link")]));
    else if (url !== undefined) nodes.push(...text(label || url, [...marks.filter((mark) => mark.type !== "link"), link(url)]));
    else if (boldText !== undefined) nodes.push(...inline(boldText, withMark(marks, strong)));
    else if (italicText !== undefined) nodes.push(...inline(italicText, withMark(marks, { type: "em" })));
    else if (strikeText !== undefined) nodes.push(...inline(strikeText, withMark(marks, { type: "strike" })));
    at = match.index + match[0].length;
  }
  nodes.push(...text(line.slice(at), marks));
  return nodes;
}

const withMark = (marks: readonly AdfMark[], mark: AdfMark): AdfMark[] => (marks.some((m) => m.type === mark.type) ? [...marks] : [...marks, mark]);

/** Lines as one run of inline nodes, a hard break between lines. */
export function inlineLines(value: string, marks: readonly AdfMark[] = []): AdfInline[] {
  return value.split("\n").flatMap((line, i) => [...(i > 0 ? [{ type: "hardBreak" } as const] : []), ...inline(line, marks)]);
}

/** Slack markdown as blocks: ``` fences become code blocks, blank lines separate paragraphs. */
export function markdownBlocks(markdown: string): AdfNode[] {
  const blocks: AdfNode[] = [];
  const parts = markdown.split(/```/);
  parts.forEach((part, i) => {
    // Odd parts are inside a fence; an unclosed fence (the last part) is text.
    if (i % 2 === 1 && i < parts.length - 1) {
      blocks.push(codeBlock(part.replace(/^\n/, "").replace(/\n$/, "")));
      return;
    }
    const raw = i % 2 === 1 ? `\`\`\`${part}` : part;
    for (const chunk of raw.split(/\n\s*\n/)) {
      const trimmed = chunk.replace(/^\n+|\n+$/g, "");
      if (trimmed.trim() !== "") blocks.push(paragraph(inlineLines(trimmed)));
    }
  });
  return blocks;
}
