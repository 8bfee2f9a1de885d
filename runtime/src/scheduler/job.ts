/**
 * One scheduled playbook: its identity, its saved state and when it runs next (Robusta's
 * `core/schedule`). Pure: times come in as epoch milliseconds.
 */
import { createHash } from "node:crypto";
import { nextCronRun, type OnScheduleParams } from "@robusta-ts/sdk";
import { z } from "zod";

/** A playbook and its on_schedule parameters, as `Engine.scheduledJobs` lists them. */
export interface ScheduledPlaybook {
  readonly playbook: string;
  readonly params: OnScheduleParams;
}

/** Robusta's JobState, saved per job. */
export const jobStateSchema = z.object({
  /** Runs started so far. */
  exec_count: z.number().int().nonnegative(),
  job_status: z.enum(["NEW", "RUNNING", "DONE"]),
  /** When the last run started, epoch seconds. */
  last_exec_time_sec: z.number(),
});
export type JobState = z.output<typeof jobStateSchema>;

export const NEW_JOB: JobState = { exec_count: 0, job_status: "NEW", last_exec_time_sec: 0 };

/** What the store keeps per job, under its id. */
export const savedJobSchema = z.object({
  job_id: z.string(),
  playbook: z.string(),
  scheduling_params: z.unknown(),
  state: jobStateSchema,
});
export type SavedJob = z.output<typeof savedJobSchema>;

/** JSON with object keys sorted, so equal parameters always hash alike. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The job's id: the playbook's name and a hash of its schedule. An edited schedule is a new job
 * that starts afresh (as in Robusta, whose id hashes the playbook); an unchanged one keeps its
 * state across reloads and restarts.
 */
export function jobIdOf(job: ScheduledPlaybook): string {
  return `${job.playbook}.${createHash("sha256").update(stableJson(job.params)).digest("hex").slice(0, 12)}`;
}

/** Whether a job that has started `execCount` runs has no more to run. */
export function isDone(params: OnScheduleParams, execCount: number): boolean {
  if (params.fixed_delay_repeat) return params.fixed_delay_repeat.repeat !== -1 && execCount >= params.fixed_delay_repeat.repeat;
  if (params.dynamic_delay_repeat) return execCount >= params.dynamic_delay_repeat.delay_periods.length;
  return false;
}

/** The wait, in ms, that precedes run number `execCount` (0-based) after the previous one; undefined for cron. */
function periodMs(params: OnScheduleParams, execCount: number): number | undefined {
  if (params.fixed_delay_repeat) return params.fixed_delay_repeat.seconds_delay * 1000;
  if (params.dynamic_delay_repeat) return (params.dynamic_delay_repeat.delay_periods[execCount] ?? 0) * 1000;
  return undefined;
}

/** Ms from `now` to the next cron time at or after `from`; undefined when there is none. */
function cronDelayMs(expression: string, now: number, from: number): number | undefined {
  const next = nextCronRun(expression, new Date(from - 1));
  return next === undefined ? undefined : next.getTime() - now;
}

/**
 * Ms to the first run of a job being scheduled (at start, after a restart, or when a reload adds
 * it): never less than `initialMs`, so an old and a new runner side by side in a rolling upgrade
 * do not both run it. A job that ran before waits out the rest of its period, so a restart
 * neither runs it early nor forgets its count.
 */
export function firstDelayMs(params: OnScheduleParams, state: JobState, now: number, initialMs: number): number | undefined {
  if (params.cron_schedule_repeat) return cronDelayMs(params.cron_schedule_repeat.cron_expression, now, now + initialMs);
  if (state.job_status === "NEW") {
    // Robusta waits only the initial delay before the first fixed-delay run.
    return params.dynamic_delay_repeat ? Math.max(periodMs(params, 0)!, initialMs) : initialMs;
  }
  return Math.max(state.last_exec_time_sec * 1000 + periodMs(params, state.exec_count)! - now, initialMs);
}

/** Ms from `now` to the run after the one due at `now`, given the state once that run has started. */
export function nextDelayMs(params: OnScheduleParams, state: JobState, now: number): number | undefined {
  if (params.cron_schedule_repeat) return cronDelayMs(params.cron_schedule_repeat.cron_expression, now, now + 1);
  return periodMs(params, state.exec_count);
}
