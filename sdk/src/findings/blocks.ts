/**
 * Blocks: the pieces of an enrichment. Plain data, so every sink renders them its own way
 * (Slack Block Kit, a Teams Adaptive Card, JSON, a terminal) and tests can compare them.
 */

/** Markdown text (Slack-flavoured: *bold*, `code`, <url|text>). */
export interface MarkdownBlock {
  readonly type: "markdown";
  readonly text: string;
}
/** A heading. */
export interface HeaderBlock {
  readonly type: "header";
  readonly text: string;
}
/** A horizontal rule. */
export interface DividerBlock {
  readonly type: "divider";
}
/** A bulleted list. */
export interface ListBlock {
  readonly type: "list";
  readonly items: readonly string[];
}
/** A cell of a table. */
export type TableCell = string | number | boolean | null;
/** A table. A table of two columns with no headers is rendered as key/value lines. */
export interface TableBlock {
  readonly type: "table";
  readonly headers: readonly string[];
  readonly rows: readonly (readonly TableCell[])[];
  /** Shown above the table, and used as the file name when a sink turns a wide table into a file. */
  readonly name?: string;
}
/** A file, such as a pod's log. Text files are UTF-8; anything else is base64. */
export interface FileBlock {
  readonly type: "file";
  readonly filename: string;
  readonly contents: string;
  readonly encoding: "utf8" | "base64";
  /** Set when the contents were cut to fit a size limit: what was cut, for the reader. */
  readonly truncated?: string;
}
/** One changed field of a Kubernetes object. */
export interface FieldDiff {
  /** A dotted path, e.g. "spec.template.spec.containers[0].image". */
  readonly path: string;
  readonly old?: unknown;
  readonly new?: unknown;
}
/** The changes between two versions of a Kubernetes object. */
export interface DiffBlock {
  readonly type: "diff";
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly diffs: readonly FieldDiff[];
}
/** A row of link buttons. */
export interface LinksBlock {
  readonly type: "links";
  readonly links: readonly { readonly text: string; readonly url: string }[];
}
/** One button of a callback block: pressing it runs `action` with `params` on the runner. */
export interface CallbackChoice {
  readonly text: string;
  readonly action: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly style?: "primary" | "danger";
}
/** Buttons that run actions when pressed (in sinks that support interactivity). */
export interface CallbackBlock {
  readonly type: "callback";
  readonly choices: readonly CallbackChoice[];
}
/** Structured data, for sinks that forward JSON (webhook, Kafka). */
export interface JsonBlock {
  readonly type: "json";
  readonly value: unknown;
}

/** Any block. */
export type Block =
  | MarkdownBlock
  | HeaderBlock
  | DividerBlock
  | ListBlock
  | TableBlock
  | FileBlock
  | DiffBlock
  | LinksBlock
  | CallbackBlock
  | JsonBlock;

/** Markdown text. */
export const markdown = (text: string): MarkdownBlock => ({ type: "markdown", text });
/** A heading. */
export const header = (text: string): HeaderBlock => ({ type: "header", text });
/** A horizontal rule. */
export const divider = (): DividerBlock => ({ type: "divider" });
/** A bulleted list. */
export const list = (items: readonly string[]): ListBlock => ({ type: "list", items: [...items] });
/** A table; `headers` may be empty for key/value tables. */
export const table = (
  rows: readonly (readonly TableCell[])[],
  options: { headers?: readonly string[]; name?: string } = {},
): TableBlock => ({
  type: "table",
  headers: [...(options.headers ?? [])],
  rows: rows.map((row) => [...row]),
  ...(options.name !== undefined && { name: options.name }),
});
/** A text file (UTF-8). */
export const file = (filename: string, contents: string, truncated?: string): FileBlock => ({
  type: "file",
  filename,
  contents,
  encoding: "utf8",
  ...(truncated !== undefined && { truncated }),
});
/** A binary file, from its bytes. */
export const binaryFile = (filename: string, bytes: Uint8Array): FileBlock => ({
  type: "file",
  filename,
  contents: Buffer.from(bytes).toString("base64"),
  encoding: "base64",
});
/** The changes between two versions of an object. */
export const diff = (target: { kind: string; name: string; namespace?: string }, diffs: readonly FieldDiff[]): DiffBlock => ({
  type: "diff",
  ...target,
  diffs: [...diffs],
});
/** Link buttons. */
export const links = (items: readonly { text: string; url: string }[]): LinksBlock => ({ type: "links", links: [...items] });
/** Buttons that run actions. */
export const callback = (choices: readonly CallbackChoice[]): CallbackBlock => ({ type: "callback", choices: [...choices] });
/** Structured data. */
export const json = (value: unknown): JsonBlock => ({ type: "json", value });
