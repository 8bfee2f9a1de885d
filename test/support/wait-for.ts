/**
 * Polls until `condition` holds (returns true, or a value other than false/undefined, which is
 * returned) and fails with `what` once `timeoutMs` has passed. For waiting on asynchronous
 * effects without fixed sleeps; the timeout is a safety net, never an assertion about speed.
 */
export async function waitFor<T>(what: string, condition: () => T | false | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value !== false && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
