/**
 * The watches of a runner or forwarder: one per resource that some trigger needs, shared by all
 * playbooks. Kinds the server does not serve are reported once and skipped, never fatal.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import type { KubernetesChangeEvent, Logger } from "@robusta-ts/sdk";
import type { Metrics } from "../metrics.js";
import type { KubeApiClient } from "./api-client.js";
import { Discovery } from "./discovery.js";
import { advancedFilter, namespaceAllowed, type NamespaceFilter } from "./filters.js";
import { builtinResource, type CustomResourceSpec, type ServedResource } from "./resources.js";
import { ResourceWatch } from "./resource-watch.js";

export interface WatchSettings {
  readonly namespaces: NamespaceFilter;
  /** kubewatch's ADVANCED_FILTERS: forward only the pod, job and event changes triggers act on. */
  readonly advancedFilters: boolean;
  readonly customResources: readonly CustomResourceSpec[];
  readonly idleTimeoutMs: number;
  /** A watch that has not worked for this long makes /healthz fail. */
  readonly staleAfterMs: number;
}

export interface WatchManagerOptions {
  readonly kubeConfig: KubeConfig;
  readonly client: KubeApiClient;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly settings: WatchSettings;
  readonly onChange: (change: KubernetesChangeEvent) => void;
}

export class WatchManager {
  private readonly watches: ResourceWatch[] = [];
  /** Kinds and custom resources asked for so far, served or not: each is looked at once. */
  private readonly started = new Set<string>();
  private readonly discovery: Discovery;

  constructor(private readonly options: WatchManagerOptions) {
    this.discovery = new Discovery(options.client);
  }

  /**
   * Starts a watch for each kind (and each custom resource: the configured ones and `customResources`)
   * the server serves and that is not watched yet; returns the kinds it started. Called again when
   * a reloaded configuration needs more.
   */
  async start(kinds: readonly string[], customResources: readonly CustomResourceSpec[] = []): Promise<string[]> {
    const { logger, settings } = this.options;
    const served: ServedResource[] = [];
    for (const kind of new Set(kinds)) {
      if (this.started.has(kind)) continue;
      this.started.add(kind);
      const type = builtinResource(kind);
      const resource = type && (await this.discovery.resolve(type));
      if (resource) served.push(resource);
      else logger.warn({ kind }, type ? "the API server does not serve this kind: not watched" : "unknown kind: not watched");
    }
    for (const spec of [...settings.customResources, ...customResources]) {
      const key = `${spec.group}/${spec.version}/${spec.resource}`;
      if (this.started.has(key)) continue;
      this.started.add(key);
      const resource = await this.discovery.resolveCustom(spec);
      if (resource) served.push(resource);
      else logger.warn({ resource: key }, "the API server does not serve this custom resource: not watched");
    }
    const watches = served.map((resource) => this.watch(resource));
    this.watches.push(...watches);
    for (const watch of watches) watch.start();
    return served.map((resource) => resource.type.kind);
  }

  async stop(): Promise<void> {
    await Promise.all(this.watches.map((watch) => watch.stop()));
  }

  /** Kinds whose initial list has not completed. */
  notReady(): string[] {
    return this.watches.filter((watch) => !watch.synced).map((watch) => `watch of ${watch.kind} has not synced`);
  }

  /** Kinds whose watch has not worked for longer than the threshold. */
  unhealthy(now = Date.now()): string[] {
    return this.watches
      .filter((watch) => watch.staleForMs(now) > this.options.settings.staleAfterMs)
      .map((watch) => `watch of ${watch.kind} has not worked for ${Math.round(watch.staleForMs(now) / 1000)} s${watch.error ? `: ${watch.error}` : ""}`);
  }

  private watch(resource: ServedResource): ResourceWatch {
    const { metrics, settings } = this.options;
    const kind = resource.type.kind;
    const watch: ResourceWatch = new ResourceWatch({
      resource,
      kubeConfig: this.options.kubeConfig,
      client: this.options.client,
      logger: this.options.logger,
      idleTimeoutMs: settings.idleTimeoutMs,
      accept: (obj) => namespaceAllowed(obj.metadata?.namespace, settings.namespaces),
      onRestart: (reason) => metrics.watchRestarts.inc({ kind, reason }),
      onRelist: () => metrics.watchRelists.inc({ kind }),
      onSynced: (objects) => {
        metrics.watchSynced.set({ kind }, 1);
        metrics.watchObjects.set({ kind }, objects);
      },
      onChange: (change) => {
        metrics.watchLastEvent.set({ kind }, Date.now() / 1000);
        metrics.watchObjects.set({ kind }, watch.size);
        const forwarded = !settings.advancedFilters || advancedFilter(change);
        metrics.watchEvents.inc({ kind, operation: change.operation, result: forwarded ? "forwarded" : "filtered" });
        if (forwarded) this.options.onChange(change);
      },
    });
    metrics.watchSynced.set({ kind }, 0);
    return watch;
  }
}
