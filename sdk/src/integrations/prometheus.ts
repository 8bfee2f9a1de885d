/**
 * Prometheus's HTTP API v1 (instant and range queries) through the context's `fetch`, with
 * Robusta's PrometheusParams: where Prometheus is, how to authenticate, extra headers, query-string
 * parameters and labels added to every query.
 */
import { z } from "zod";
import type { Context } from "../context.js";
import { HttpError, requestJson } from "./http.js";

/** Robusta's PrometheusParams, spread into the params of actions that query Prometheus; usually set in globalConfig. */
export const prometheusParamsShape = {
  prometheus_url: z
    .string()
    .optional()
    .describe('Prometheus\'s base URL, e.g. "http://prometheus-operated.monitoring:9090"; usually set once in globalConfig.'),
  prometheus_auth: z
    .string()
    .optional()
    .describe('Sent as the Authorization header of every Prometheus request, e.g. "Bearer <token>" or "Basic <base64>".'),
  prometheus_url_query_string: z
    .string()
    .optional()
    .describe('Query-string parameters appended to every Prometheus query URL, e.g. "cluster=prod&dedup=true".'),
  prometheus_additional_headers: z
    .record(z.string(), z.string())
    .optional()
    .describe('Extra HTTP headers for every Prometheus request, e.g. { "X-Scope-OrgID": "tenant-1" }.'),
  prometheus_additional_labels: z
    .record(z.string(), z.string())
    .optional()
    .describe('Labels added to every label selector of a query, e.g. { cluster: "prod" } for a Prometheus shared by several clusters.'),
  add_additional_labels: z.boolean().default(true).describe("Whether to add prometheus_additional_labels to the queries."),
};

/** The Prometheus settings of an action's parsed params. */
export type PrometheusParams = z.output<z.ZodObject<typeof prometheusParamsShape>>;

/** A sample: seconds since the epoch, and the value as Prometheus writes it ("1", "NaN", "+Inf"). */
const sample = z.tuple([z.number(), z.string()]);
const metric = z.record(z.string(), z.string());

const resultSchema = z.discriminatedUnion("resultType", [
  z.object({ resultType: z.literal("vector"), result: z.array(z.object({ metric, value: sample })) }),
  z.object({ resultType: z.literal("matrix"), result: z.array(z.object({ metric, values: z.array(sample) })) }),
  z.object({ resultType: z.literal("scalar"), result: sample }),
  z.object({ resultType: z.literal("string"), result: sample }),
]);

/** Every answer of the API v1 comes in this envelope. */
const envelopeSchema = z.union([
  z.object({ status: z.literal("success"), data: z.unknown() }),
  z.object({ status: z.literal("error"), errorType: z.string(), error: z.string() }),
]);

/** What a query returned, as Prometheus shapes it. */
export type PrometheusResult = z.output<typeof resultSchema>;
/** One series of a range query (a matrix). */
export type PrometheusSeries = Extract<PrometheusResult, { resultType: "matrix" }>["result"][number];

/** Prometheus answered with its error shape: bad parameters (`bad_data`), a failed evaluation (`execution`), a timeout. */
export class PrometheusApiError extends Error {
  constructor(
    readonly errorType: string,
    readonly reason: string,
    message = `Prometheus answered with an error: ${errorType}: ${reason}`,
  ) {
    super(message);
    this.name = "PrometheusApiError";
  }
}

/** Prometheus rejected a query: bad PromQL, a failed evaluation, a timeout. */
export class PrometheusQueryError extends PrometheusApiError {
  constructor(
    errorType: string,
    reason: string,
    readonly query: string,
  ) {
    super(errorType, reason, `Prometheus could not run the query ${JSON.stringify(query)}: ${errorType}: ${reason}`);
    this.name = "PrometheusQueryError";
  }
}

const SERVICE = "Prometheus";

/**
 * A service's configured base URL, without a trailing slash and, as Robusta takes it, with
 * http:// when it has no scheme; an error saying which globalConfig key to set when it is unset.
 */
