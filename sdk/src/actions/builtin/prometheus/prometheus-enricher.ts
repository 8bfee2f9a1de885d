import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { markdown, table } from "../../../findings/blocks.js";
import { PrometheusQueryError, prometheusParamsShape, queryPrometheus, seriesName, type PrometheusParams } from "../../../integrations/prometheus.js";
import { defineAction } from "../../define.js";
import { parseTime, timeParam } from "./times.js";
import { addGraphEnrichment, drawGraph, prometheusGraph, type GraphWindow } from "./graph.js";

const durationSchema = z.union([
  z.strictObject({ duration_minutes: z.number().positive().describe("How many minutes back from now.") }),
  z.strictObject({ starts_at: timeParam, ends_at: timeParam.optional() }),
]);

function windowOf(duration: z.output<typeof durationSchema>, now: Date): GraphWindow {
  if ("duration_minutes" in duration) return { start: new Date(now.getTime() - duration.duration_minutes * 60_000), end: now };
  return { start: new Date(parseTime(duration.starts_at)), end: duration.ends_at ? new Date(parseTime(duration.ends_at)) : now };
}

/** An instant query's answer: a table of series, a graph of a range selector's samples, or the scalar. */
async function addInstantResult(ctx: Context, params: PrometheusParams, query: string): Promise<void> {
  const now = ctx.clock.now();
  const result = await queryPrometheus(ctx, params, query, now);
  const options = { title: query };
  switch (result.resultType) {
    case "vector":
      if (result.result.length === 0) {
        ctx.addEnrichment([markdown(`The query \`${query}\` returned no series.`)], options);
        return;
      }
      ctx.addEnrichment([table(result.result.map((s) => [seriesName(s.metric), s.value[1]]), { headers: ["labels", "value"], name: "Query result" })], options);
      return;
    case "matrix":
      addGraphEnrichment(ctx, drawGraph(result.result, { title: query, unnamedSeries: query }), query);
      return;
    case "scalar":
    case "string":
      ctx.addEnrichment([markdown(`\`${query}\` = ${result.result[1]}`)], options);
  }
}

/** prometheus_enricher: runs a PromQL query and adds its result. */
export const prometheusEnricher = defineAction({
  name: "prometheus_enricher",
  description:
    "Runs a PromQL query against Prometheus and adds the result, titled with the query: with `duration`, a range query drawn as a graph (an SVG file, enrichment type graph); without, an instant query as a table of series (labels, value), or the value of a scalar. A query Prometheus rejects (bad PromQL, a failed evaluation) adds its error instead; an unreachable or unconfigured Prometheus fails the action.",
  event: EventClasses.Base,
  params: z.object({
    ...prometheusParamsShape,
    promql_query: z.string().min(1).describe('The PromQL to run, e.g. "sum by (namespace) (kube_pod_info)".'),
    duration: durationSchema
      .optional()
      .describe(
        'Makes it a range query: { duration_minutes: 60 } for the last hour, or { starts_at, ends_at } as "2022-09-14 09:40:59 UTC" (ends_at defaults to now).',
      ),
    step: z
      .string()
      .optional()
      .describe('The range query\'s resolution as Prometheus takes it ("30s", "5m", "15"); by default about 250 points per hour.'),
  }),
  async run(event, params, ctx) {
    const query = params.promql_query;
    try {
      if (!params.duration) {
        await addInstantResult(ctx, params, query);
        return;
      }
      const window = windowOf(params.duration, ctx.clock.now());
      const graph = await prometheusGraph(ctx, params, { promql: query, title: query, window, ...(params.step && { step: params.step }) });
      addGraphEnrichment(ctx, graph, query);
    } catch (error) {
      // As Robusta: a query Prometheus rejects is shown in the finding, where its author will look.
      if (!(error instanceof PrometheusQueryError)) throw error;
      ctx.logger.warn({ query, errorType: error.errorType, reason: error.reason }, "prometheus_enricher: Prometheus rejected the query");
      ctx.addEnrichment([markdown(`Prometheus could not run \`${query}\`: ${error.errorType}: ${error.reason}`)], { title: query });
    }
  },
});
