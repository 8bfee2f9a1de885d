import { describe, expect, it } from "vitest";
import { AlertDeduplicator, alertEvent, relabelAlert } from "../src/index.js";
import { fixtures } from "../src/testing/index.js";

const at = (iso: string) => new Date(iso);

describe("alert relabelling", () => {
  const event = alertEvent(fixtures.alert({ name: "HighLatency", labels: { exported_namespace: "shop", service: "checkout" } }));

  it("adds a copy of a label, or renames it", () => {
    const added = relabelAlert(event, [{ source: "exported_namespace", target: "namespace", operation: "add" }]);
    expect(added.labels).toMatchObject({ namespace: "shop", exported_namespace: "shop" });
    const replaced = relabelAlert(event, [{ source: "service", target: "deployment", operation: "replace" }]);
    expect(replaced.labels.deployment).toBe("checkout");
    expect(replaced.labels.service).toBeUndefined();
    expect(replaced.alert.labels).toEqual(replaced.labels);
  });

  it("leaves the alert alone when the source label is absent", () => {
    expect(relabelAlert(event, [{ source: "nope", target: "x", operation: "add" }])).toBe(event);
  });
});

describe("alert dedup", () => {
  const firing = alertEvent(fixtures.alert({ name: "A", fingerprint: "f1", startsAt: "2026-01-01T00:00:00Z" }));
  const resolved = alertEvent({ ...firing.alert, status: "resolved", endsAt: "2026-01-01T00:30:00Z" });

  it("drops a replay of the same alert state within the TTL, keeping firing and resolved distinct", () => {
    const dedup = new AlertDeduplicator(2 * 3600 * 1000);
    expect(dedup.firstTime(firing, at("2026-01-01T00:00:01Z"))).toBe(true);
    expect(dedup.firstTime(firing, at("2026-01-01T01:00:00Z"))).toBe(false); // Alertmanager's repeat_interval resend
    expect(dedup.firstTime(resolved, at("2026-01-01T01:00:00Z"))).toBe(true);
    expect(dedup.firstTime(resolved, at("2026-01-01T01:00:05Z"))).toBe(false);
    expect(dedup.firstTime(firing, at("2026-01-01T02:00:02Z"))).toBe(true); // the TTL has passed
  });

  it("tells alerts apart by fingerprint and start", () => {
    const dedup = new AlertDeduplicator();
    const now = at("2026-01-01T00:00:01Z");
    expect(dedup.firstTime(firing, now)).toBe(true);
    expect(dedup.firstTime(alertEvent({ ...firing.alert, fingerprint: "f2" }), now)).toBe(true);
    expect(dedup.firstTime(alertEvent({ ...firing.alert, startsAt: "2026-01-01T00:05:00Z" }), now)).toBe(true);
  });

  it("holds at most its capacity, forgetting the oldest", () => {
    const dedup = new AlertDeduplicator(3600_000, 2);
    const now = at("2026-01-01T00:00:01Z");
    for (const fp of ["a", "b", "c"]) dedup.firstTime(alertEvent({ ...firing.alert, fingerprint: fp }), now);
    expect(dedup.size).toBe(2);
    expect(dedup.firstTime(alertEvent({ ...firing.alert, fingerprint: "a" }), now)).toBe(true); // forgotten
    expect(dedup.firstTime(alertEvent({ ...firing.alert, fingerprint: "c" }), now)).toBe(false);
  });
});
