/**
 * Matchers for findings, for `expect.extend` (vitest, jest): `@robusta-ts/sdk/testing/vitest`
 * registers them. Expected values match partially: only the keys given are compared, strings may
 * be regular expressions, and asymmetric matchers (`expect.any(String)`) work anywhere.
 */
import type { Block } from "../findings/blocks.js";
import type { Enrichment, Finding, FindingSource, FindingStatus, FindingType, Severity } from "../findings/finding.js";

/** What a finding is expected to have; every key is optional. */
export interface FindingMatch {
  readonly title?: string | RegExp;
  readonly description?: string | RegExp;
  readonly severity?: Severity;
  readonly status?: FindingStatus;
  readonly source?: FindingSource;
  readonly findingType?: FindingType;
  readonly aggregationKey?: string | RegExp;
  readonly fingerprint?: string;
  readonly subject?: {
    readonly name?: string | RegExp;
    readonly namespace?: string;
    readonly subjectType?: string;
    readonly node?: string;
    readonly container?: string;
    readonly labels?: Readonly<Record<string, string | RegExp>>;
  };
  /** An enrichment with this title. */
  readonly enrichment?: string | RegExp;
}

/** A block expected in a finding: its type, and any of its fields. */
export type BlockMatch = { readonly type: Block["type"] } & Readonly<Record<string, unknown>>;

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

const isAsymmetric = (value: unknown): value is { asymmetricMatch(actual: unknown): boolean } =>
  typeof value === "object" && value !== null && typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === "function";

/** Whether `actual` has everything `expected` says (see the module comment). */
export function matchesPartially(actual: unknown, expected: unknown): boolean {
  if (isAsymmetric(expected)) return expected.asymmetricMatch(actual);
  if (expected instanceof RegExp) return typeof actual === "string" && expected.test(actual);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((item, i) => matchesPartially(actual[i], item));
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null) return false;
    return Object.entries(expected).every(([key, value]) => matchesPartially((actual as Record<string, unknown>)[key], value));
  }
  return Object.is(actual, expected);
}

const hasEnrichment = (finding: Finding, title: string | RegExp): boolean =>
  finding.enrichments.some((enrichment) => enrichment.title !== undefined && matchesPartially(enrichment.title, title));

function findingMatches(finding: Finding, expected: FindingMatch): boolean {
  const { enrichment, ...fields } = expected;
  return matchesPartially(finding, fields) && (enrichment === undefined || hasEnrichment(finding, enrichment));
}

const shown = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (v instanceof RegExp ? String(v) : v));

/** One line per finding: what a failed expectation shows. */
export function describeFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return "  (no findings)";
  return findings
    .map((f) => `  - ${shown(f.title)} ${f.severity} ${f.status} [${f.aggregationKey}]${f.enrichments.length ? ` enrichments: ${f.enrichments.map((e) => shown(e.title ?? "(untitled)")).join(", ")}` : ""}`)
    .join("\n");
}

const asFindings = (received: unknown): readonly Finding[] => (Array.isArray(received) ? received : [received]) as readonly Finding[];
const blocksOf = (finding: Finding): Block[] => finding.enrichments.flatMap((enrichment: Enrichment) => [...enrichment.blocks]);

/** The matchers, as `expect.extend` takes them. */
export const findingMatchers = {
  /** A list of findings (or one finding) has one matching `expected`. */
  toContainFinding(received: unknown, expected: FindingMatch): MatcherResult {
    const findings = asFindings(received);
    const pass = findings.some((finding) => findingMatches(finding, expected));
    return {
      pass,
      message: () =>
        pass
          ? `expected no finding matching ${shown(expected)}, but one did:\n${describeFindings(findings.filter((f) => findingMatches(f, expected)))}`
          : `expected a finding matching ${shown(expected)}; the findings were:\n${describeFindings(findings)}`,
    };
  },

  /** A finding has an enrichment titled `title`; with `blocks`, that enrichment has blocks matching each. */
  toHaveEnrichment(received: unknown, title: string | RegExp, blocks: readonly BlockMatch[] = []): MatcherResult {
    const finding = received as Finding;
    const titled = finding.enrichments.filter((enrichment) => enrichment.title !== undefined && matchesPartially(enrichment.title, title));
    const pass = titled.some((enrichment) => blocks.every((block) => enrichment.blocks.some((actual) => matchesPartially(actual, block))));
    const titles = finding.enrichments.map((enrichment) => shown(enrichment.title ?? "(untitled)")).join(", ") || "none";
    return {
      pass,
      message: () =>
        pass
          ? `expected ${shown(finding.title)} to have no enrichment ${shown(title)}${blocks.length ? ` with ${shown(blocks)}` : ""}`
          : titled.length === 0
            ? `expected ${shown(finding.title)} to have an enrichment ${shown(title)}; its enrichments: ${titles}`
            : `expected enrichment ${shown(title)} of ${shown(finding.title)} to have blocks ${shown(blocks)}; it has ${shown(titled.flatMap((e) => e.blocks))}`,
    };
  },

  /** A finding has a block (in any enrichment) matching `expected`, e.g. `{ type: "file", filename: "web-0.log" }`. */
  toHaveBlock(received: unknown, expected: BlockMatch): MatcherResult {
    const finding = received as Finding;
    const blocks = blocksOf(finding);
    const pass = blocks.some((block) => matchesPartially(block, expected));
    return {
      pass,
      message: () =>
        pass
          ? `expected ${shown(finding.title)} to have no block matching ${shown(expected)}`
          : `expected ${shown(finding.title)} to have a block matching ${shown(expected)}; its blocks: ${blocks.map((b) => b.type).join(", ") || "none"}`,
    };
  },
};

/** The matchers' types, for `declare module "vitest"` augmentations. */
export interface FindingMatchers<R = unknown> {
  /** A list of findings (or one finding) has one matching `expected`. */
  toContainFinding(expected: FindingMatch): R;
  /** A finding has an enrichment titled `title`; with `blocks`, that enrichment has blocks matching each. */
  toHaveEnrichment(title: string | RegExp, blocks?: readonly BlockMatch[]): R;
  /** A finding has a block (in any enrichment) matching `expected`. */
  toHaveBlock(expected: BlockMatch): R;
}
