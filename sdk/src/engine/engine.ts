/**
 * The playbook loop (Robusta §3.4), pure: the runtime, the test harness and the demo all run
 * events through this. For each incoming event: playbooks in configured order; the first trigger
 * of each playbook that fires builds its event; all fired playbooks add to one set of findings,
 * returned at the end for delivery; a playbook's `stop` or an action's `stopProcessing()` ends
 * the loop; a failing or hanging playbook is recorded and never stops the others.
 */
import type { ActionRegistry } from "../actions/registry.js";
import type { Cluster } from "../cluster.js";
import type { Clock, Context, GlobalConfig, Logger } from "../context.js";
import type { BaseEvent, PrometheusAlertEvent } from "../events/model.js";
import { specializeChange } from "../events/specialize.js";
import { DEFAULT_BLOCK_LIMITS, type BlockLimits } from "../findings/bounds.js";
import type { Finding, Severity } from "../findings/finding.js";
import { checkPlaybook, formatProblemPath, type CheckedTrigger } from "../playbooks/check.js";
import type { PlaybookData, PlaybookDefinition } from "../playbooks/playbook.js";
import { triggerType as builtinTriggerType } from "../triggers/catalog.js";
import { ANY_KIND } from "../triggers/kubernetes.js";
import { onScheduleType, type OnScheduleParams } from "../triggers/schedule.js";
import { type IncomingEvent, type TriggerEnv, type TriggerType } from "../triggers/trigger.js";
import { errorMessage, TimeoutError, withTimeout } from "../util/timeout.js";
import { resolveAlertObjects } from "./alert-objects.js";
import { FindingsCollector } from "./findings-collector.js";
import { runManualAction, type ManualRunRequest, type ManualRunResult } from "./manual-run.js";
import { RateLimiter } from "./rate-limiter.js";
import { RunContext, type ActionRun } from "./run-context.js";

export interface EngineOptions {
  readonly playbooks: readonly PlaybookDefinition[];
  /** Actions YAML playbooks may name. */
  readonly actions: ActionRegistry;
  readonly cluster: Cluster;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly config?: GlobalConfig;
  /** How actions reach HTTP services (Prometheus, Alertmanager, webhooks); default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** Sinks of playbooks that name none (sinks with `default: true`). */
  readonly defaultSinks: readonly string[];
  /** Default 60 s. */
  readonly actionTimeoutMs?: number;
  /** How big a table, file or text an enrichment may carry (see DEFAULT_BLOCK_LIMITS). */
  readonly blockLimits?: Partial<BlockLimits>;
  /** A whole playbook run; default 300 s. */
  readonly playbookTimeoutMs?: number;
  readonly rateLimiter?: RateLimiter;
  readonly severityMap?: Readonly<Record<string, Severity>>;
  /** Trigger types beyond the built-in catalog. */
  readonly triggerTypes?: readonly TriggerType[];
  /** The cluster's provider ("GKE", "EKS", …: the runtime's detectProvider), for on_prometheus_alert's k8s_providers. */
  readonly clusterProvider?: string;
  /** When the runner started, for the Helm release triggers (see TriggerEnv.startedAt); default: when the engine was made. */
  readonly startedAt?: Date;
}

/** What became of one playbook run. */
export interface PlaybookRun {
  readonly playbook: string;
  readonly trigger: string;
  readonly outcome: "ok" | "failed" | "timed_out";
  readonly error?: string;
  readonly durationMs: number;
  readonly actions: readonly ActionRun[];
}

/** What one incoming event came to. */
export interface DispatchResult {
  /** Findings per sink name, in the order sinks were first targeted. */
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
  readonly runs: readonly PlaybookRun[];
}

/** Raised when playbooks cannot be loaded; lists every problem, each naming its playbook. */
export class PlaybookLoadError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Cannot load the playbooks:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "PlaybookLoadError";
  }
}

interface LoadedPlaybook {
  readonly data: PlaybookData;
  readonly triggers: readonly CheckedTrigger[];
  readonly run: (event: BaseEvent, ctx: Context) => unknown;
  /** The source keys its triggers listen on. */
  readonly keys: ReadonlySet<string>;
}

/** The kinds a loaded trigger needs watched: from its parameters when its type says so. */
const kindsOf = ({ type, params }: CheckedTrigger): readonly string[] => type.kindsOf?.(params) ?? type.kinds;

/** The key playbooks are indexed by: "kubernetes/Pod", "prometheus", "scheduler". */
function sourceKey(source: string, kind?: string): string {
  return kind === undefined ? source : `${source}/${kind}`;
}

/** The trigger environment of one incoming event; `playbook` is set before each playbook's triggers run. */
class EventTriggerEnv implements TriggerEnv {
  playbook = "";

  readonly clusterProvider?: string;

  constructor(
    private readonly rateLimiter: RateLimiter,
    readonly now: Date,
    clusterProvider: string | undefined,
    readonly startedAt: Date,
  ) {
    if (clusterProvider !== undefined) this.clusterProvider = clusterProvider;
  }

