/** Shared by the routing tests: parsed routing params and findings built from short specs. */
import { createFinding, type Finding, type FindingInit } from "@robusta-ts/sdk";
import { routingParamsSchema, type RoutingParams } from "../../src/routing/params.js";

/** Routing params as a sink entry would give them, parsed (throws on invalid ones). */
export const routing = (raw: Record<string, unknown> = {}): RoutingParams => routingParamsSchema.parse(raw);

/** A finding with sensible defaults for routing tests. */
export const finding = (init: Partial<FindingInit> = {}): Finding =>
  createFinding({
    title: "Crashing pod web-7d9f8b6c5-x2x4q",
    aggregationKey: "CrashLoopBackoff",
    ...init,
    subject: { name: "web-7d9f8b6c5-x2x4q", namespace: "prod", subjectType: "pod", ...init.subject },
  });

/** 2024-03-06T12:00:00Z, a Wednesday. */
export const WEDNESDAY_NOON_UTC = Date.UTC(2024, 2, 6, 12, 0, 0);
