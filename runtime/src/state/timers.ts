/**
 * Timers, injectable: the scheduler and the state store take them, so tests drive time with
 * vitest's fake timers (or their own) instead of waiting.
 */

/** What a timer call returns; only ever handed back to `clearTimeout`. */
export type TimerHandle = unknown;

export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The longest delay `setTimeout` takes; longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The process's timers, unref'd: a pending schedule or write never keeps the process alive. */
export const systemTimers: Timers = {
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref?.();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