  markAndTest(key: string, seconds: number): boolean {
    return this.rateLimiter.markAndTest(key, seconds, this.now);
  }
}

export class Engine {
  private readonly playbooks: LoadedPlaybook[];
  /** The playbooks an incoming event's source key may fire, in configured order; filled as keys are met. */
  private readonly candidatesByKey = new Map<string, LoadedPlaybook[]>();
  private readonly rateLimiter: RateLimiter;
  private readonly config: GlobalConfig;
  private readonly startedAt: Date;
  private readonly blockLimits: BlockLimits;

  constructor(private readonly options: EngineOptions) {
    this.blockLimits = { ...DEFAULT_BLOCK_LIMITS, ...options.blockLimits };
    this.rateLimiter = options.rateLimiter ?? new RateLimiter();
    this.startedAt = options.startedAt ?? options.clock.now();
    this.config = options.config ?? {};
    const extraTypes = new Map((options.triggerTypes ?? []).map((type) => [type.name, type]));
    const problems: string[] = [];
    const names = new Set<string>();
    this.playbooks = [];
    for (const definition of options.playbooks) {
      const loaded = this.load(definition, (name) => extraTypes.get(name) ?? builtinTriggerType(name), problems);
      if (names.has(definition.data.name)) problems.push(`playbook ${definition.data.name}: two playbooks have this name`);
      names.add(definition.data.name);
      if (loaded) this.playbooks.push(loaded);
    }
    if (problems.length > 0) throw new PlaybookLoadError(problems);
  }

  /** The names of the loaded playbooks, in order. */
  get playbookNames(): string[] {
    return this.playbooks.map((p) => p.data.name);
  }

  /**
   * The built-in Kubernetes kinds some trigger needs watched (any-resource triggers aside: see
   * `watchesAnyKind`; custom resources: see `watchedCustomResources`).
   */
  get watchedKinds(): string[] {
    const kinds = this.playbooks.flatMap((p) =>
      p.triggers.flatMap((trigger) => (trigger.type.source === "kubernetes" && !trigger.type.customResourcesOf ? kindsOf(trigger) : [])),
    );
    return [...new Set(kinds.filter((kind) => kind !== ANY_KIND))];
  }

  /** The custom resources ("group/version/plural") some trigger needs watched, e.g. "argoproj.io/v1alpha1/rollouts". */
  get watchedCustomResources(): string[] {
    const resources = this.playbooks.flatMap((p) => p.triggers.flatMap(({ type, params }) => type.customResourcesOf?.(params) ?? []));
    return [...new Set(resources)];
  }

  /** The playbooks with an on_schedule trigger and its parameters: what the runner's scheduler runs. */
  get scheduledJobs(): { playbook: string; params: OnScheduleParams }[] {
    return this.playbooks.flatMap((p) =>
      p.triggers.filter(({ type }) => type.name === onScheduleType.name).map(({ params }) => ({ playbook: p.data.name, params: params as OnScheduleParams })),
    );
  }

  /** The playbooks with a trigger on events from `source` ("helm": what decides whether the runner reads Helm releases). */
  playbooksOnSource(source: IncomingEvent["source"]): string[] {
    return this.playbooks.filter((p) => p.triggers.some(({ type }) => type.source === source)).map((p) => p.data.name);
  }

  /** Whether some trigger fires on any kind (on_kubernetes_any_resource_*). */
  get watchesAnyKind(): boolean {
    return this.playbooks.some((p) => p.keys.has(sourceKey("kubernetes", ANY_KIND)));
  }

  private candidates(source: string, kind: string | undefined): LoadedPlaybook[] {
    const key = sourceKey(source, kind);
    let found = this.candidatesByKey.get(key);
    if (!found) {
      const any = source === "kubernetes" ? sourceKey(source, ANY_KIND) : key;
      found = this.playbooks.filter((p) => p.keys.has(key) || p.keys.has(any));
      this.candidatesByKey.set(key, found);
    }
    return found;
  }

  /**
   * Runs one action by hand, outside any playbook (POST /api/trigger): its event is built from
   * the parameters. Throws ManualTriggerError, before running anything, for what the caller can fix.
   */
  runAction(request: ManualRunRequest): Promise<ManualRunResult> {
    const { options } = this;
    return runManualAction(
      {
        actions: options.actions,
        cluster: options.cluster,
        logger: options.logger,
        clock: options.clock,
        config: this.config,
        fetch: options.fetch ?? globalThis.fetch,
        defaultSinks: options.defaultSinks,
        actionTimeoutMs: options.actionTimeoutMs ?? 60_000,
        blockLimits: this.blockLimits,
        ...(options.severityMap !== undefined && { severityMap: options.severityMap }),
      },
      request,
    );
  }

