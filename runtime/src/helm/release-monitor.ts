/**
 * Polls Helm's release Secrets and turns what it sees into HelmReleaseEvents for the
 * on_helm_release_* triggers (Robusta reads them in its periodic discovery). Per release, only the
 * newest revision counts, and it is decoded only when its Secret changed. The monitor remembers
 * since when each release has been in its status, so on_helm_release_unhealthy can judge its
 * `duration`.
 *
 * What it reports, per poll: every release that is pending or uninstalling (the trigger decides
 * when it has been so long enough, and rate-limits), and every release that has just turned
 * failed, unknown or deployed. The first poll only takes stock of the latter: a release that
 * failed before the runner looked is not news. Nothing stops it: a list that fails is retried at
 * the next poll, a record that cannot be decoded is skipped; both are logged once and counted.
 */
import { randomUUID } from "node:crypto";
import { errorMessage, HELM_UNHEALTHY_STATUSES, type Clock, type HelmRelease, type HelmReleaseEvent, type Logger } from "@robusta-ts/sdk";
import { systemTimers, type TimerHandle, type Timers } from "../state/timers.js";
import { decodeHelmRelease, HELM_RELEASE_SECRET_TYPE, type HelmReleaseSecret } from "./release-codec.js";
import type { HelmSecretSource } from "./release-secrets.js";

/** Statuses reported once, when a release turns to them. */
const REPORTED_ON_CHANGE: readonly string[] = ["failed", "unknown", "deployed"];

/** What the monitor counts; the runner exports it as metrics. */
export interface HelmMonitorStats {
  polls: number;
  /** Polls whose list of Secrets failed. */
  listFailures: number;
  /** Release Secrets that could not be read (counted at every poll that met them). */
  decodeFailures: number;
  /** Events the intake queue refused; they are reported again at the next poll. */
  refusedEvents: number;
  /** Releases seen at the last poll. */
  releases: number;
}

export const newHelmMonitorStats = (): HelmMonitorStats => ({ polls: 0, listFailures: 0, decodeFailures: 0, refusedEvents: 0, releases: 0 });

export interface HelmReleaseMonitorOptions {
  readonly secrets: HelmSecretSource;
  /** Queues events for dispatch; false when none was queued (Runtime.submit). */
  readonly submit: (events: HelmReleaseEvent[]) => boolean;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Seconds between polls; default 30. */
  readonly intervalSec?: number;
  readonly timers?: Timers;
  /** Where to count; default: the monitor's own. */
  readonly stats?: HelmMonitorStats;
}

/** A release as the monitor last saw it. */
interface Tracked {
  /** Which version of its Secret it was decoded from, so an unchanged Secret is not decoded again. */
  readonly version: string;
  readonly release: HelmRelease;
  /** When the monitor first saw it in this status and revision, epoch ms. */
  readonly since: number;
}

/** The newest revision's Secret of each release, by "namespace/name"; `unreadable` gets the Secrets that are not release records. */
function newestRevisions(secrets: readonly HelmReleaseSecret[], unreadable: (secret: HelmReleaseSecret, reason: string) => void): Map<string, HelmReleaseSecret> {
  const newest = new Map<string, { secret: HelmReleaseSecret; revision: number }>();
  for (const secret of secrets) {
    if (secret.type !== HELM_RELEASE_SECRET_TYPE) continue;
    const labels = secret.metadata?.labels ?? {};
    const revision = Number(labels.version);
    if (!labels.name || !Number.isInteger(revision)) {
      unreadable(secret, "no name or version label");
      continue;
    }
    const key = `${secret.metadata?.namespace ?? ""}/${labels.name}`;
    const held = newest.get(key);
    if (!held || revision > held.revision) newest.set(key, { secret, revision });
  }
  return new Map([...newest].map(([key, { secret }]) => [key, secret]));
}

export class HelmReleaseMonitor {
  readonly stats: HelmMonitorStats;
  private readonly logger: Logger;
  private readonly timers: Timers;
  private readonly intervalMs: number;
  /** By "namespace/name": the releases that exist, so the map is as large as the cluster's release list. */
  private readonly tracked = new Map<string, Tracked>();
  /** Unreadable Secret versions already logged; kept to those still listed. */
  private reported = new Set<string>();
  private timer: TimerHandle | undefined;
  private running = false;
  private round = 0;
  private stockTaken = false;
  private listFailing = false;

