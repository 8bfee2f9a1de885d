/**
 * Golden routing cases from scope-golden.yaml (Robusta's scope tests, ported, plus our own),
 * run through the router as a sink would see them.
 */
import { readFileSync } from "node:fs";
import { createFinding, type Finding, type FindingSource, type FindingType, type Severity } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { routingParamsSchema } from "../../src/routing/params.js";
import { Router } from "../../src/routing/router.js";

const labels = z.record(z.string(), z.string());
const checkFinding = z
  .object({
    title: z.string().default("test finding"),
    subject: z
      .object({
        name: z.string().nullable().default("pod-xxx-yyy"),
        namespace: z.string().nullable().default("default"),
        kind: z.string().nullable().default("pod"),
        node: z.string().nullable().default(null),
      })
      .strict()
      .prefault({}),
    labels: labels.default({}),
    annotations: labels.default({}),
    aggregation_key: z.string().default("OomKill"),
    severity: z.string().default("INFO"),
    source: z.string().default("NONE"),
    finding_type: z.string().default("ISSUE"),
  })
  .strict();

const goldenFile = z
  .object({
    tests: z.array(
      z
        .object({
          scope: z.unknown().optional(),
          match: z.unknown().optional(),
          checks: z.array(z.object({ message: z.string(), finding: checkFinding, namespace_labels: labels.optional(), expected: z.boolean() }).strict()).min(1),
        })
        .strict(),
    ),
  })
  .strict();

const golden = goldenFile.parse(parse(readFileSync(new URL("./scope-golden.yaml", import.meta.url), "utf8")));

function findingOf(spec: z.output<typeof checkFinding>): Finding {
  const { subject } = spec;
  return createFinding({
    title: spec.title,
    aggregationKey: spec.aggregation_key,
    severity: spec.severity as Severity,
    source: spec.source as FindingSource,
    findingType: spec.finding_type as FindingType,
    subject: {
      ...(subject.name !== null && { name: subject.name }),
      ...(subject.namespace !== null && { namespace: subject.namespace }),
      ...(subject.kind !== null && { subjectType: subject.kind }),
      ...(subject.node !== null && { node: subject.node }),
      labels: spec.labels,
      annotations: spec.annotations,
    },
  });
}

describe("routing golden cases", () => {
  golden.tests.forEach((test, i) => {
    const raw = { ...(test.scope !== undefined && { scope: test.scope }), ...(test.match !== undefined && { match: test.match }) };
    describe(`case ${i}: ${JSON.stringify(raw)}`, () => {
      const params = routingParamsSchema.parse(raw);
      for (const check of test.checks) {
        it(`${check.message} -> ${check.expected ? "accepted" : "rejected"}`, async () => {
          const logger = new MemoryLogger();
          const router = new Router({ clusterName: "test", now: () => 0, logger, namespaceLabels: async () => check.namespace_labels });
          const [outcome] = await router.route(new Map([["x", [findingOf(check.finding)]]]), new Map([["x", { name: "x", routing: params }]]));
          expect(outcome!.verdict === "deliver", outcome!.verdict === "skip" ? outcome!.detail : "delivered").toBe(check.expected);
          expect(logger.entries.filter((e) => e.level === "warn")).toEqual([]);
        });
      }
    });
  });

  it("covers every case of Robusta's scope_test_config.yaml and more", () => {
    expect(golden.tests.reduce((n, test) => n + test.checks.length, 0)).toBeGreaterThan(80);
  });
});
