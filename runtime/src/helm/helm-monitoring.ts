/**
 * Whether the runner reads Helm releases: only while some playbook has an on_helm_release_*
 * trigger, and never with DISABLE_HELM_MONITORING (Robusta's chart sets it unless
 * `monitorHelmReleases`, since reading release records takes reading Secrets).
 */
import type { Clock, HelmReleaseEvent, IncomingEvent, Logger } from "@robusta-ts/sdk";
import { Gauge, type Registry } from "prom-client";
import type { Timers } from "../state/timers.js";
import { HelmReleaseMonitor, newHelmMonitorStats, type HelmMonitorStats } from "./release-monitor.js";
import type { HelmSecretSource } from "./release-secrets.js";

export interface HelmMonitoringOptions {
  /** False with DISABLE_HELM_MONITORING. */
  readonly enabled: boolean;
  /** HELM_MONITORING_INTERVAL_SEC. */
  readonly intervalSec: number;
  readonly secrets: HelmSecretSource;
  readonly submit: (events: HelmReleaseEvent[]) => boolean;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly timers?: Timers;
  /** Where to export the monitor's counts (the runner's /metrics). */
  readonly registry?: Registry;
}

/** What decides: the playbooks with a trigger on a source (the Engine has it). */
export interface PlaybookSources {
  playbooksOnSource(source: IncomingEvent["source"]): string[];
}

const systemClock: Clock = { now: () => new Date() };

export class HelmMonitoring {
  private monitor: HelmReleaseMonitor | undefined;
  private warned = false;
  /** Kept across monitors, so counts survive a reload that stops and restarts reading. */
  private readonly stats: HelmMonitorStats = newHelmMonitorStats();

  constructor(private readonly options: HelmMonitoringOptions) {
    if (options.registry) exportStats(options.registry, this.stats);
  }

  /** Whether releases are being read. */
  get active(): boolean {
    return this.monitor !== undefined;
  }

  /** Starts or stops reading Helm releases as the playbooks need: at start, and after each config reload. */
  update(engine: PlaybookSources): void {
    const playbooks = engine.playbooksOnSource("helm");
    if (playbooks.length === 0) {
      if (this.monitor) this.options.logger.info({}, "no playbook has a Helm release trigger any more: stopped reading Helm releases");
      this.stop();
      return;
    }
    if (!this.options.enabled) {
      if (!this.warned) {
        this.options.logger.warn({ playbooks }, "DISABLE_HELM_MONITORING is set: the Helm release triggers of these playbooks will not fire");
      }
      this.warned = true;
      return;
    }
    if (this.monitor) return;
    this.monitor = new HelmReleaseMonitor({
      secrets: this.options.secrets,
      submit: this.options.submit,
      logger: this.options.logger,
      clock: this.options.clock ?? systemClock,
      intervalSec: this.options.intervalSec,
      stats: this.stats,
      ...(this.options.timers && { timers: this.options.timers }),
    });
    this.monitor.start();
    this.options.logger.info({ playbooks, intervalSec: this.options.intervalSec }, "reading Helm releases");
  }

  stop(): void {
    this.monitor?.stop();
    this.monitor = undefined;
  }
}

/** The counts as gauges, read when /metrics is scraped. */
function exportStats(registry: Registry, stats: HelmMonitorStats): void {
  const registers = [registry];
  new Gauge({
    name: "robusta_helm_monitor_errors",
    help: "Helm release reads that failed since start, by stage: list (the Secrets could not be listed), decode (a release record could not be read).",
    labelNames: ["stage"] as const,
    registers,
    collect() {
      this.set({ stage: "list" }, stats.listFailures);
      this.set({ stage: "decode" }, stats.decodeFailures);
    },
  });
  new Gauge({
    name: "robusta_helm_releases",
    help: "Helm releases seen at the last look.",
    registers,
    collect() {
      this.set(stats.releases);
    },
  });
}