  constructor(private readonly options: HelmReleaseMonitorOptions) {
    this.logger = options.logger.child({ component: "helm-monitor" });
    this.timers = options.timers ?? systemTimers;
    this.intervalMs = (options.intervalSec ?? 30) * 1000;
    this.stats = options.stats ?? newHelmMonitorStats();
  }

  /** Polls now, then every interval (counted from the end of the previous poll, so two never overlap). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.arm(0, ++this.round);
  }

  /** Stops polling; a poll in progress finishes but schedules no other. */
  stop(): void {
    this.running = false;
    this.round++;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** `round` ties the timer to one start(), so a poll still running across stop() and start() does not start a second chain. */
  private arm(ms: number, round: number): void {
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.poll().finally(() => {
        if (this.running && round === this.round) this.arm(this.intervalMs, round);
      });
    }, ms);
  }

  /** One look at the releases: what start() does every interval. Never rejects. */
  async poll(): Promise<void> {
    this.stats.polls++;
    let secrets: readonly HelmReleaseSecret[];
    try {
      secrets = await this.options.secrets();
    } catch (error) {
      this.stats.listFailures++;
      if (!this.listFailing) {
        this.logger.warn({ reason: errorMessage(error), retryInSec: this.intervalMs / 1000 }, "cannot list Helm release Secrets: Helm release triggers wait until they can be read");
      }
      this.listFailing = true;
      return;
    }
    if (this.listFailing) this.logger.info({}, "Helm release Secrets can be read again");
    this.listFailing = false;
    try {
      this.examine(secrets);
    } catch (error) {
      // A bug here must not end the polling.
      this.logger.error({ reason: errorMessage(error) }, "cannot examine Helm releases");
    }
  }

  private examine(secrets: readonly HelmReleaseSecret[]): void {
    const now = this.options.clock.now().getTime();
    const reported = new Set<string>();
    const unreadable = (secret: HelmReleaseSecret, reason: string) => {
      this.stats.decodeFailures++;
      const id = `${secret.metadata?.namespace ?? ""}/${secret.metadata?.name ?? ""}@${secret.metadata?.resourceVersion ?? ""}`;
      if (!this.reported.has(id)) this.logger.warn({ secret: id.replace(/@.*/, ""), reason }, "cannot read a Helm release Secret: skipped");
      reported.add(id);
    };
    const events: HelmReleaseEvent[] = [];
    /** Releases reported because they just changed, by key. */
    const changes: string[] = [];
    const seen = new Set<string>();
    for (const [key, secret] of newestRevisions(secrets, unreadable)) {
      seen.add(key);
      const previous = this.tracked.get(key);
      const version = secret.metadata?.resourceVersion ?? secret.data?.release ?? "";
      let release = previous?.version === version ? previous.release : undefined;
      if (!release) {
        try {
          release = decodeHelmRelease(secret.data?.release ?? "");
        } catch (error) {
          unreadable(secret, errorMessage(error));
          continue; // what was known of the release stays, since included
        }
      }
      const changed = !previous || previous.release.status !== release.status || previous.release.revision !== release.revision;
      const since = changed ? now : previous.since;
      this.tracked.set(key, { version, release, since });
      const unhealthy = HELM_UNHEALTHY_STATUSES.includes(release.status);
      const news = !unhealthy && changed && this.stockTaken && REPORTED_ON_CHANGE.includes(release.status);
      if (unhealthy || news) events.push({ source: "helm", id: randomUUID(), helmRelease: release, statusSince: new Date(since).toISOString() });
      if (news) changes.push(key);
    }
    for (const key of this.tracked.keys()) if (!seen.has(key)) this.tracked.delete(key);
    this.reported = reported;
    this.stockTaken = true;
    this.stats.releases = this.tracked.size;
    this.logger.debug({ secrets: secrets.length, releases: this.tracked.size, events: events.length }, "looked at Helm releases");
    if (events.length > 0 && !this.options.submit(events)) {
      this.stats.refusedEvents += events.length;
      // Changes are reported once: forget those releases, so the next poll sees them as new and reports them again.
      for (const key of changes) this.tracked.delete(key);
    }
  }
}
