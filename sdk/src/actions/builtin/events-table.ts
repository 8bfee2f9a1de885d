/** Kubernetes Events as a table for a finding, as the events enrichers show them. */
import { z } from "zod";
import { table, type TableBlock } from "../../findings/blocks.js";
import { eventRow } from "../../kubernetes/events.js";
import type { KubernetesEventObject } from "../../kubernetes/objects.js";

/** Robusta's EventEnricherParams. */
export const eventEnricherParams = z.object({
  max_events: z.number().int().positive().default(8).describe("Show at most this many events, the most recent."),
  included_types: z.array(z.string()).default(["Warning", "Normal"]).describe("Event types to show."),
});

/**
 * The most recent `maxEvents` of `events` of the included types, oldest first, as a table of
 * type, reason, time and message; undefined when none is left.
 */
export function eventsTable(
  events: readonly KubernetesEventObject[],
  options: { maxEvents: number; includedTypes: readonly string[]; name: string },
): TableBlock | undefined {
  const rows = events
    .map(eventRow)
    .filter((row) => options.includedTypes.includes(row.type))
    // By instant: timestamps come with different precisions, so strings do not sort.
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
    .slice(-options.maxEvents);
  if (rows.length === 0) return undefined;
  return table(
    rows.map((row) => [row.type, row.reason, row.time, row.count > 1 ? `${row.message} (x${row.count})` : row.message]),
    { headers: ["type", "reason", "time", "message"], name: options.name },
  );
}
