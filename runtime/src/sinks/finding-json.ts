/**
 * A finding as JSON, in Robusta's wire shape (the webhook sink's `format: json`, §7.5): snake_case
 * keys, enrichments last. The file sink writes one of these per line.
 */
import type { Block, Finding } from "@robusta-ts/sdk";

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
