/** The scheduler of on_schedule playbooks. */
export { Scheduler, type SchedulerOptions, type ScheduledJobStatus } from "./scheduler.js";
export { jobIdOf, type ScheduledPlaybook, type JobState, type SavedJob } from "./job.js";
