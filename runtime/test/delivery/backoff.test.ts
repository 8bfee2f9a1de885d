import { describe, expect, it } from "vitest";
import { backoffDelay, resolveBackoff } from "../../src/delivery/backoff.js";

describe("backoff", () => {
  it("defaults to 1 s doubling up to 60 s with 20 % jitter", () => {
    const backoff = resolveBackoff();
    expect(backoff).toEqual({ initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 0.2 });
    expect([1, 2, 3, 6, 7, 20].map((attempt) => backoffDelay(backoff, attempt, () => 0.5))).toEqual([1000, 2000, 4000, 32_000, 60_000, 60_000]);
  });

  it("keeps jitter within its share of the wait, and under the cap", () => {
    const backoff = resolveBackoff({ initialMs: 1000, maxMs: 5000 });
    expect(backoffDelay(backoff, 1, () => 0)).toBe(800);
    expect(backoffDelay(backoff, 1, () => 0.999_999)).toBe(1200);
    expect(backoffDelay(backoff, 10, () => 0)).toBe(4000);
    expect(backoffDelay(backoff, 10, () => 0.999_999)).toBe(5000);
  });

  it("keeps defaults for options given as undefined", () => {
    expect(resolveBackoff({ initialMs: 500, maxMs: undefined }).maxMs).toBe(60_000);
  });

  it("refuses options that make no sense", () => {
    expect(() => resolveBackoff({ factor: 0.5 })).toThrow(RangeError);
    expect(() => resolveBackoff({ initialMs: 2000, maxMs: 1000 })).toThrow(RangeError);
    expect(() => resolveBackoff({ jitter: 1.5 })).toThrow(RangeError);
  });
});
