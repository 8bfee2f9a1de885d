/**
 * The runner: HTTP intake and in-process events go through one bounded queue into the engine;
 * the findings of each event are routed to sinks once, at the end (Robusta's semantics), and
 * queued on each sink's own delivery queue.
 */
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type { Hono } from "hono";
import { Gauge } from "prom-client";
import { z } from "zod";
import {
  ActionRegistry,
  AlertDeduplicator,
  ManualTriggerError,
  alertRelabelSchema,
  relabelAlert,
  type AlertRelabel,
  builtinActions,
  Engine,
  errorMessage,
  PlaybookLoadError,
  RateLimiter,
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
import type { DeliveryClock } from "./delivery/clock.js";
import { Delivery } from "./delivery/delivery.js";
import { BoundedQueue } from "./intake/queue.js";
import { createLogger } from "./logging.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { parseRuntimeOptions, type RuntimeOptions, type RuntimeOptionsInput } from "./options.js";
import { createApp } from "./server/app.js";
import { formatPath } from "./server/errors.js";
import { refusal, resultAnswer, triggerErrorAnswer, type TriggerAnswer, type TriggerBody } from "./server/trigger.js";
import type { Sink, SinkServices } from "./sinks/sink.js";
import { Scheduler } from "./scheduler/scheduler.js";
import { MemoryStateStore } from "./state/memory-store.js";
import { persistRateLimits, type RateLimitPersistence } from "./state/rate-limit-persistence.js";
import type { StateStore } from "./state/store.js";

/** What a configuration decides, and a reload replaces. */
export interface RuntimeSetup {
  readonly playbooks: readonly PlaybookDefinition[];
  /** Actions YAML playbooks may name, besides the built-in ones. */
  readonly actions?: readonly AnyAction[];
  readonly sinks: readonly Sink[];
  readonly globalConfig?: GlobalConfig;
  /** Robusta's `alertRelabel`: rules applied to every alert's labels as it arrives. */
  readonly alertRelabel?: readonly AlertRelabel[];
}

export interface RuntimeConfig extends RuntimeSetup {
  readonly cluster: Cluster;
  readonly options?: RuntimeOptionsInput;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Called with what each event came to, after delivery (the demo and tests watch it). */
  readonly onDispatched?: (event: IncomingEvent, result: DispatchResult) => void;
  /** Shared by every configuration the runner goes through; pass one restored from storage to keep limits across restarts. */
  readonly rateLimiter?: RateLimiter;
  /** The cluster's provider (GKE, EKS, ...), for triggers with k8s_providers. */
  readonly clusterProvider?: string;
  /**
   * Where scheduled jobs' states and rate-limit marks are kept across restarts (ConfigMaps in
   * production: see `openStateStore`); default: memory.
   */
  readonly state?: { readonly jobs: StateStore; readonly rateLimits: StateStore };
  /** Time for delivery retries and pacing; tests pass a virtual one. */
  readonly deliveryClock?: DeliveryClock;
}

/**
 * One configuration's engine, sinks and relabel rules. Each event is dispatched with the
 * generation current when it started, so a reload never mixes two configurations in one event;
 * sinks the new configuration dropped are closed once the old generation's events are delivered.
 */
interface Generation {
  readonly engine: Engine;
  readonly sinks: ReadonlyMap<string, Sink>;
  readonly alertRelabel: readonly AlertRelabel[];
  inFlight: number;
  drained?: () => void;
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
  readonly logger: Logger;
  readonly rateLimiter: RateLimiter;
  private current: Generation;
  private readonly queue: BoundedQueue<IncomingEvent>;
  private server: ServerType | undefined;
  private readonly probes: Probe[] = [];
  private readonly alertDedup: AlertDeduplicator | undefined;
  private readonly completions = new WeakMap<IncomingEvent, () => void>();
  private readonly scheduler: Scheduler;
  private readonly stores: { readonly jobs: StateStore; readonly rateLimits: StateStore };
  private rateLimitPersistence: RateLimitPersistence | undefined;
  private state: "created" | "listening" | "closing" | "closed" = "created";
  /** One start time for every configuration's engine: a reload is not a restart. */
  private readonly startedAt: Date;
  /** Manual runs going on; at most `workers` at once. */
  private manualRuns = 0;
  private readonly delivery: Delivery;

  constructor(private readonly config: RuntimeConfig) {
    this.options = parseRuntimeOptions({ ...config.options });
    this.logger = config.logger ?? createLogger(this.options.logLevel);
    this.metrics = createMetrics();
    this.delivery = this.createDelivery();
    this.rateLimiter = config.rateLimiter ?? new RateLimiter();
    this.startedAt = (config.clock ?? systemClock).now();
    this.current = this.generation(config);
    this.stores = config.state ?? { jobs: new MemoryStateStore(), rateLimits: new MemoryStateStore() };
    this.scheduler = new Scheduler({
      clock: config.clock ?? systemClock,
      store: this.stores.jobs,
      logger: this.logger,
      initialDelaySec: this.options.initialScheduleDelaySec,
      dispatch: async (event) => {
        if (!(await this.runEvent(event))) throw new Error("the intake queue is full");
      },
    });
    this.exportStateMetrics();
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
      trigger: (body) => this.trigger(body),
      sinkRequest: (name, request) => this.sinkRequest(name, request),
      admitAlerts: (events) => {
        const now = (this.config.clock ?? systemClock).now();
        const rules = this.current.alertRelabel;
        return events.map((event) => relabelAlert(event, rules)).filter((event) => this.alertDedup?.firstTime(event, now) ?? true);
      },
      notReady: () => [...(this.state === "listening" ? [] : [`runner is ${this.state}`]), ...this.probes.flatMap((p) => p.notReady())],
      unhealthy: () => [
        ...(this.state === "closing" || this.state === "closed" ? [`runner is ${this.state}`] : []),
        ...this.probes.flatMap((p) => p.unhealthy()),
      ],
    });
  }

  /** What the scheduler skipped and the state stores could not keep, read when /metrics is scraped. */
  private exportStateMetrics(): void {
    const { scheduler, stores } = this;
    const registers = [this.metrics.registry];
    new Gauge({
      name: "robusta_scheduled_runs_skipped",
      help: "Scheduled runs skipped since start because the playbook's previous run was still going.",
      registers,
      collect() {
        this.set(scheduler.skippedRuns);
      },
    });
    new Gauge({
      name: "robusta_state_entries_dropped",
      help: "Saved state entries (rate limits, scheduled jobs) dropped since start to keep a ConfigMap under its size limit, by store.",
      labelNames: ["store"] as const,
      registers,
      collect() {
        for (const [store, kept] of Object.entries(stores)) this.set({ store }, (kept as Partial<{ dropped: number }>).dropped ?? 0);
      },
    });
  }

  /** The engine of the current configuration. */
  get engine(): Engine {
    return this.current.engine;
  }

  /**
   * Switches to a new configuration. Throws, and keeps the current one running, when the new one
   * cannot be loaded. Events already being dispatched finish with the configuration they started with.
   */
  reload(setup: RuntimeSetup): void {
    const next = this.generation(setup);
    const previous = this.current;
    this.current = next;
    const kept = new Set(next.sinks.values());
    const retire = () => void this.delivery.retire([...previous.sinks.values()].filter((sink) => !kept.has(sink)));
    if (previous.inFlight === 0) retire();
    else previous.drained = retire;
    if (this.state === "listening") this.schedule();
    this.logger.info({ playbooks: next.engine.playbookNames.length, sinks: [...next.sinks.keys()] }, "configuration loaded");
  }

  /** Builds a configuration's engine and sinks; throws PlaybookLoadError when it cannot run. */
  private generation(setup: RuntimeSetup): Generation {
    const sinks = new Map(setup.sinks.map((sink) => [sink.name, sink]));
    checkSinkNames(setup, sinks);
    this.delivery.adopt(sinks.values());
    const defaultSinks = setup.sinks.filter((sink) => sink.isDefault).map((sink) => sink.name);
    const engine = new Engine({
      playbooks: setup.playbooks,
      actions: new ActionRegistry([...builtinActions, ...(setup.actions ?? [])]),
      cluster: this.config.cluster,
      logger: this.logger,
      clock: this.config.clock ?? systemClock,
      config: { cluster_name: this.options.clusterName, ...setup.globalConfig },
      defaultSinks,
      actionTimeoutMs: this.options.actionTimeoutMs,
      playbookTimeoutMs: this.options.playbookTimeoutMs,
      blockLimits: { maxTableRows: this.options.maxTableRows, maxFileBytes: this.options.maxFileKb * 1024 },
      rateLimiter: this.rateLimiter,
      startedAt: this.startedAt,
      ...(this.config.clusterProvider !== undefined && { clusterProvider: this.config.clusterProvider }),
    });
    if (defaultSinks.length === 0) {
      this.logger.warn({}, "no default sinks: findings of playbooks that name no sinks go nowhere");
    }
    return { engine, sinks, alertRelabel: parseRelabel(setup.alertRelabel), inFlight: 0 };
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

  /**
   * Queues one event and resolves once it has been dispatched and its findings delivered (the
   * scheduler waits so, to never start a job twice). False when the queue refused it.
   */
  async runEvent(event: IncomingEvent): Promise<boolean> {
    const done = new Promise<void>((resolve) => this.completions.set(event, resolve));
    if (!this.submit(event)) {
      this.completions.delete(event);
      return false;
    }
    await done;
    return true;
  }

  /**
   * Runs one action by hand (POST /api/trigger), synchronously as Robusta does, and delivers its
   * findings unless `no_sinks`. At most `workers` manual runs at once; beyond that, 503.
   */
  async trigger(body: TriggerBody): Promise<TriggerAnswer> {
    if (this.manualRuns >= this.options.workers) {
      return refusal(503, "BUSY", `${this.manualRuns} manual runs are going on, the most at once; retry later`);
    }
    const generation = this.current;
    const configured = [...generation.sinks.keys()];
    const unknown = (body.sinks ?? []).filter((name) => !generation.sinks.has(name));
    if (unknown.length > 0) {
      return refusal(400, "UNKNOWN_SINK", `unknown sink${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; configured: ${configured.join(", ") || "none"}`);
    }
    const targets = body.sinks ?? [...generation.sinks.values()].filter((sink) => sink.isDefault).map((sink) => sink.name);
    this.manualRuns++;
    generation.inFlight++;
    try {
      // With no sink to collect into, findings are still wanted for the answer.
      const result = await generation.engine.runAction({ action: body.action_name, params: body.action_params, sinks: targets.length > 0 ? targets : ["(response)"] });
      this.metrics.actionRuns.inc({ action: result.run.action, outcome: result.run.outcome });
      this.logger.info({ action: body.action_name, event: result.event.id, outcome: result.run.outcome, ...(result.run.error && { reason: result.run.error }) }, "manual action run");
      const deliveredTo = body.no_sinks ? [] : targets;
      if (deliveredTo.length > 0) await this.deliver(generation.sinks, new Map([...result.findings].filter(([sink]) => generation.sinks.has(sink))));
      return resultAnswer(result, body, this.options.clusterName, deliveredTo);
    } catch (error) {
      if (error instanceof ManualTriggerError) return triggerErrorAnswer(error);
      // Reading the object failed (no permission, the API server away): say so, not "internal error".
      this.logger.error({ action: body.action_name, reason: errorMessage(error) }, "manual action run failed before it started");
      return refusal(500, "ACTION_FAILED", `could not run ${body.action_name}: ${errorMessage(error)}`);
    } finally {
      this.manualRuns--;
      if (--generation.inFlight === 0) generation.drained?.();
    }
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

  /** Resolves when every queued event has been dispatched and every finding has a delivery outcome. */
  async idle(): Promise<void> {
    await this.queue.idle();
    await this.delivery.idle();
  }

  /** (Re)schedules the on_schedule playbooks of the current configuration. */
  private schedule(): void {
    this.scheduler.update(this.engine.scheduledJobs).catch((error: unknown) => this.logger.error({ reason: errorMessage(error) }, "cannot schedule the on_schedule playbooks"));
  }

  /** Restores saved rate limits, starts the scheduler and the HTTP server. */
  async listen(): Promise<{ url: string; port: number }> {
    const clock = this.config.clock ?? systemClock;
    this.rateLimitPersistence ??= await persistRateLimits({ limiter: this.rateLimiter, store: this.stores.rateLimits, clock, logger: this.logger });
    const address = await this.serve();
    this.schedule();
    this.delivery.start();
    return address;
  }

  private serve(): Promise<{ url: string; port: number }> {
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
    this.scheduler.stop();
    this.rateLimitPersistence?.stop();
    const server = this.server;
    const stopped = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    await this.queue.close();
    await this.delivery.close();
    await Promise.all([this.stores.jobs.close(), this.stores.rateLimits.close()]);
    if (server && "closeAllConnections" in server) server.closeAllConnections();
    await stopped;
    this.state = "closed";
  }

  private async dispatch(event: IncomingEvent): Promise<void> {
    this.metrics.queueSize.set(this.queue.size);
    const generation = this.current;
    generation.inFlight++;
    try {
      let result: DispatchResult;
      try {
        result = await generation.engine.handle(event);
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
      await this.deliver(generation.sinks, result.findings);
      this.config.onDispatched?.(event, result);
    } finally {
      if (--generation.inFlight === 0) generation.drained?.();
      this.completions.get(event)?.();
      this.completions.delete(event);
    }
  }

  /** Routes findings to the sinks and queues them; sending happens on each sink's own queue. */
  private deliver(sinks: ReadonlyMap<string, Sink>, findings: ReadonlyMap<string, readonly Finding[]>): Promise<void> {
    return this.delivery.deliver(sinks, findings);
  }

  private createDelivery(): Delivery {
    const { cluster } = this.config;
    const delivery = new Delivery({
      clusterName: this.options.clusterName,
      capacity: this.options.sinkQueueCapacity,
      concurrency: this.options.sinkConcurrency,
      retryBudgetMs: this.options.sinkRetryBudgetSec * 1000,
      drainTimeoutMs: this.options.sinkDrainTimeoutSec * 1000,
      logger: this.logger,
      metrics: this.metrics,
      ...(this.config.deliveryClock !== undefined && { clock: this.config.deliveryClock }),
      namespaceLabels: async (namespace) => (await cluster.get("Namespace", namespace))?.metadata?.labels,
      services: (sink, deliver) => this.sinkServices(sink, deliver),
    });
    new Gauge({
      name: "robusta_sink_queue_size",
      help: "Findings waiting in each sink's delivery queue.",
      labelNames: ["sink"] as const,
      registers: [this.metrics.registry],
      collect() {
        for (const [sink, size] of delivery.queueSizes()) this.set({ sink }, size);
      },
    });
    return delivery;
  }

  /** What a sink acting on its own gets: button presses run actions with the current configuration. */
  private sinkServices(sink: Sink, deliver: SinkServices["deliver"]): SinkServices {
    const logger = this.logger.child({ sink: sink.name });
    return {
      logger,
      deliver,
      runAction: async ({ action, params }) => {
        const result = await this.engine.runAction({ action, params, sinks: [sink.name], source: "callback" });
        this.metrics.actionRuns.inc({ action: result.run.action, outcome: result.run.outcome });
        logger.info({ action, event: result.event.id, outcome: result.run.outcome, ...(result.run.error && { reason: result.run.error }) }, "button pressed: action run");
        return result.findings.get(sink.name) ?? [];
      },
    };
  }

  /** A request a sink's service sends to the runner (Slack's interactivity), by sink name. */
  private async sinkRequest(name: string, request: Request): Promise<Response> {
    const sink = this.current.sinks.get(name);
    if (!sink?.handleRequest) {
      return Response.json({ success: false, msg: `no sink named "${name}" takes requests` }, { status: 404 });
    }
    return sink.handleRequest(request);
  }
}

function checkSinkNames(setup: RuntimeSetup, sinks: ReadonlyMap<string, Sink>): void {
  const problems = setup.playbooks.flatMap(({ data }) =>
    (data.sinks ?? [])
      .filter((name) => !sinks.has(name))
      .map((name) => `playbook ${data.name}: unknown sink "${name}" (configured: ${[...sinks.keys()].join(", ") || "none"})`),
  );
  if (problems.length > 0) throw new PlaybookLoadError(problems);
}
