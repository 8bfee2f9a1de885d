/**
 * Delivery of findings, after the playbooks: the router decides which sinks get which findings
 * (scope, stop, activity, mute, dedup), and each sink's pipeline sends them through its own bounded
 * queue. Dispatch only enqueues, so a slow or failing sink never holds up intake or another sink;
 * every finding ends counted in robusta_findings_total with its result.
 */
import { errorMessage, type Finding, type Logger } from "@robusta-ts/sdk";
import type { Metrics } from "../metrics.js";
import type { NamespaceLabels } from "../routing/scope.js";
import { Router } from "../routing/router.js";
import type { MessageRef, Sink, SinkServices } from "../sinks/sink.js";
import { systemDeliveryClock, type DeliveryClock } from "./clock.js";
import { SinkPipeline } from "./sink-pipeline.js";

export interface DeliverySettings {
  readonly clusterName: string;
  /** Findings each sink's queue holds. */
  readonly capacity: number;
  /** Destinations each sink sends to at once. */
  readonly concurrency: number;
  readonly retryBudgetMs: number;
  /** How long closing keeps delivering what is queued. */
  readonly drainTimeoutMs: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock?: DeliveryClock;
  readonly namespaceLabels?: NamespaceLabels;
  /** What a sink gets when it starts (its button presses run actions through these). */
  services(sink: Sink, deliver: SinkServices["deliver"]): SinkServices;
}

export class Delivery {
  private readonly pipelines = new Map<Sink, SinkPipeline>();
  private readonly router: Router;
  private started = false;

  constructor(private readonly settings: DeliverySettings) {
    const clock = settings.clock ?? systemDeliveryClock;
    this.router = new Router({
      clusterName: settings.clusterName,
      now: () => clock.now(),
      logger: settings.logger,
      ...(settings.namespaceLabels && { namespaceLabels: settings.namespaceLabels }),
    });
  }

  /** Gives each sink a pipeline (sinks kept across a reload keep theirs, with what is queued). */
  adopt(sinks: Iterable<Sink>): void {
    for (const sink of sinks) {
      if (this.pipelines.has(sink)) continue;
      this.pipelines.set(sink, this.pipelineFor(sink));
      if (this.started) this.startSink(sink);
    }
  }

  /** Starts what the sinks run on their own (Slack's Socket Mode); later sinks start as they are adopted. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const sink of this.pipelines.keys()) this.startSink(sink);
  }

  /** Routes one event's findings (per sink, in order) and queues those accepted. */
  async deliver(sinks: ReadonlyMap<string, Sink>, findings: ReadonlyMap<string, readonly Finding[]>): Promise<void> {
    const { metrics, logger } = this.settings;
    for (const outcome of await this.router.route(findings, sinks)) {
      if (outcome.verdict === "skip") {
        metrics.findings.inc({ sink: outcome.sink, result: `skipped_${outcome.reason}` });
        logger.debug({ sink: outcome.sink, finding: outcome.finding.title, reason: outcome.reason, detail: outcome.detail }, "finding not sent to sink");
        continue;
      }
      const sink = sinks.get(outcome.sink)!;
      this.adopt([sink]);
      this.pipelines.get(sink)!.offer(outcome.finding);
    }
  }

  /** Findings waiting in each sink's queue, by sink name. */
  queueSizes(): Map<string, number> {
    return new Map([...this.pipelines].map(([sink, pipeline]) => [sink.name, pipeline.size]));
  }

  /** Resolves when every queued finding has an outcome. */
  async idle(): Promise<void> {
    await Promise.all([...this.pipelines.values()].map((pipeline) => pipeline.idle()));
  }

  /** Delivers what the sinks have queued (up to the drain timeout), then closes them. */
  async retire(sinks: Iterable<Sink>): Promise<void> {
    await Promise.all(
      [...sinks].map(async (sink) => {
        const pipeline = this.pipelines.get(sink);
        this.pipelines.delete(sink);
        await pipeline?.close(this.settings.drainTimeoutMs);
        await sink.close?.().catch((error: unknown) => this.settings.logger.warn({ sink: sink.name, reason: errorMessage(error) }, "sink did not close cleanly"));
      }),
    );
  }

  /** Retires every sink. */
  close(): Promise<void> {
    return this.retire([...this.pipelines.keys()]);
  }

  private pipelineFor(sink: Sink): SinkPipeline {
    const { metrics } = this.settings;
    return new SinkPipeline({
      sink,
      clusterName: this.settings.clusterName,
      capacity: this.settings.capacity,
      concurrency: this.settings.concurrency,
      retryBudgetMs: this.settings.retryBudgetMs,
      clock: this.settings.clock ?? systemDeliveryClock,
      logger: this.settings.logger,
      onResult: (result) => metrics.findings.inc({ sink: sink.name, result }),
      onRetry: () => metrics.sinkRetries.inc({ sink: sink.name }),
    });
  }

  private startSink(sink: Sink): void {
    if (!sink.start) return;
    // A retired sink takes nothing more (a button pressed while a reload replaced it).
    const deliver = (finding: Finding, options?: { readonly thread?: MessageRef }) => this.pipelines.get(sink)?.offer(finding, options?.thread) ?? false;
    sink.start(this.settings.services(sink, deliver)).catch((error: unknown) => {
      this.settings.logger.error({ sink: sink.name, reason: errorMessage(error) }, "sink could not start its background work; it still sends");
    });
  }
}
