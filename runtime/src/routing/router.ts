/**
 * Which sinks get which findings of an event: Robusta's `__handle_findings` loop (§8.1). For each
 * sink in order, for each of its findings: the sink takes it when no mute interval is in force, an
 * activity window is open, and scope and match accept it; then `dedup_interval` may skip it as a
 * duplicate. Once a sink with `stop: true` takes a finding (a duplicate counts), every later
 * finding of the event, for that sink or any later one, is skipped.
 *
 * The router only decides: every finding it is given comes back once, to deliver or skip with a
 * reason, so nothing is dropped unseen. Dedup memory is kept per sink name, so it outlives
 * configuration reloads.
 */
import type { Finding, Logger } from "@robusta-ts/sdk";
import { findingAttributes } from "./attributes.js";
import { Deduplicator } from "./dedup.js";
import { matchesRouting } from "./match.js";
import { NamespaceLabelsCache } from "./namespace-labels-cache.js";
import type { RoutingParams } from "./params.js";
import { scopeUsesNamespaceLabels, type NamespaceLabels, type ScopeData } from "./scope.js";
import { activeMute, isActive } from "./timing.js";

export interface RoutableSink {
  readonly name: string;
  readonly routing?: RoutingParams;
}

export type SkipReason = "scope" | "inactive" | "muted" | "duplicate" | "stopped";

export type RouteOutcome =
  | { readonly sink: string; readonly finding: Finding; readonly verdict: "deliver" }
  | { readonly sink: string; readonly finding: Finding; readonly verdict: "skip"; readonly reason: SkipReason; readonly detail: string };

export interface RouterOptions {
  readonly clusterName: string;
  /** The time, in ms since the epoch. */
  readonly now: () => number;
  /** Looks up a namespace's labels, for scope rules on namespace_labels. */
  readonly namespaceLabels?: NamespaceLabels;
  readonly logger: Logger;
}

type Verdict = { readonly take: true } | { readonly take: false; readonly reason: SkipReason; readonly detail: string };

const TAKE: Verdict = { take: true };

export class Router {
  private readonly dedup = new Map<string, Deduplicator>();
  private readonly namespaces: NamespaceLabelsCache | undefined;
  /** Warnings given once, not once per finding. */
  private readonly warned = new Set<string>();

  constructor(private readonly options: RouterOptions) {
    this.namespaces = options.namespaceLabels && new NamespaceLabelsCache(options.namespaceLabels, options.now);
  }

  /** Routes one event's findings (per sink, in order) with Robusta's §8.1 loop, honouring `stop`. */
  async route(findings: ReadonlyMap<string, readonly Finding[]>, sinks: ReadonlyMap<string, RoutableSink>): Promise<RouteOutcome[]> {
    const outcomes: RouteOutcome[] = [];
    let stoppedBy: string | undefined;
    for (const [name, list] of findings) {
      for (const finding of list) {
        if (stoppedBy !== undefined) {
          outcomes.push({ sink: name, finding, verdict: "skip", reason: "stopped", detail: `sink "${stoppedBy}" has stop: true and took a finding of this event` });
          continue;
        }
        const sink = sinks.get(name);
        if (!sink) {
          outcomes.push({ sink: name, finding, verdict: "skip", reason: "scope", detail: `unknown sink "${name}"` });
          continue;
        }
        const verdict = await this.accepts(sink, finding);
        if (!verdict.take) {
          outcomes.push({ sink: name, finding, verdict: "skip", reason: verdict.reason, detail: verdict.detail });
          continue;
        }
        const duplicate = this.duplicate(sink, finding);
        outcomes.push(duplicate ? { sink: name, finding, verdict: "skip", reason: "duplicate", detail: duplicate } : { sink: name, finding, verdict: "deliver" });
        if (sink.routing?.stop) stoppedBy = name;
      }
    }
    return outcomes;
  }

  /** Robusta's `SinkBase.accepts`: not muted, active, and matched by scope and match. */
  private async accepts(sink: RoutableSink, finding: Finding): Promise<Verdict> {
    const routing = sink.routing;
    if (!routing) return TAKE;
    const now = this.options.now();
    const mute = activeMute(routing, now);
    if (mute) return { take: false, reason: "muted", detail: `muted from ${mute.start_date} to ${mute.end_date} (${mute.timezone})` };
    if (!isActive(routing, now)) return { take: false, reason: "inactive", detail: `outside the activity windows (${routing.activity!.timezone})` };
    if (!routing.scope && !routing.match) return TAKE;
    let data: ScopeData = findingAttributes(finding, this.options.clusterName);
    if (scopeUsesNamespaceLabels(routing.scope)) data = { ...data, namespace_labels: await this.namespaceLabelsOf(sink, finding) };
    const match = matchesRouting(routing, data, (attribute, where) =>
      this.warnOnce(`${sink.name}\0${where}\0${attribute}`, { sink: sink.name, attribute }, `${where} names an attribute findings do not have; it never matches`),
    );
    return match.accepted ? TAKE : { take: false, reason: "scope", detail: match.detail };
  }

  private async namespaceLabelsOf(sink: RoutableSink, finding: Finding): Promise<Readonly<Record<string, string>>> {
    const namespace = finding.subject.namespace;
    if (!namespace) return {};
    if (!this.namespaces) {
      this.warnOnce(`${sink.name}\0namespaces`, { sink: sink.name }, "scope uses namespace_labels, but the runner cannot look up namespaces; they match as if the namespace had no labels");
      return {};
    }
    try {
      return await this.namespaces.get(namespace);
    } catch (error) {
      this.options.logger.warn({ sink: sink.name, namespace, reason: (error as Error).message }, "namespace labels could not be read; scope matches as if there were none");
      return {};
    }
  }

  /** Why `finding` is a duplicate for `sink` (under its dedup_interval), or undefined when it is new. */
  private duplicate(sink: RoutableSink, finding: Finding): string | undefined {
    const interval = sink.routing?.dedup_interval ?? 0;
    if (interval <= 0) {
      this.dedup.delete(sink.name);
      return undefined;
    }
    let dedup = this.dedup.get(sink.name);
    if (!dedup) {
      dedup = new Deduplicator();
      this.dedup.set(sink.name, dedup);
    }
    const now = this.options.now();
    const admitted = dedup.admit(finding, interval, now);
    if (admitted.fresh) return undefined;
    return `identical to a finding sent ${Math.round((now - admitted.takenAt) / 1000)}s ago (dedup_interval: ${interval})`;
  }

  private warnOnce(key: string, fields: Record<string, unknown>, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.logger.warn(fields, message);
  }
}
