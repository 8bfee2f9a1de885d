import { markdown } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { dedupKey, Deduplicator } from "../../src/routing/dedup.js";
import { finding } from "./helpers.js";

describe("dedup", () => {
  const base = { title: "Crashing", fingerprint: "fp-1", description: "restarted 5 times" };

  it("keys on fingerprint, status, title, description and enrichments, not on id or times", () => {
    const key = dedupKey(finding(base));
    expect(dedupKey(finding({ ...base, startsAt: "2020-01-01T00:00:00Z" }))).toBe(key);
    expect(dedupKey(finding({ ...base, fingerprint: "fp-2" }))).not.toBe(key);
    expect(dedupKey(finding({ ...base, status: "resolved" }))).not.toBe(key);
    expect(dedupKey(finding({ ...base, title: "Crashing again" }))).not.toBe(key);
    expect(dedupKey(finding({ ...base, description: "restarted 6 times" }))).not.toBe(key);
    expect(dedupKey(finding({ ...base, enrichments: [{ blocks: [markdown("logs")], annotations: {} }] }))).not.toBe(key);
  });

  it("remembers at most maxEntries findings, forgetting the oldest", () => {
    const dedup = new Deduplicator(3);
    for (const title of ["a", "b", "c", "d"]) expect(dedup.admit(finding({ title }), 60, 0).fresh).toBe(true);
    expect(dedup.size).toBe(3);
    expect(dedup.admit(finding({ title: "d" }), 60, 1).fresh).toBe(false);
    expect(dedup.admit(finding({ title: "a" }), 60, 1).fresh).toBe(true); // forgotten
  });

  it("forgets findings once their interval is over", () => {
    const dedup = new Deduplicator();
    for (let i = 0; i < 100; i++) dedup.admit(finding({ title: `f${i}` }), 10, 0);
    dedup.admit(finding({ title: "later" }), 10, 10_000);
    expect(dedup.size).toBe(1);
  });
});
