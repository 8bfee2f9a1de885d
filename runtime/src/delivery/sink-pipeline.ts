/**
 * One sink's way out: its bounded delivery queue (a lane per destination, so one channel's rate
 * limit never holds up another), grouping (a summary message with findings threaded under it, or
 * nothing until ignore_first is passed), and an outcome for every finding offered.
 */
import { errorMessage, type Finding, type Logger } from "@robusta-ts/sdk";
import { Grouper, type SummaryGroup } from "../routing/grouping.js";
import type { MessageRef, Sink } from "../sinks/sink.js";
import type { DeliveryClock } from "./clock.js";
import { DeliveryQueue, type DeliveryOutcome } from "./delivery-queue.js";

/** What became of a finding offered to a sink, beyond the queue's outcomes. */
export type PipelineResult = DeliveryOutcome["result"] | "dropped_queue_full" | "grouped_ignored";

export interface SinkPipelineOptions {
  readonly sink: Sink;
  readonly clusterName: string;
  /** Findings waiting, all destinations together. */
  readonly capacity: number;
  /** Destinations sent to at once. */
  readonly concurrency: number;
  readonly retryBudgetMs: number;
  readonly clock: DeliveryClock;
  readonly logger: Logger;
  /** Counts each finding's result once. */
  onResult(result: PipelineResult): void;
  /** Counts a retry. */
  onRetry(): void;
}

interface Item {
  readonly finding: Finding;
  readonly destination: string;
  /** Reply in this thread (a button's message); summary groups set it once their message exists. */
  readonly thread?: MessageRef;
  readonly group?: { readonly group: SummaryGroup; readonly threaded: boolean };
  /** Set once the group's summary shows this finding, so a retry does not post or edit it again. */
  summarized?: boolean;
}

export class SinkPipeline {
  private readonly queue: DeliveryQueue<Item>;
  private readonly grouper: Grouper | undefined;
  private readonly log: Logger;

  constructor(private readonly options: SinkPipelineOptions) {
    const { sink } = options;
    this.log = options.logger.child({ sink: sink.name });
    const grouping = sink.routing?.grouping;
    this.grouper = grouping ? new Grouper(grouping, options.clusterName, () => options.clock.now()) : undefined;
    this.queue = new DeliveryQueue<Item>({
      capacity: options.capacity,
      concurrency: options.concurrency,
      retryBudgetMs: options.retryBudgetMs,
      clock: options.clock,
      send: (item, _attempt, signal) => this.send(item, signal),
      onOutcome: (item, outcome) => this.outcome(item, outcome),
      onRetry: (item, error, waitMs, attempt) => {
        options.onRetry();
        this.log.warn({ ...describe(item), attempt, retry_in_ms: Math.round(waitMs), reason: errorMessage(error) }, "sink send failed; retrying");
      },
    });
  }

  /** Findings waiting or being sent. */
  get size(): number {
    return this.queue.size;
  }

  /**
   * Queues a finding the router accepted (or a button's reply, with `thread`). False when the queue
   * is full: the finding is counted and logged as dropped.
   */
  offer(finding: Finding, thread?: MessageRef): boolean {
    const { sink } = this.options;
    const destination = sink.destination?.(finding) ?? sink.name;
    let group: Item["group"];
    if (this.grouper && !thread) {
      const decision = this.grouper.admit(finding, destination);
      if (decision.kind === "ignore") {
        this.options.onResult("grouped_ignored");
        this.log.debug({ finding: finding.title, fingerprint: finding.fingerprint, reason: decision.reason }, "finding held back by grouping");
        return true;
      }
      if (decision.kind === "summary") group = { group: decision.group, threaded: decision.threaded };
    }
    const item: Item = { finding, destination, ...(thread && { thread }), ...(group && { group }) };
    if (this.queue.offer(item, destination)) return true;
    this.options.onResult("dropped_queue_full");
    this.log.error({ ...describe(item), capacity: this.options.capacity }, "finding not delivered: the sink's queue is full");
    return false;
  }

  private async send(item: Item, signal: AbortSignal): Promise<void> {
    const { sink } = this.options;
    if (!item.group) {
      await sink.write(item.finding, { ...(item.thread && { thread: item.thread }), signal });
      return;
    }
    const { group, threaded } = item.group;
    const threads = sink.threads!;
    if (!item.summarized) {
      if (group.ref === undefined) {
        group.ref = await threads.postSummary(item.destination, group.summary(), { signal });
      } else {
        // A summary that cannot be edited is stale, not lost: the finding itself still goes out.
        await threads.updateSummary(group.ref, group.summary(), { signal }).catch((error: unknown) => {
          this.log.warn({ ...describe(item), reason: errorMessage(error) }, "group summary not updated");
        });
      }
      item.summarized = true;
    }
    if (threaded) await sink.write(item.finding, { thread: group.ref, signal });
  }

  private outcome(item: Item, outcome: DeliveryOutcome): void {
    this.options.onResult(outcome.result);
    if (outcome.result !== "delivered") {
      this.log.error({ ...describe(item), attempts: outcome.attempts, reason: outcome.reason }, "finding not delivered");
    }
  }

  /** Resolves when nothing is waiting or being sent. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Stops taking findings and keeps sending for up to `deadlineMs`; what is left then is logged and counted as abandoned. */
  close(deadlineMs: number): Promise<void> {
    return this.queue.close(deadlineMs);
  }
}

function describe(item: Item): Record<string, unknown> {
  return { finding: item.finding.title, fingerprint: item.finding.fingerprint, destination: shown(item.destination) };
}

/** A destination fit for logs: webhook URLs carry their secret in the path or query, so only the host is shown. */
function shown(destination: string): string {
  if (!/^https?:\/\//i.test(destination)) return destination;
  try {
    return new URL(destination).host;
  } catch {
    return "(a URL)";
  }
}
