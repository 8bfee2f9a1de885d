/**
 * A finding as JSON, in Robusta's wire shape (the webhook sink's `format: json`, §7.5): snake_case
 * keys, enrichments last. The file sink writes one of these per line.
 */
import { SEVERITIES, type Block, type EnrichmentType, type Finding, type FindingLink } from "@robusta-ts/sdk";
import { z } from "zod";

function blockJson(block: Block): Record<string, unknown> {
  switch (block.type) {
    case "file":
      return { type: "file", filename: block.filename, encoding: block.encoding, contents: block.contents, ...(block.truncated && { truncated: block.truncated }) };
    default:
      return { ...block };
  }
}

export function findingToJson(finding: Finding, clusterName: string): Record<string, unknown> {
  return {
    title: finding.title,
    description: finding.description ?? null,
    status: finding.status,
    cluster_name: clusterName,
    severity: finding.severity,
    source: finding.source,
    finding_type: finding.findingType,
    aggregation_key: finding.aggregationKey,
    failure: finding.failure,
    fingerprint: finding.fingerprint,
    starts_at: finding.startsAt,
    ends_at: finding.endsAt ?? null,
    id: finding.id,
    subject: {
      name: finding.subject.name ?? null,
      kind: finding.subject.subjectType ?? null,
      namespace: finding.subject.namespace ?? null,
      node: finding.subject.node ?? null,
      container: finding.subject.container ?? null,
      labels: finding.subject.labels,
      annotations: finding.subject.annotations,
    },
    links: finding.links.map((link) => ({ name: link.name, url: link.url, type: link.type ?? null })),
    enrichments: finding.enrichments.map((enrichment) => ({
      title: enrichment.title ?? null,
      enrichment_type: enrichment.enrichmentType ?? null,
      annotations: enrichment.annotations,
      blocks: enrichment.blocks.map(blockJson),
    })),
  };
}

const BLOCK_TYPES = new Set<string>(["markdown", "header", "divider", "list", "table", "file", "diff", "links", "callback", "json"]);

/** Robusta's finding JSON as `findingToJson` writes it; unknown keys are ignored. */
export const findingJsonSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullish(),
  status: z.enum(["firing", "resolved"]),
  severity: z.enum(SEVERITIES),
  source: z.string(),
  finding_type: z.string(),
  aggregation_key: z.string(),
  failure: z.boolean(),
  fingerprint: z.string(),
  starts_at: z.string(),
  ends_at: z.string().nullish(),
  subject: z.object({
    name: z.string().nullish(),
    kind: z.string().nullish(),
    namespace: z.string().nullish(),
    node: z.string().nullish(),
    container: z.string().nullish(),
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()),
  }),
  links: z.array(z.object({ name: z.string(), url: z.string(), type: z.string().nullish() })),
  enrichments: z.array(
    z.object({
      title: z.string().nullish(),
      enrichment_type: z.string().nullish(),
      annotations: z.record(z.string(), z.string()),
      // Blocks are checked by type only: each sink reads the fields of the types it knows.
      blocks: z.array(z.looseObject({ type: z.string() }).refine((block) => BLOCK_TYPES.has(block.type), { message: "unknown block type" })),
    }),
  ),
});

const defined = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/** A finding back from its JSON (what `robusta trigger` prints from the runner's answer). */
export function findingFromJson(json: z.output<typeof findingJsonSchema>): Finding {
  const { subject } = json;
  return {
    id: json.id,
    title: json.title,
    ...(defined(json.description) && { description: json.description }),
    severity: json.severity,
    status: json.status,
    source: json.source as Finding["source"],
    findingType: json.finding_type as Finding["findingType"],
    failure: json.failure,
    aggregationKey: json.aggregation_key,
    fingerprint: json.fingerprint,
    startsAt: json.starts_at,
    ...(defined(json.ends_at) && { endsAt: json.ends_at }),
    subject: {
      ...(defined(subject.name) && { name: subject.name }),
      ...(defined(subject.kind) && { subjectType: subject.kind }),
      ...(defined(subject.namespace) && { namespace: subject.namespace }),
      ...(defined(subject.node) && { node: subject.node }),
      ...(defined(subject.container) && { container: subject.container }),
      labels: subject.labels,
      annotations: subject.annotations,
    },
    links: json.links.map((link) => ({ name: link.name, url: link.url, ...(defined(link.type) && { type: link.type as FindingLink["type"] & string }) })),
    enrichments: json.enrichments.map((enrichment) => ({
      ...(defined(enrichment.title) && { title: enrichment.title }),
      ...(defined(enrichment.enrichment_type) && { enrichmentType: enrichment.enrichment_type as EnrichmentType }),
      annotations: enrichment.annotations,
      blocks: enrichment.blocks as unknown as Block[],
    })),
  };
}
