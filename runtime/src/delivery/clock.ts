/**
 * Time for delivery: retries, backoff and pacing wait on it. Tests pass a virtual clock whose
 * `sleep` advances `now` at once, so "Slack answers 429 for 30 s" runs in milliseconds.
 */

export interface DeliveryClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it is aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemDeliveryClock: DeliveryClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** A clock whose sleeps pass at once, advancing its time: for tests. */
export class VirtualDeliveryClock implements DeliveryClock {
  /** Every sleep asked for, in order. */
  readonly sleeps: number[] = [];

  constructor(private time = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
    // Yield, so other lanes run between sleeps as they would in real time.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
