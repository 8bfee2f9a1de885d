/**
 * What the alert enrichers need from Prometheus: single numbers and per-series numbers of instant
 * queries, and a note in the finding when there is no Prometheus to ask.
 */
import type { Context } from "../../../context.js";
import { markdown } from "../../../findings/blocks.js";
import { prometheusConfigured, queryPrometheus, sampleValue, type PrometheusParams } from "../../../integrations/prometheus.js";

/** One series of an instant query, its value as a number. */
export interface SeriesValue {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The series of an instant query at the clock's now; a scalar is one series without labels. */
export async function querySeries(ctx: Context, params: PrometheusParams, promql: string): Promise<SeriesValue[]> {
  const result = await queryPrometheus(ctx, params, promql, ctx.clock.now());
  switch (result.resultType) {
    case "vector":
      return result.result.map((series) => ({ metric: series.metric, value: sampleValue(series.value[1]) }));
    case "scalar":
      return [{ metric: {}, value: sampleValue(result.result[1]) }];
    default:
      throw new Error(`Prometheus answered ${JSON.stringify(promql)} with a ${result.resultType}, not a number per series`);
  }
}

/** The first series' value (Robusta's _get_query_value); undefined when the query returned nothing or NaN. */
export async function queryNumber(ctx: Context, params: PrometheusParams, promql: string): Promise<number | undefined> {
  const value = (await querySeries(ctx, params, promql))[0]?.value;
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

/**
 * Whether Prometheus is configured. When it is not, the action's `what` cannot be had: logged,
 * and said in the finding so the reader knows what to set.
 */
export function prometheusOrNote(params: Partial<PrometheusParams>, ctx: Context, action: string, what: string): boolean {
  if (prometheusConfigured(params)) return true;
  ctx.logger.warn({}, `${action}: Prometheus is not configured (globalConfig.prometheus_url), so no ${what}`);
  ctx.addEnrichment([markdown(`No ${what}: Prometheus is not configured (set globalConfig.prometheus_url).`)]);
  return false;
}

/** "87%", from a ratio. */
export const percent = (ratio: number): string => `${Math.round(ratio * 100)}%`;
