/** Discord's markdown: CommonMark's inline markup and masked links, but no tables. */
import { COMMONMARK, type MarkdownDialect } from "../common/render-markdown.js";

/** Discord renders **bold**, `code`, fences and [text](url), and shows a markdown table as its pipes: tables are aligned text in a code block. */
export const DISCORD_MARKDOWN: MarkdownDialect = { ...COMMONMARK, tables: false };
