/** The ConfigMaps (in the installation namespace) that keep the runner's state across restarts. */

/** Scheduled playbooks' run counts and status; Robusta's name. */
export const SCHEDULED_JOBS_CONFIGMAP = "scheduled-jobs";
/** Rate-limit marks of triggers (crash loops, warning events, ...). */
export const RATE_LIMITS_CONFIGMAP = "robusta-rate-limits";
