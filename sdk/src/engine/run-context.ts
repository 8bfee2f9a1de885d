/** The Context of one playbook run, and the action host that times and accounts each action call. */
import { ACTION_HOST, type ActionHost, type ActionOutcome } from "../actions/define.js";
import type { Cluster } from "../cluster.js";
import type { Clock, Context, EnrichmentOptions, FindingChanges, GlobalConfig, Logger } from "../context.js";
import type { BaseEvent } from "../events/model.js";
import type { Block } from "../findings/blocks.js";
import { boundBlocks, type BlockLimits } from "../findings/bounds.js";
import type { FindingInit } from "../findings/finding.js";
import { errorMessage, TimeoutError, withTimeout } from "../util/timeout.js";
import type { FindingsCollector } from "./findings-collector.js";

/** What became of one action call. */
export interface ActionRun {
  readonly action: string;
  readonly outcome: "ok" | "failed" | "timed_out" | "skipped";
  readonly error?: string;
  readonly durationMs: number;
}

export interface RunContextOptions {
  readonly playbook: string;
  readonly event: BaseEvent;
  readonly sinks: readonly string[];
  readonly collector: FindingsCollector;
  readonly cluster: Cluster;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly config: GlobalConfig;
  readonly fetch: typeof fetch;
  readonly actionTimeoutMs: number;
  readonly blockLimits: BlockLimits;
}

const RUN_ENDED = new Error("the playbook run ended");

export class RunContext implements Context, ActionHost {
  readonly cluster: Cluster;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly config: GlobalConfig;
  readonly fetch: typeof fetch;
  readonly playbook: { readonly name: string };
  readonly actions: ActionRun[] = [];
  // Created only when a playbook asks for its signal: most never do.
  private controller: AbortController | undefined;
  private stopped = false;
  private sealed = false;

  constructor(private readonly options: RunContextOptions) {
    this.cluster = options.cluster;
    this.logger = options.logger;
    this.clock = options.clock;
    this.config = options.config;
    this.fetch = options.fetch;
    this.playbook = { name: options.playbook };
  }

  get [ACTION_HOST](): ActionHost {
    return this;
  }

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.sealed) this.controller.abort(RUN_ENDED);
    return this.controller.signal;
  }

  get stopRequested(): boolean {
    return this.stopped;
  }

  addEnrichment(blocks: readonly Block[], options: EnrichmentOptions = {}): void {
    if (this.refuseLate("an enrichment") || blocks.length === 0) return;
    this.options.collector.addEnrichment(this.options.event, this.options.sinks, {
      blocks: boundBlocks(blocks, this.options.blockLimits),
      annotations: { ...options.annotations },
      ...(options.title !== undefined && { title: options.title }),
      ...(options.enrichmentType !== undefined && { enrichmentType: options.enrichmentType }),
    });
  }

  addFinding(init: FindingInit): void {
    if (this.refuseLate("a finding")) return;
    this.options.collector.addFinding(init, this.options.sinks);
  }

  updateFinding(changes: FindingChanges): void {
    if (this.refuseLate("a finding change")) return;
    this.options.collector.updateFinding(this.options.event, this.options.sinks, changes);
  }

  stopProcessing(): void {
    this.stopped = true;
  }

  async runAction(name: string, run: () => Promise<void>): Promise<ActionOutcome> {
    const started = performance.now();
    const record = (outcome: ActionRun["outcome"], error?: string): ActionOutcome => {
      this.actions.push({ action: name, outcome, durationMs: performance.now() - started, ...(error !== undefined && { error }) });
      return error === undefined ? { ok: true } : { ok: false, error };
    };
    if (this.stopped) return record("skipped", "processing was stopped by an earlier action");
    if (this.sealed) return record("skipped", "the playbook run had already ended");
    try {
      await withTimeout(run(), this.options.actionTimeoutMs, `action ${name}`);
      return record("ok");
    } catch (error) {
      const timedOut = error instanceof TimeoutError;
      this.logger.error({ action: name, reason: errorMessage(error) }, timedOut ? "action timed out" : "action failed");
      return record(timedOut ? "timed_out" : "failed", errorMessage(error));
    }
  }

  /** Ends the run: aborts the signal, and anything the playbook adds afterwards is dropped. */
  seal(): void {
    this.sealed = true;
    this.controller?.abort(RUN_ENDED);
  }

  private refuseLate(what: string): boolean {
    if (this.sealed) this.logger.warn({}, `${what} added after the playbook run ended was dropped`);
    return this.sealed;
  }
}
