/**
 * A whole runner's matching and dispatch, in memory, for playbook tests: events go through the
 * same Engine the runner uses (trigger matching, rate limits, actions, findings per sink), and
 * Alertmanager payloads through the same validation, parsing and replay dedup as its
 * /api/alerts. Findings are captured per sink name instead of being sent.
 */
import { ActionRegistry } from "../actions/registry.js";
import { builtinActions } from "../actions/builtin/index.js";
import type { GlobalConfig } from "../context.js";
import { Engine, type DispatchResult, type PlaybookRun } from "../engine/engine.js";
import { AlertDeduplicator } from "../events/alert-intake.js";
import { alertEvents, alertmanagerWebhookSchema } from "../events/alertmanager.js";
import type { PrometheusAlert } from "../events/model.js";
import type { Finding } from "../findings/finding.js";
import { collectPlaybooks } from "../playbooks/playbook.js";
import type { IncomingEvent } from "../triggers/trigger.js";
import { FakeClock } from "./clock.js";
import { alertmanagerPayload } from "./fixtures.js";
import { MemoryLogger } from "./logger.js";
import { InMemoryCluster } from "./memory-cluster.js";

export interface TestRunnerOptions {
  /** The playbooks: a module's exports (`import * as playbooks from "../playbooks/index.js"`), classes or definitions. */
  readonly playbooks: Readonly<Record<string, unknown>> | readonly unknown[];
  /** Default: an empty cluster. */
  readonly cluster?: InMemoryCluster;
  /** Default: a clock at 2026-01-01T00:00:00Z that moves only when told to. */
  readonly clock?: FakeClock;
  /** `globalConfig` (prometheus_url, ...). */
  readonly config?: GlobalConfig;
  /** The sinks playbooks that name none send to. Default ["default"]. */
  readonly defaultSinks?: readonly string[];
  /** How actions reach HTTP services; default: the global fetch. */
  readonly fetch?: typeof fetch;
}

/** The findings one sink received. */
export interface CapturingSink {
  readonly name: string;
  readonly findings: readonly Finding[];
}

/** What an Alertmanager payload may be given as: the webhook body (validated), or its alerts. */
export type AlertInput = Readonly<Record<string, unknown>> | PrometheusAlert | readonly PrometheusAlert[];

/** Runs playbooks against an in-memory cluster; see `createTestRunner`. */
export class TestRunner {
  readonly cluster: InMemoryCluster;
  readonly clock: FakeClock;
  /** Everything the playbooks and actions logged. */
  readonly logger = new MemoryLogger();
  /** Every playbook run, in order: its outcome and its actions' (a failed action's error is here). */
  readonly runs: PlaybookRun[] = [];
  private readonly engine: Engine;
  private readonly captured = new Map<string, Finding[]>();
  private readonly defaultSink: string;
  private readonly dedup = new AlertDeduplicator();

  constructor(options: TestRunnerOptions) {
    this.cluster = options.cluster ?? new InMemoryCluster();
    this.clock = options.clock ?? new FakeClock();
    const defaultSinks = options.defaultSinks ?? ["default"];
    this.defaultSink = defaultSinks[0] ?? "default";
    this.engine = new Engine({
      playbooks: collectPlaybooks(options.playbooks),
      actions: new ActionRegistry(builtinActions),
      cluster: this.cluster,
      clock: this.clock,
      logger: this.logger,
      defaultSinks,
      ...(options.config !== undefined && { config: options.config }),
      ...(options.fetch !== undefined && { fetch: options.fetch }),
    });
  }

  /**
   * Handles one event (a Kubernetes change from `fixtures.change`, an alert event, a scheduler
   * tick) and returns the findings it made for the first default sink.
   */
  async emit(event: IncomingEvent): Promise<Finding[]> {
    return this.findingsOf([await this.dispatch(event)]);
  }

  /**
   * Posts an Alertmanager payload as Alertmanager would: validated like /api/alerts, each alert
   * handled in turn, and an alert state already seen (same fingerprint, status and times) skipped,
   * as the runner skips Alertmanager's re-sends. Returns the findings for the first default sink.
   */
  async receiveAlert(input: AlertInput): Promise<Finding[]> {
    const body = isAlertList(input) ? alertmanagerPayload([...input]) : isOneAlert(input) ? alertmanagerPayload([input]) : input;
    const parsed = alertmanagerWebhookSchema.safeParse(body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(payload)"}: ${issue.message}`);
      throw new Error(`not an Alertmanager webhook payload: ${problems.join("; ")}`);
    }
    const results: DispatchResult[] = [];
    for (const event of alertEvents(parsed.data)) {
      if (this.dedup.firstTime(event, this.clock.now())) results.push(await this.dispatch(event));
    }
    return this.findingsOf(results);
  }

  /** The findings sink `name` has received so far. */
  sink(name: string = this.defaultSink): CapturingSink {
    return { name, findings: this.captured.get(name) ?? [] };
  }

  /** Every finding of every sink so far, in order. */
  get findings(): Finding[] {
    return [...this.captured.values()].flat();
  }

  /** Forgets the findings and runs captured so far (the cluster, clock and rate limits stay). */
  clear(): void {
    this.captured.clear();
    this.runs.length = 0;
  }

  private async dispatch(event: IncomingEvent): Promise<DispatchResult> {
    const result = await this.engine.handle(event);
    this.runs.push(...result.runs);
    for (const [sink, findings] of result.findings) {
      const list = this.captured.get(sink) ?? [];
      list.push(...findings);
      this.captured.set(sink, list);
    }
    return result;
  }

  private findingsOf(results: readonly DispatchResult[]): Finding[] {
    return results.flatMap((result) => [...(result.findings.get(this.defaultSink) ?? [])]);
  }
}

const isOneAlert = (input: AlertInput): input is PrometheusAlert => !Array.isArray(input) && "labels" in input && !("alerts" in input);
const isAlertList = (input: AlertInput): input is readonly PrometheusAlert[] => Array.isArray(input);

/**
 * A runner for playbook tests:
 *
 * ```ts
 * const runner = createTestRunner({ playbooks });
 * runner.cluster.apply(fixtures.crashLoopingPod());
 * const findings = await runner.emit(fixtures.change("update", crashing, healthy));
 * expect(findings).toContainFinding({ severity: "HIGH" });
 * ```
 */
export function createTestRunner(options: TestRunnerOptions): TestRunner {
  return new TestRunner(options);
}
