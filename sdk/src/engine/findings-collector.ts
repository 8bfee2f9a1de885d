/**
 * The findings of one incoming event, per sink, with Robusta's semantics: every playbook fired by
 * the event adds to the same findings; an enrichment goes to the first finding of each target
 * sink, creating the event's default finding where there is none yet.
 */
import type { BaseEvent } from "../events/model.js";
import { defaultFindingFor } from "../findings/defaults.js";
import { createFinding, type Enrichment, type Finding, type FindingInit, type Severity } from "../findings/finding.js";

type Draft = Omit<Finding, "enrichments"> & { enrichments: Enrichment[] };

export class FindingsCollector {
  private readonly sinks = new Map<string, Draft[]>();

  constructor(
    private readonly now: () => Date,
    private readonly severityMap?: Readonly<Record<string, Severity>>,
  ) {}

  /** Adds an enrichment for `event` to each of `sinks`. */
  addEnrichment(event: BaseEvent, sinks: readonly string[], enrichment: Enrichment): void {
    let template: Finding | undefined;
    for (const sink of sinks) {
      let findings = this.sinks.get(sink);
      if (!findings) this.sinks.set(sink, (findings = []));
      if (findings.length === 0) {
        // One default finding per call, copied to each sink: the copies share an id, as in Robusta.
        template ??= createFinding(defaultFindingFor(event, this.severityMap), this.now());
        findings.push(structuredClone(template) as Draft);
      }
      findings[0]!.enrichments.push(structuredClone(enrichment));
    }
  }

  /** Makes a new finding the first (current) one of each of `sinks`. */
  addFinding(init: FindingInit, sinks: readonly string[]): void {
    const finding = createFinding(init, this.now());
    for (const sink of sinks) {
      let findings = this.sinks.get(sink);
      if (!findings) this.sinks.set(sink, (findings = []));
      findings.unshift(structuredClone(finding) as Draft);
    }
  }

  /** The findings per sink, in the order sinks were first targeted. */
  result(): ReadonlyMap<string, readonly Finding[]> {
    return this.sinks;
  }
}
