/**
 * Fetching a container's log as a block for a finding, shared by the actions that attach logs
 * (logs_enricher, report_crash_loop, pod_oom_killer_enricher): redaction, a line filter, and a
 * size limit that keeps the end, where the crash is.
 */
import { z } from "zod";
import type { Context } from "../../context.js";
import { file, markdown, type FileBlock, type MarkdownBlock } from "../../findings/blocks.js";
import { keepEnd } from "../../findings/bounds.js";
import type { Pod } from "../../kubernetes/objects.js";

/** A regular expression, checked when the parameters are, not when the first log arrives. */
export const regexSource = () =>
  z.string().refine(
    (source) => {
      try {
        new RegExp(source);
        return true;
      } catch {
        return false;
      }
    },
    { message: "must be a valid regular expression" },
  );

const replacer = z.object({ name: z.string(), regex: regexSource() }).strict();

/** A named pattern whose matches are redacted from logs. */
export type RegexReplacer = z.output<typeof replacer>;

/** How redacted text is shown. */
export type RegexReplacementStyle = "SAME_LENGTH_ASTERISKS" | "NAMED";

/** The `regex_replacer_patterns` parameter, as Robusta names it. */
export const regexReplacerPatternsParam = () =>
  z
    .array(replacer)
    .default([])
    .describe("Redact what these regular expressions match, e.g. [{name: token, regex: 'tok_[a-z0-9]+'}].");

/** The `regex_replacement_style` parameter, as Robusta names it. */
export const regexReplacementStyleParam = () =>
  z
    .enum(["SAME_LENGTH_ASTERISKS", "NAMED"])
    .default("SAME_LENGTH_ASTERISKS")
    .describe('Replace redacted text with asterisks of the same length, or with "[name]".');

/** The size a log file is cut to by default, in KB (Robusta's `max_log_file_limit_kb`). */
export const DEFAULT_LOG_LIMIT_KB = 1000;

/** Replaces what each pattern matches, in order. */
export function redact(text: string, patterns: readonly RegexReplacer[], style: RegexReplacementStyle): string {
  return patterns.reduce(
    (out, { name, regex }) => out.replace(new RegExp(regex, "g"), (match) => (style === "NAMED" ? `[${name}]` : "*".repeat(match.length))),
    text,
  );
}

/** Which log to fetch and how to shape it. */
export interface PodLogOptions {
  /** Default: the pod's only (or first) container, as the API server picks it. */
  readonly container?: string | undefined;
  readonly previous?: boolean;
  readonly tailLines?: number | undefined;
  readonly filterRegex?: string | undefined;
  readonly replacerPatterns?: readonly RegexReplacer[];
  readonly replacementStyle?: RegexReplacementStyle;
  readonly maxLogFileLimitKb?: number;
  /** Default "<pod>.log". */
  readonly filename?: string;
}

/**
 * The log of one container of `pod` as a file block; or, when it cannot be fetched or is empty, a
 * note saying so (a failure is also logged). Never throws.
 */
export async function podLogBlock(ctx: Context, pod: Pod, options: PodLogOptions = {}): Promise<FileBlock | MarkdownBlock> {
  const name = pod.metadata?.name ?? "";
  const namespace = pod.metadata?.namespace ?? "default";
  const { container } = options;
  let text: string;
  try {
    text = await ctx.cluster.logs({
      name,
      namespace,
      ...(container !== undefined && { container }),
      previous: options.previous ?? false,
      ...(options.tailLines !== undefined && { tailLines: options.tailLines }),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    ctx.logger.warn({ pod: `${namespace}/${name}`, container, reason }, "could not fetch logs");
    return markdown(`Could not fetch the logs of \`${container ?? name}\`: ${reason}`);
  }
  if (options.filterRegex !== undefined) {
    const filter = new RegExp(options.filterRegex);
    text = text.split("\n").filter((line) => filter.test(line)).join("\n");
  }
  text = redact(text, options.replacerPatterns ?? [], options.replacementStyle ?? "SAME_LENGTH_ASTERISKS");
  if (text.trim() === "") return markdown(`The log of \`${container ?? name}\` is empty.`);
  const { text: kept, cut } = keepEnd(text, (options.maxLogFileLimitKb ?? DEFAULT_LOG_LIMIT_KB) * 1024);
  return file(options.filename ?? `${name}.log`, kept, cut);
}

/** Adds a log block as Robusta does: titled "Logs", typed text_file when it is a file. */
export function addLogEnrichment(ctx: Context, block: FileBlock | MarkdownBlock): void {
  ctx.addEnrichment([block], { title: "Logs", ...(block.type === "file" && { enrichmentType: "text_file" as const }) });
}
