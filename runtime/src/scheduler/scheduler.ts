/**
 * Runs on_schedule playbooks (Robusta §3.7): one timer per job, a ScheduledEvent per run handed
 * to `dispatch`, and each job's run count and status kept in a StateStore so restarts and config
 * reloads continue where they left off. A run is counted (and saved) as it starts, so a runner
 * that dies mid-run does not run it again. A playbook never has two runs at once: a tick that
 * comes while its previous run is still going is skipped, logged and counted.
 */
import { randomUUID } from "node:crypto";
import type { Clock, Logger, ScheduledEvent } from "@robusta-ts/sdk";
import { errorMessage } from "@robusta-ts/sdk";
import type { StateStore } from "../state/store.js";
import { MAX_TIMER_MS, systemTimers, type TimerHandle, type Timers } from "../state/timers.js";
import { firstDelayMs, isDone, jobIdOf, NEW_JOB, nextDelayMs, savedJobSchema, type JobState, type SavedJob, type ScheduledPlaybook } from "./job.js";

export interface SchedulerOptions {
  readonly clock: Clock;
  /** Where job states are kept: a ConfigMap store in production (`scheduled-jobs`). */
  readonly store: StateStore;
  /** Runs the playbooks for one scheduled event; should not reject (a rejection is logged). */
  readonly dispatch: (event: ScheduledEvent) => Promise<void>;
  readonly logger: Logger;
  /** The least wait before a job's first run after start or reload; default 120 (INITIAL_SCHEDULE_DELAY_SEC). */
  readonly initialDelaySec?: number;
  readonly timers?: Timers;
}

/** A job as the scheduler holds it. */
interface Job {
  readonly id: string;
  readonly spec: ScheduledPlaybook;
  state: JobState;
  timer?: TimerHandle;
  /** When the next run is due, epoch ms. */
  dueAt?: number;
}

/** What `status()` reports per job. */
export interface ScheduledJobStatus {
  readonly id: string;
  readonly playbook: string;
  readonly state: JobState;
  /** When the next run is due; absent when the job is done. */
  readonly nextRunAt?: Date;
}

export class Scheduler {
  private readonly timers: Timers;
  private readonly initialMs: number;
  private readonly logger: Logger;
  private readonly jobs = new Map<string, Job>();
  /** Playbooks with a run in progress. */
  private readonly running = new Set<string>();
  /** Saved states by job id; read from the store on the first update. */
  private saved: Map<string, SavedJob> | undefined;
  /** Updates run one after another, so two never interleave. */
  private updates: Promise<void> = Promise.resolve();
  private stopped = false;
  private skipped = 0;

  constructor(private readonly options: SchedulerOptions) {
    this.timers = options.timers ?? systemTimers;
    this.initialMs = (options.initialDelaySec ?? 120) * 1000;
    this.logger = options.logger.child({ component: "scheduler" });
  }

  /** Ticks skipped because the playbook's previous run was still going, since start. */
  get skippedRuns(): number {
    return this.skipped;
  }

  /**
   * Schedules these jobs (at start, and again after every config reload): new ones start (or
   * resume from saved state), unchanged ones keep their timer, and jobs no longer listed are
   * stopped and their state deleted.
   */
  update(jobs: readonly ScheduledPlaybook[]): Promise<void> {
    const run = this.updates.then(() => this.apply(jobs));
    this.updates = run.catch(() => {});
    return run;
  }

  /** Cancels every timer; runs in progress finish. The store stays open: closing it is its owner's. */
  stop(): void {
    this.stopped = true;
    for (const job of this.jobs.values()) this.cancel(job);
  }

  /** The jobs and when each runs next. */
  status(): ScheduledJobStatus[] {
    return [...this.jobs.values()].map((job) => ({
      id: job.id,
      playbook: job.spec.playbook,
      state: { ...job.state },
      ...(job.dueAt !== undefined && { nextRunAt: new Date(job.dueAt) }),
    }));
  }