export function configuredBaseUrl(url: string | undefined, service: string, setting: string, example: string): string {
  const trimmed = url?.trim();
  if (!trimmed) {
    throw new Error(`${service} is not configured: set globalConfig.${setting} (e.g. ${example}), or ${setting} in the action's parameters`);
  }
  return (/^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`).replace(/\/+$/, "");
}

/** Prometheus's base URL without a trailing slash; a clear error when none is configured. */
export function prometheusBaseUrl(params: PrometheusParams): string {
  return configuredBaseUrl(params.prometheus_url, SERVICE, "prometheus_url", "http://prometheus-operated.monitoring:9090");
}

/** Whether the params name a Prometheus to query. */
export function prometheusConfigured(params: Partial<PrometheusParams>): boolean {
  return Boolean(params.prometheus_url?.trim());
}

/** Header names in lower case, so a configured "Authorization" and prometheus_auth do not both go out. */
export function lowerCaseHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}

function headersOf(params: PrometheusParams): Record<string, string> {
  return {
    accept: "application/json",
    ...lowerCaseHeaders(params.prometheus_additional_headers),
    ...(params.prometheus_auth && { authorization: params.prometheus_auth }),
  };
}

/**
 * The query with prometheus_additional_labels added to each label selector, as Robusta does it:
 * every `}` gets `, name="value"` before it. A bare metric name (`up`) has no selector and gets none.
 */
export function withAdditionalLabels(query: string, params: PrometheusParams): string {
  const labels = Object.entries(params.prometheus_additional_labels ?? {});
  if (!params.add_additional_labels || labels.length === 0) return query;
  const extra = labels.map(([name, value]) => `, ${name}=${JSON.stringify(value)}`).join("");
  return query.replaceAll("}", `${extra}}`).replace(/\{\s*,\s*/g, "{");
}

/**
 * GETs an API v1 path ("/api/v1/rules") with the params' URL, auth, headers and query string, and
 * returns the `data` of Prometheus's answer. Its error shape (with a 4xx/5xx or not) is thrown as
 * a PrometheusApiError; anything else that is not its envelope as an Error saying what came.
 */
export async function prometheusApi(
  ctx: Pick<Context, "fetch" | "signal">,
  params: PrometheusParams,
  path: string,
  search: Readonly<Record<string, string>> = {},
): Promise<unknown> {
  const url = new URL(`${prometheusBaseUrl(params)}${path}`);
  for (const [key, value] of Object.entries(search)) url.searchParams.set(key, value);
  const extra = params.prometheus_url_query_string?.replace(/^\?/, "");
  const href = extra ? `${url.href}${url.search ? "&" : "?"}${extra}` : url.href;
  let body: unknown;
  try {
    body = await requestJson(ctx, SERVICE, href, { headers: headersOf(params) });
  } catch (error) {
    // Prometheus answers a rejected request with 400/422/503 and its error shape in the body.
    const parsed = error instanceof HttpError ? envelopeSchema.safeParse(parseJson(error.body)) : undefined;
    if (parsed?.success && parsed.data.status === "error") throw new PrometheusApiError(parsed.data.errorType, parsed.data.error);
    throw error;
  }
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) throw new Error(`${SERVICE} answered ${path} with something that is not its API's answer: ${JSON.stringify(body)?.slice(0, 200)}`);
  if (parsed.data.status === "error") throw new PrometheusApiError(parsed.data.errorType, parsed.data.error);
  return parsed.data.data;
}

async function callApi(ctx: Pick<Context, "fetch" | "signal">, params: PrometheusParams, endpoint: string, query: string, search: Record<string, string>): Promise<PrometheusResult> {
  let data: unknown;
  try {
    data = await prometheusApi(ctx, params, `/api/v1/${endpoint}`, search);
  } catch (error) {
    if (error instanceof PrometheusApiError) throw new PrometheusQueryError(error.errorType, error.reason, query);
    throw error;
  }
  const parsed = resultSchema.safeParse(data);
  if (!parsed.success) throw new Error(`${SERVICE} answered ${endpoint} with something that is not a query result: ${JSON.stringify(data)?.slice(0, 200)}`);
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const seconds = (date: Date): string => String(date.getTime() / 1000);

/** An instant query (`/api/v1/query`) at `time`, or at Prometheus's now. */
export function queryPrometheus(
  ctx: Pick<Context, "fetch" | "signal">,
  params: PrometheusParams,
  promql: string,
  time?: Date,
): Promise<PrometheusResult> {
  const query = withAdditionalLabels(promql, params);
  return callApi(ctx, params, "query", query, { query, ...(time && { time: seconds(time) }) });
}

/** A range query (`/api/v1/query_range`); `step` as Prometheus takes it ("15", "30s", "1m"), or chosen from the range. */
export async function queryPrometheusRange(
  ctx: Pick<Context, "fetch" | "signal">,
  params: PrometheusParams,
  promql: string,
  range: { start: Date; end: Date; step?: string },
): Promise<PrometheusSeries[]> {
  const query = withAdditionalLabels(promql, params);
  const step = range.step ?? String(graphStepSeconds(range.end.getTime() - range.start.getTime()));
  const result = await callApi(ctx, params, "query_range", query, { query, start: seconds(range.start), end: seconds(range.end), step });
  if (result.resultType !== "matrix") {
    throw new Error(`${SERVICE} answered the range query ${JSON.stringify(query)} with a ${result.resultType}, not a matrix`);
  }
  return result.result;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Robusta's step for graphs: 250 points up to an hour (as Prometheus's own /graph), one a minute
 * up to a day, one every 5 minutes up to a week, 3000 points beyond; never under a second.
 */
export function graphStepSeconds(durationMs: number): number {
  const duration = durationMs / 1000;
  const points =
    durationMs <= HOUR_MS ? 250 : durationMs <= DAY_MS ? Math.ceil(duration / 60) : durationMs <= 7 * DAY_MS ? Math.ceil(duration / 300) : 3000;
  return Math.max(duration / points, 1);
}

/** A sample's value as a number: Prometheus writes infinities as "+Inf" and "-Inf", which `Number` does not read. */
export function sampleValue(value: string): number {
  if (value === "+Inf" || value === "Inf") return Infinity;
  if (value === "-Inf") return -Infinity;
  return Number(value);
}

/** A series' labels as Prometheus shows them: `up{instance="x:9090", job="prometheus"}`. */
export function seriesName(labels: Readonly<Record<string, string>>): string {
  const { __name__: name = "", ...rest } = labels;
  const pairs = Object.entries(rest).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return pairs.length > 0 ? `${name}{${pairs.join(", ")}}` : name || "{}";
}
