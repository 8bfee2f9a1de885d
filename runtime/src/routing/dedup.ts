/**
 * A sink's `dedup_interval` (not in Robusta): a finding identical to one the sink took within the
 * interval is skipped. Identical means the same fingerprint, status, title, description and
 * enrichments, so a finding that changed (resolved, or with new evidence) still goes out. The
 * interval runs from the finding the sink took; skipped duplicates do not extend it.
 */
import { createHash } from "node:crypto";
import type { Finding } from "@robusta-ts/sdk";

/** Keys remembered per sink before the oldest are forgotten. */
export const DEFAULT_DEDUP_ENTRIES = 10_000;

/** What makes two findings the same for dedup, hashed. */
export function dedupKey(finding: Finding): string {
  const content = JSON.stringify([finding.fingerprint, finding.status, finding.title, finding.description ?? null, finding.enrichments]);
  return createHash("sha256").update(content).digest("base64url");
}

/** Remembers what one sink took, for `dedup_interval`; memory is bounded by `maxEntries`. */
export class Deduplicator {
  /** Key to when the sink took it; in the order they were taken, oldest first. */
  private readonly taken = new Map<string, number>();

  constructor(private readonly maxEntries: number = DEFAULT_DEDUP_ENTRIES) {}

  /** How many findings are remembered. */
  get size(): number {
    return this.taken.size;
  }

  /**
   * Whether `finding` is new: true (and remembered as taken at `nowMs`) unless an identical one
   * was taken within `intervalSec` seconds before. Returns when that was, for a duplicate.
   */
  admit(finding: Finding, intervalSec: number, nowMs: number): { readonly fresh: true } | { readonly fresh: false; readonly takenAt: number } {
    const windowMs = intervalSec * 1000;
    this.forgetBefore(nowMs - windowMs);
    const key = dedupKey(finding);
    const takenAt = this.taken.get(key);
    if (takenAt !== undefined && nowMs - takenAt < windowMs) return { fresh: false, takenAt };
    this.taken.delete(key);
    this.taken.set(key, nowMs);
    while (this.taken.size > this.maxEntries) this.taken.delete(this.taken.keys().next().value!);
    return { fresh: true };
  }

  /** Drops keys taken at or before `cutoff`: they are oldest first, so only the front is looked at. */
  private forgetBefore(cutoff: number): void {
    for (const [key, at] of this.taken) {
      if (at > cutoff) break;
      this.taken.delete(key);
    }
  }
}
