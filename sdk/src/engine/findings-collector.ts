/**
 * The findings of one incoming event, per sink, with Robusta's semantics: every playbook fired by
 * the event adds to the same findings; an enrichment goes to the first finding of each target
 * sink, creating the event's default finding where there is none yet.
 */
import type { FindingChanges } from "../context.js";
import type { BaseEvent } from "../events/model.js";
import { defaultFindingFor } from "../findings/defaults.js";
import { createFinding, type Enrichment, type Finding, type FindingInit, type Severity } from "../findings/finding.js";

type Draft = Omit<Finding, "enrichments"> & { enrichments: Enrichment[] };

/** Each sink gets its own copy, so one sink's changes never show in another's; the first takes the original. */
const copyFor = <T>(sinkIndex: number, value: T): T => (sinkIndex === 0 ? value : structuredClone(value));

export class FindingsCollector {
  private readonly sinks = new Map<string, Draft[]>();

  constructor(
    private readonly now: () => Date,
    private readonly severityMap?: Readonly<Record<string, Severity>>,
  ) {}

  /** Adds an enrichment for `event` to each of `sinks`. */
  addEnrichment(event: BaseEvent, sinks: readonly string[], enrichment: Enrichment): void {
    this.currentFindings(event, sinks).forEach((findings, i) => findings[0]!.enrichments.push(copyFor(i, enrichment)));
  }

  /** Changes the current finding of each of `sinks`. */
  updateFinding(event: BaseEvent, sinks: readonly string[], changes: FindingChanges): void {
    const { labels, ...fields } = changes;
    for (const findings of this.currentFindings(event, sinks)) {
      const current = findings[0]!;
      findings[0] = {
        ...current,
        ...fields,
        ...(labels && { subject: { ...current.subject, labels: { ...current.subject.labels, ...labels } } }),
      };
    }
  }

  /** The finding lists of `sinks`, each with a current finding: the event's default one where there was none. */
  private currentFindings(event: BaseEvent, sinks: readonly string[]): Draft[][] {
    const lists = sinks.map((sink) => this.listFor(sink));
    const empty = lists.filter((findings) => findings.length === 0);
    if (empty.length > 0) {
      // One default finding per call, copied to each sink before anything is added to it: the
      // copies share an id, as in Robusta.
      const template = createFinding(defaultFindingFor(event, this.severityMap), this.now());
      empty.forEach((findings, i) => findings.push(copyFor(i, template) as Draft));
    }
    return lists;
  }

  /** Makes a new finding the first (current) one of each of `sinks`. */
  addFinding(init: FindingInit, sinks: readonly string[]): void {
    const finding = createFinding(init, this.now());
    sinks.forEach((sink, i) => this.listFor(sink).unshift(copyFor(i, finding) as Draft));
  }

  private listFor(sink: string): Draft[] {
    let findings = this.sinks.get(sink);
    if (!findings) this.sinks.set(sink, (findings = []));
    return findings;
  }

  /** The findings per sink, in the order sinks were first targeted. */
  result(): ReadonlyMap<string, readonly Finding[]> {
    return this.sinks;
  }
}
