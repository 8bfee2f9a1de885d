import { z } from "zod";
import { eventEnricherParams } from "../events-table.js";

/** Robusta's ExtendedEventEnricherParams: the events of a resource, or of its pods. */
export const extendedEventEnricherParams = eventEnricherParams.extend({
  dependent_pod_mode: z.boolean().default(false).describe("Show the events of the resource's pods instead of (or, for resource_events_enricher, as well as) its own."),
  max_pods: z.number().int().positive().default(1).describe("With dependent_pod_mode, the events of at most this many pods."),
});
