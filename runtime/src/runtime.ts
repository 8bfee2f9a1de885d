/**
 * The runner: HTTP intake and in-process events go through one bounded queue into the engine;
 * the findings of each event are delivered to sinks once, at the end (Robusta's semantics).
 */
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type { Hono } from "hono";
import { z } from "zod";
import {
  ActionRegistry,
  AlertDeduplicator,
  alertRelabelSchema,
  relabelAlert,
  type AlertRelabel,
  builtinActions,
  Engine,
  errorMessage,
  PlaybookLoadError,
  type AnyAction,
  type Clock,
  type Cluster,
  type DispatchResult,
  type Finding,
  type GlobalConfig,
  type IncomingEvent,
  type Logger,
  type PlaybookDefinition,
} from "@robusta-ts/sdk";
import { BoundedQueue } from "./intake/queue.js";
import { createLogger } from "./logging.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { parseRuntimeOptions, type RuntimeOptions, type RuntimeOptionsInput } from "./options.js";
import { createApp } from "./server/app.js";
import { formatPath } from "./server/errors.js";
import type { Sink } from "./sinks/sink.js";

export interface RuntimeConfig {
  readonly playbooks: readonly PlaybookDefinition[];
  /** Actions YAML playbooks may name, besides the built-in ones. */
  readonly actions?: readonly AnyAction[];
  readonly cluster: Cluster;
  readonly sinks: readonly Sink[];
  readonly options?: RuntimeOptionsInput;
  readonly globalConfig?: GlobalConfig;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Called with what each event came to, after delivery (the demo and tests watch it). */
  readonly onDispatched?: (event: IncomingEvent, result: DispatchResult) => void;
  /** Robusta's `alertRelabel`: rules applied to every alert's labels as it arrives. */
  readonly alertRelabel?: readonly AlertRelabel[];
}

const systemClock: Clock = { now: () => new Date() };

/** Validates relabel rules, naming the bad one. */
function parseRelabel(rules: readonly unknown[] = []): AlertRelabel[] {
  const result = z.array(alertRelabelSchema).safeParse(rules);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new Error(`Invalid alertRelabel${formatPath(issue.path)}: ${issue.message}`);
}

/** Something whose state decides /readyz and /healthz, such as the watches. */
export interface Probe {
  /** Reasons not to be ready yet; empty when ready. */
  notReady(): string[];
  /** Reasons to be restarted; empty when healthy. */
  unhealthy(): string[];
}

export class Runtime {
  readonly options: RuntimeOptions;
  readonly metrics: Metrics;
  readonly app: Hono;
  readonly engine: Engine;
  readonly logger: Logger;
  private readonly sinks: Map<string, Sink>;
  private readonly queue: BoundedQueue<IncomingEvent>;
  private server: ServerType | undefined;
  private readonly probes: Probe[] = [];
  private readonly alertRelabel: readonly AlertRelabel[];
  private readonly alertDedup: AlertDeduplicator | undefined;
  private state: "created" | "listening" | "closing" | "closed" = "created";

  constructor(private readonly config: RuntimeConfig) {
    this.options = parseRuntimeOptions({ ...config.options });
    this.logger = config.logger ?? createLogger(this.options.logLevel);
    this.metrics = createMetrics();
    this.sinks = new Map(config.sinks.map((sink) => [sink.name, sink]));
    const defaultSinks = config.sinks.filter((sink) => sink.isDefault).map((sink) => sink.name);
    this.checkSinkNames(config);
    this.engine = new Engine({
      playbooks: config.playbooks,
      actions: new ActionRegistry([...builtinActions, ...(config.actions ?? [])]),
      cluster: config.cluster,
      logger: this.logger,
      clock: config.clock ?? systemClock,
      config: { cluster_name: this.options.clusterName, ...config.globalConfig },
      defaultSinks,
      actionTimeoutMs: this.options.actionTimeoutMs,
      playbookTimeoutMs: this.options.playbookTimeoutMs,
    });
    if (defaultSinks.length === 0) {
      this.logger.warn({}, "no default sinks: findings of playbooks that name no sinks go nowhere");
    }
    this.alertRelabel = parseRelabel(config.alertRelabel);
    this.alertDedup =
      this.options.alertDedupTtlSeconds > 0 ? new AlertDeduplicator(this.options.alertDedupTtlSeconds * 1000, this.options.alertDedupMaxEntries) : undefined;
    this.queue = new BoundedQueue(this.options.queueCapacity, this.options.workers, (event) => this.dispatch(event));
    this.metrics.queueCapacity.set(this.options.queueCapacity);
    this.app = createApp({
      bodyLimitBytes: this.options.bodyLimitBytes,
      ...(this.options.authToken !== undefined && { authToken: this.options.authToken }),
      metrics: this.metrics,
      logger: this.logger,
      offer: (events) => this.enqueue(events),
      admitAlerts: (events) => {
        const now = (this.config.clock ?? systemClock).now();
        return events.map((event) => relabelAlert(event, this.alertRelabel)).filter((event) => this.alertDedup?.firstTime(event, now) ?? true);
      },
      notReady: () => [...(this.state === "listening" ? [] : [`runner is ${this.state}`]), ...this.probes.flatMap((p) => p.notReady())],
      unhealthy: () => [
        ...(this.state === "closing" || this.state === "closed" ? [`runner is ${this.state}`] : []),
        ...this.probes.flatMap((p) => p.unhealthy()),
      ],
    });
  }

