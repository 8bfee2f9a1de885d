/** State kept across restarts: the stores, and what uses them besides the scheduler. */
export type { StateStore } from "./store.js";
export { MemoryStateStore } from "./memory-store.js";
export { ConfigMapStateStore, type ConfigMapStateStoreOptions } from "./configmap-store.js";
export { openStateStore, type OpenStateStoreOptions } from "./open-store.js";
export { persistRateLimits, type RateLimitPersistence, type RateLimitPersistenceOptions } from "./rate-limit-persistence.js";
export { SCHEDULED_JOBS_CONFIGMAP, RATE_LIMITS_CONFIGMAP } from "./names.js";
export { systemTimers, type Timers, type TimerHandle } from "./timers.js";
