/**
 * Exponential backoff with jitter for delivery retries. Jitter spreads retries of many items that
 * failed together (a sink outage) so they do not all hit the service again in the same instant.
 */

export interface BackoffOptions {
  /** The wait after the first failed attempt. Default 1000 ms. */
  readonly initialMs?: number;
  /** The longest wait backoff alone asks for (a Retry-After may be longer). Default 60000 ms. */
  readonly maxMs?: number;
  /** How much each wait grows over the one before. Default 2. */
  readonly factor?: number;
  /** How far a wait may stray from the exponential curve, as a fraction of it (0..1). Default 0.2. */
  readonly jitter?: number;
}

export type Backoff = Required<BackoffOptions>;

export const defaultBackoff: Backoff = { initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 0.2 };

/** The options with defaults filled in; throws a RangeError on values that make no sense. */
export function resolveBackoff(options: BackoffOptions = {}): Backoff {
  const backoff: Backoff = { ...defaultBackoff, ...definedOnly(options) };
  const { initialMs, maxMs, factor, jitter } = backoff;
  if (!Number.isFinite(initialMs) || initialMs < 0) throw new RangeError(`backoff initialMs must be 0 or more, not ${initialMs}`);
  if (!Number.isFinite(maxMs) || maxMs < initialMs) throw new RangeError(`backoff maxMs must be at least initialMs (${initialMs}), not ${maxMs}`);
  if (!Number.isFinite(factor) || factor < 1) throw new RangeError(`backoff factor must be 1 or more, not ${factor}`);
  if (!Number.isFinite(jitter) || jitter < 0 || jitter > 1) throw new RangeError(`backoff jitter must be between 0 and 1, not ${jitter}`);
  return backoff;
}

/**
 * The wait after failed attempt number `attempt` (1-based): initialMs·factor^(attempt−1), capped
 * at maxMs, then moved by up to ±jitter of itself (`random()` of 0.5 leaves it unchanged), and
 * never above maxMs. Whole milliseconds.
 */
export function backoffDelay(backoff: Backoff, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt - 1));
  const spread = base * backoff.jitter * (2 * random() - 1);
  return Math.round(Math.min(backoff.maxMs, Math.max(0, base + spread)));
}

/** Leaves out fields given as undefined, so they do not override the defaults. */
function definedOnly(options: BackoffOptions): BackoffOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