  /**
   * Queues events from inside the process (the watch, the demo) for dispatch. False when they do
   * not all fit: none is queued, and the refusal is logged and counted.
   */
  submit(...events: IncomingEvent[]): boolean {
    const accepted = this.enqueue(events);
    if (!accepted) {
      this.metrics.intake.inc({ endpoint: "in_process", result: "rejected_queue_full" }, events.length);
      this.logger.warn({ events: events.length, queueCapacity: this.queue.capacity }, "intake queue full: events refused");
    } else {
      this.metrics.intake.inc({ endpoint: "in_process", result: "accepted" }, events.length);
    }
    return accepted;
  }

  /** Queues events; the HTTP endpoints count and answer refusals themselves. */
  private enqueue(events: IncomingEvent[]): boolean {
    const accepted = this.queue.offer(...events);
    this.metrics.queueSize.set(this.queue.size);
    return accepted;
  }

  /** Adds something /readyz and /healthz must account for (the watches). */
  addProbe(probe: Probe): void {
    this.probes.push(probe);
  }

  /** Resolves when every queued event has been dispatched and delivered. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Starts the HTTP server. */
  listen(): Promise<{ url: string; port: number }> {
    return new Promise((resolve, reject) => {
      const server = serve({ fetch: this.app.fetch, hostname: this.options.host, port: this.options.port }, (info: AddressInfo) => {
        this.state = "listening";
        const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
        this.logger.info({ address: info.address, port: info.port, playbooks: this.engine.playbookNames.length }, "runner listening");
        resolve({ url: `http://${host}:${info.port}`, port: info.port });
      });
      server.once("error", reject);
      this.server = server;
    });
  }

  /** Stops accepting, finishes what was accepted, delivers it, and closes sinks and the server. */
  async close(): Promise<void> {
    if (this.state === "closed") return;
    this.state = "closing";
    const server = this.server;
    const stopped = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    await this.queue.close();
    await Promise.all([...this.sinks.values()].map((sink) => sink.close?.()));
    if (server && "closeAllConnections" in server) server.closeAllConnections();
    await stopped;
    this.state = "closed";
  }

  private async dispatch(event: IncomingEvent): Promise<void> {
    this.metrics.queueSize.set(this.queue.size);
    let result: DispatchResult;
    try {
      result = await this.engine.handle(event);
    } catch (error) {
      this.metrics.dispatchErrors.inc();
      this.logger.error({ event: event.id, source: event.source, reason: errorMessage(error) }, "dispatch failed");
      return;
    }
    for (const run of result.runs) {
      this.metrics.playbookRuns.inc({ playbook: run.playbook, outcome: run.outcome });
      this.metrics.playbookSeconds.observe({ playbook: run.playbook }, run.durationMs / 1000);
      for (const action of run.actions) this.metrics.actionRuns.inc({ action: action.action, outcome: action.outcome });
    }
    await this.deliver(result.findings);
    this.config.onDispatched?.(event, result);
  }

  /** Each sink gets its findings in order; a failing sink is logged and counted and never stops another. */
  private async deliver(findings: ReadonlyMap<string, readonly Finding[]>): Promise<void> {
    await Promise.all(
      [...findings].map(async ([name, list]) => {
        const sink = this.sinks.get(name)!;
        for (const finding of list) {
          try {
            await sink.write(finding);
            this.metrics.findings.inc({ sink: name, result: "delivered" });
          } catch (error) {
            this.metrics.findings.inc({ sink: name, result: "failed" });
            this.logger.error({ sink: name, finding: finding.title, fingerprint: finding.fingerprint, reason: errorMessage(error) }, "finding not delivered");
          }
        }
      }),
    );
  }

  private checkSinkNames(config: RuntimeConfig): void {
    const problems = config.playbooks.flatMap(({ data }) =>
      (data.sinks ?? [])
        .filter((name) => !this.sinks.has(name))
        .map((name) => `playbook ${data.name}: unknown sink "${name}" (configured: ${[...this.sinks.keys()].join(", ") || "none"})`),
    );
    if (problems.length > 0) throw new PlaybookLoadError(problems);
  }
}