  private async apply(specs: readonly ScheduledPlaybook[]): Promise<void> {
    if (this.stopped) return;
    const saved = (this.saved ??= await this.loadSaved());
    if (this.stopped) return;
    const wanted = new Map(specs.map((spec) => [jobIdOf(spec), spec]));
    for (const job of this.jobs.values()) {
      if (wanted.has(job.id)) continue;
      this.cancel(job);
      this.jobs.delete(job.id);
      this.logger.info({ job: job.id, playbook: job.spec.playbook }, "unscheduled a removed or changed schedule");
    }
    for (const id of saved.keys()) {
      if (wanted.has(id)) continue;
      saved.delete(id);
      this.options.store.delete(id);
    }
    for (const [id, spec] of wanted) {
      if (this.jobs.has(id)) continue; // unchanged: keeps its timer and count
      const state = saved.get(id)?.state ?? NEW_JOB;
      const job: Job = { id, spec, state: { ...state } };
      this.jobs.set(id, job);
      if (!saved.has(id)) this.save(job);
      if (state.job_status === "DONE") {
        this.logger.info({ job: id, playbook: spec.playbook, runs: state.exec_count }, "scheduled playbook already done; not scheduling it");
        continue;
      }
      const delay = firstDelayMs(spec.params, state, this.now(), this.initialMs);
      this.arm(job, delay);
      this.logger.info(
        { job: id, playbook: spec.playbook, runs: state.exec_count, ...(job.dueAt !== undefined && { nextRunAt: new Date(job.dueAt).toISOString() }) },
        "scheduled playbook",
      );
    }
  }

  private async loadSaved(): Promise<Map<string, SavedJob>> {
    const saved = new Map<string, SavedJob>();
    for (const [id, value] of await this.options.store.load()) {
      const parsed = savedJobSchema.safeParse(value);
      if (parsed.success && parsed.data.job_id === id) saved.set(id, parsed.data);
      else this.options.store.delete(id);
    }
    return saved;
  }

  private save(job: Job): void {
    const saved: SavedJob = { job_id: job.id, playbook: job.spec.playbook, scheduling_params: job.spec.params, state: { ...job.state } };
    this.saved?.set(job.id, saved);
    this.options.store.set(job.id, saved);
  }

  /** Sets the job's one timer; a delay beyond what setTimeout takes is waited out in parts. */
  private arm(job: Job, delayMs: number | undefined): void {
    this.cancel(job);
    if (delayMs === undefined) {
      this.logger.warn({ job: job.id, playbook: job.spec.playbook }, "schedule has no next run; not scheduling it");
      return;
    }
    const delay = Math.max(0, delayMs);
    job.dueAt = this.now() + delay;
    const wait = (remaining: number) => {
      job.timer = this.timers.setTimeout(() => {
        job.timer = undefined;
        if (remaining > MAX_TIMER_MS) wait(remaining - MAX_TIMER_MS);
        else void this.tick(job);
      }, Math.min(remaining, MAX_TIMER_MS));
    };
    wait(delay);
  }

  private cancel(job: Job): void {
    if (job.timer !== undefined) this.timers.clearTimeout(job.timer);
    job.timer = undefined;
    job.dueAt = undefined;
  }

  private async tick(job: Job): Promise<void> {
    if (this.stopped || this.jobs.get(job.id) !== job) return;
    const now = this.now();
    const playbook = job.spec.playbook;
    if (this.running.has(playbook)) {
      this.skipped++;
      this.logger.warn({ job: job.id, playbook, skippedInAll: this.skipped }, "scheduled run skipped: the previous run is still going");
      this.arm(job, nextDelayMs(job.spec.params, job.state, now));
      return;
    }
    const runCount = job.state.exec_count;
    const done = isDone(job.spec.params, runCount + 1);
    job.state = { exec_count: runCount + 1, job_status: done ? "DONE" : "RUNNING", last_exec_time_sec: Math.round(now / 1000) };
    // Saved before the run: a runner that dies mid-run does not run it again after restart.
    this.save(job);
    if (done) {
      job.dueAt = undefined;
      this.logger.info({ job: job.id, playbook, runs: runCount + 1 }, "scheduled playbook done after this run");
    } else {
      this.arm(job, nextDelayMs(job.spec.params, job.state, now));
    }
    this.running.add(playbook);
    try {
      await this.options.dispatch({ source: "scheduler", id: randomUUID(), playbook, runCount });
    } catch (error) {
      this.logger.error({ job: job.id, playbook, runCount, reason: errorMessage(error) }, "scheduled run failed");
    } finally {
      this.running.delete(playbook);
    }
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }
}
