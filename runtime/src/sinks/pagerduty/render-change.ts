/**
 * A configuration-change finding as PagerDuty change events (Robusta's
 * `__send_changes_to_pagerduty`): one per diff block of an enrichment that carries the change's
 * `operation`, summarised as "Deployment demo/web updated in cluster prod (2 changes)", with each
 * changed field as a "Change N" detail. Change events never page anyone; PagerDuty shows them next
 * to the service's incidents. Pure.
 */
import type { DiffBlock, Finding } from "@robusta-ts/sdk";
import { cutChars } from "../common/finding-words.js";
import { SUMMARY_MAX_CHARS, fitEvent, type PagerdutyLink } from "./event-limits.js";
import { diffLine } from "./plain-text.js";
import { eventLinks, type EventOptions } from "./render-event.js";

/** The aggregation key of resource_babysitter's findings: these go to the Change Events API. */
export const CHANGE_AGGREGATION_KEY = "ConfigurationChange/KubernetesResource/Change";

/** An Events API v2 change event, as POSTed to /v2/change/enqueue. */
export interface ChangeEvent {
  readonly routing_key: string;
  readonly payload: {
    readonly summary: string;
    readonly timestamp: string;
    readonly source: string;
    readonly custom_details: Readonly<Record<string, string>>;
  };
  readonly links: readonly PagerdutyLink[];
}

/** Modified fields, as Robusta's KubernetesDiffBlock counts them (neither added nor removed). */
const modifications = (block: DiffBlock): number => block.diffs.filter((change) => change.old !== undefined && change.new !== undefined).length;

function changeEvent(finding: Finding, block: DiffBlock, operation: string, options: EventOptions): ChangeEvent {
  const namespace = block.namespace ?? finding.subject.namespace;
  const count = modifications(block);
  const counted = operation === "update" ? ` (${count} ${count === 1 ? "change" : "changes"})` : "";
  const remarks = operation === "update" ? finding.description : `Resource ${operation}d`;
  const details: Record<string, string> = {
    ...(namespace !== undefined && { namespace }),
    resource: `${block.kind}/${block.name}`,
    ...(finding.subject.node !== undefined && { node: finding.subject.node }),
    ...Object.fromEntries(block.diffs.map((change, i) => [`Change ${i + 1}`, diffLine(change)])),
    ...(remarks && { Remarks: remarks }),
  };
  return fitEvent<ChangeEvent>({
    routing_key: options.routingKey,
    payload: {
      summary: cutChars(`${block.kind} ${namespace ? `${namespace}/` : ""}${block.name} ${operation}d in cluster ${options.clusterName}${counted}`, SUMMARY_MAX_CHARS),
      timestamp: finding.startsAt,
      source: options.clusterName,
      custom_details: details,
    },
    links: eventLinks(finding),
  });
}

/**
 * The change events for `finding`: one per diff block whose enrichment names its `operation`.
 * A finding with none (not resource_babysitter's) becomes one change event of its title and
 * description, where Robusta would send nothing.
 */
export function renderChangeEvents(finding: Finding, options: EventOptions): ChangeEvent[] {
  const events = finding.enrichments.flatMap((enrichment) => {
    const operation = enrichment.annotations.operation;
    if (!operation) return [];
    return enrichment.blocks.filter((block): block is DiffBlock => block.type === "diff").map((block) => changeEvent(finding, block, operation, options));
  });
  if (events.length > 0) return events;
  return [
    fitEvent<ChangeEvent>({
      routing_key: options.routingKey,
      payload: {
        summary: cutChars(finding.title, SUMMARY_MAX_CHARS),
        timestamp: finding.startsAt,
        source: options.clusterName,
        custom_details: finding.description ? { Remarks: finding.description } : {},
      },
      links: eventLinks(finding),
    }),
  ];
}