  /** Runs one incoming event through the playbooks and returns its findings. */
  async handle(incoming: IncomingEvent): Promise<DispatchResult> {
    const kind = incoming.source === "kubernetes" ? incoming.kind : undefined;
    const candidates = this.candidates(incoming.source, kind);
    const collector = new FindingsCollector(() => this.options.clock.now(), this.options.severityMap);
    const runs: PlaybookRun[] = [];
    if (candidates.length === 0) return { findings: collector.result(), runs };

    const event = incoming.source === "kubernetes" ? specializeChange(incoming) : incoming;
    const env = new EventTriggerEnv(this.rateLimiter, this.options.clock.now(), this.options.clusterProvider, this.startedAt);
    let resolvedAlert: Promise<PrometheusAlertEvent> | undefined;
    for (const playbook of candidates) {
      env.playbook = playbook.data.name;
      const fired = this.firstFiring(playbook, event, env);
      if (!fired) continue;
      let playbookEvent = fired.event;
      if (playbookEvent.source === "prometheus") {
        // Resolved once per alert, and only when some playbook wants it.
        resolvedAlert ??= resolveAlertObjects(playbookEvent as PrometheusAlertEvent, this.options.cluster, this.options.logger);
        playbookEvent = await resolvedAlert;
      }
      const { run, stop } = await this.runPlaybook(playbook, fired.trigger, playbookEvent, collector);
      runs.push(run);
      if (playbook.data.stop || stop) break;
    }
    return { findings: collector.result(), runs };
  }

  private firstFiring(playbook: LoadedPlaybook, event: IncomingEvent, env: TriggerEnv): { event: BaseEvent; trigger: string } | undefined {
    for (const trigger of playbook.triggers) {
      try {
        const fired = trigger.type.fires(event, trigger.params, env);
        if (fired) return { event: fired, trigger: trigger.type.name };
      } catch (error) {
        this.options.logger.error({ playbook: playbook.data.name, trigger: trigger.type.name, reason: errorMessage(error) }, "trigger failed");
      }
    }
    return undefined;
  }

  private async runPlaybook(
    playbook: LoadedPlaybook,
    trigger: string,
    event: BaseEvent,
    collector: FindingsCollector,
  ): Promise<{ run: PlaybookRun; stop: boolean }> {
    const name = playbook.data.name;
    const logger = this.options.logger.child({ playbook: name, event: event.id });
    const ctx = new RunContext({
      playbook: name,
      event,
      sinks: playbook.data.sinks ?? this.options.defaultSinks,
      collector,
      cluster: this.options.cluster,
      logger,
      clock: this.options.clock,
      config: this.config,
      fetch: this.options.fetch ?? globalThis.fetch,
      actionTimeoutMs: this.options.actionTimeoutMs ?? 60_000,
      blockLimits: this.blockLimits,
    });
    const started = performance.now();
    const timeoutMs = this.options.playbookTimeoutMs ?? 300_000;
    let outcome: PlaybookRun["outcome"] = "ok";
    let error: string | undefined;
    try {
      await withTimeout(Promise.resolve().then(() => playbook.run(event, ctx)), timeoutMs, `playbook ${name}`);
    } catch (thrown) {
      outcome = thrown instanceof TimeoutError ? "timed_out" : "failed";
      error = errorMessage(thrown);
      logger.error({ trigger, reason: error, ...(thrown instanceof Error && { stack: thrown.stack }) }, `playbook ${outcome === "timed_out" ? "timed out" : "failed"}`);
    } finally {
      ctx.seal();
    }
    const run: PlaybookRun = {
      playbook: name,
      trigger,
      outcome,
      ...(error !== undefined && { error }),
      durationMs: performance.now() - started,
      actions: ctx.actions,
    };
    return { run, stop: ctx.stopRequested };
  }

  private load(
    definition: PlaybookDefinition,
    typeOf: (name: string) => TriggerType | undefined,
    problems: string[],
  ): LoadedPlaybook | undefined {
    const { data } = definition;
    const checked = checkPlaybook(data, { triggerType: typeOf, action: (name) => this.options.actions.get(name), config: this.config }, definition.run !== undefined);
    for (const { path, message } of checked.problems) {
      problems.push(`playbook ${data.name}${path.length ? `, ${formatProblemPath(path)}` : ""}: ${message}`);
    }
    if (checked.problems.length > 0) return undefined;
    const actions = checked.actions;
    const run =
      definition.run ??
      (async (event: BaseEvent, ctx: Context) => {
        for (const { action, params } of actions) {
          if ((ctx as RunContext).stopRequested) break;
          await action(event, ctx, params);
        }
      });
    const triggers = checked.triggers;
    const keys = new Set(
      triggers.flatMap((trigger) => {
        const kinds = kindsOf(trigger);
        return kinds.length === 0 ? [sourceKey(trigger.type.source)] : kinds.map((kind) => sourceKey(trigger.type.source, kind));
      }),
    );
    return { data, triggers, run, keys };
  }
}
