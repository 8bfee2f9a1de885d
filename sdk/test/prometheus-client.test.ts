import { afterEach, describe, expect, it } from "vitest";
import {
  graphStepSeconds,
  prometheusApi,
  PrometheusApiError,
  PrometheusQueryError,
  prometheusParamsShape,
  queryPrometheus,
  queryPrometheusRange,
  sampleValue,
  seriesName,
  withAdditionalLabels,
  type PrometheusParams,
} from "../src/integrations/prometheus.js";
import { z } from "zod";
import { byPath, closeFakeServers, startFakeServer, type FakeServer } from "./fixtures/prometheus/server.js";

const ctx = { fetch: globalThis.fetch, signal: new AbortController().signal };
const params = (values: Record<string, unknown>): PrometheusParams => z.object(prometheusParamsShape).parse(values);

afterEach(closeFakeServers);

const prometheus = (routes: Parameters<typeof byPath>[0]): Promise<FakeServer> => startFakeServer(byPath(routes));

describe("queryPrometheus", () => {
  it("sends the query and time to /api/v1/query and returns the vector", async () => {
    const prom = await prometheus({ "/api/v1/query": "query-vector.json" });
    const result = await queryPrometheus(ctx, params({ prometheus_url: prom.url }), "up", new Date("2026-11-23T04:36:00Z"));
    expect(result).toEqual({
      resultType: "vector",
      result: [{ metric: { __name__: "up", instance: "127.0.0.1:19590", job: "prometheus" }, value: [1795408604.999, "1"] }],
    });
    expect(prom.requests).toHaveLength(1);
    expect(prom.requests[0]).toMatchObject({ method: "GET", path: "/api/v1/query" });
    expect(Object.fromEntries(prom.requests[0]!.query)).toEqual({ query: "up", time: "1795408560" });
  });

  it.each([
    ["query-scalar.json", { resultType: "scalar", result: [1795408605.013, "411"] }],
    ["query-string.json", { resultType: "string", result: [1795408605.02, "hello"] }],
    ["query-vector-empty.json", { resultType: "vector", result: [] }],
  ])("parses %s", async (fixture, expected) => {
    const prom = await prometheus({ "/api/v1/query": fixture });
    expect(await queryPrometheus(ctx, params({ prometheus_url: prom.url }), "q")).toEqual(expected);
  });

  it("parses a matrix from a range selector", async () => {
    const prom = await prometheus({ "/api/v1/query": "query-matrix.json" });
    const result = await queryPrometheus(ctx, params({ prometheus_url: prom.url }), "up[5s]");
    expect(result.resultType).toBe("matrix");
    expect(result.resultType === "matrix" && result.result[0]!.values).toHaveLength(5);
  });

  it("sends prometheus_auth as Authorization, the additional headers, and appends the query string", async () => {
    const prom = await prometheus({ "/api/v1/query": "query-vector.json" });
    await queryPrometheus(
      ctx,
      params({
        prometheus_url: `${prom.url}/`,
        prometheus_auth: "Bearer secret-token",
        prometheus_additional_headers: { "X-Scope-OrgID": "tenant-1" },
        prometheus_url_query_string: "?cluster=prod&dedup=true",
      }),
      "up",
    );
    const [request] = prom.requests;
    expect(request?.path).toBe("/api/v1/query");
    expect(request?.headers).toMatchObject({ authorization: "Bearer secret-token", "x-scope-orgid": "tenant-1" });
    expect(Object.fromEntries(request!.query)).toEqual({ query: "up", cluster: "prod", dedup: "true" });
  });

  it("lets prometheus_auth win over an Authorization among the additional headers", async () => {
    const prom = await prometheus({ "/api/v1/query": "query-vector.json" });
    await queryPrometheus(ctx, params({ prometheus_url: prom.url, prometheus_auth: "Bearer a", prometheus_additional_headers: { Authorization: "Bearer b" } }), "up");
    expect(prom.requests[0]?.headers.authorization).toBe("Bearer a");
  });

  it("adds prometheus_additional_labels to the query sent", async () => {
    const prom = await prometheus({ "/api/v1/query": "query-vector.json" });
    await queryPrometheus(ctx, params({ prometheus_url: prom.url, prometheus_additional_labels: { cluster: "prod" } }), 'rate(x{job="a"}[5m]) / y{}');
    expect(prom.requests[0]?.query.get("query")).toBe('rate(x{job="a", cluster="prod"}[5m]) / y{cluster="prod"}');
  });

  it("throws Prometheus's own error for a rejected query (400 bad_data, 422 execution)", async () => {
    const prom = await prometheus({ "/api/v1/query": "error-bad-data.400.json" });
    const error = await queryPrometheus(ctx, params({ prometheus_url: prom.url }), "up{").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusQueryError);
    expect(error).toMatchObject({ errorType: "bad_data", reason: 'invalid parameter "query": 1:4: parse error: unexpected end of input inside braces' });
    expect((error as Error).message).toBe(
      'Prometheus could not run the query "up{": bad_data: invalid parameter "query": 1:4: parse error: unexpected end of input inside braces',
    );

    const failing = await prometheus({ "/api/v1/query": "error-execution.422.json" });
    await expect(queryPrometheus(ctx, params({ prometheus_url: failing.url }), "a * on(job) b")).rejects.toThrow(
      /execution: multiple matches for labels: many-to-one matching must be explicit/,
    );
  });

  it("says what answered when the answer is not Prometheus's", async () => {
    const prom = await prometheus({ "/api/v1/query": { status: 200, body: '{"hello":"world"}' } });
    await expect(queryPrometheus(ctx, params({ prometheus_url: prom.url }), "up")).rejects.toThrow(
      'Prometheus answered /api/v1/query with something that is not its API\'s answer: {"hello":"world"}',
    );
    const odd = await prometheus({ "/api/v1/query": { status: 200, body: '{"status":"success","data":{"resultType":"streams","result":[]}}' } });
    await expect(queryPrometheus(ctx, params({ prometheus_url: odd.url }), "up")).rejects.toThrow(
      'Prometheus answered query with something that is not a query result: {"resultType":"streams","result":[]}',
    );
    await expect(queryPrometheus(ctx, params({ prometheus_url: `${prom.url}/prefix` }), "up")).rejects.toThrow("Prometheus answered 404: 404 page not found");
  });

  it("says to set globalConfig.prometheus_url when there is none", async () => {
    await expect(queryPrometheus(ctx, params({}), "up")).rejects.toThrow(/Prometheus is not configured: set globalConfig\.prometheus_url/);
  });

  it("names Prometheus when it cannot be reached", async () => {
    const prom = await prometheus({});
    const url = prom.url;
    await prom.close();
    await expect(queryPrometheus(ctx, params({ prometheus_url: url }), "up")).rejects.toThrow(`Prometheus (${url}) could not be reached`);
  });

  it("adds http:// to a URL without a scheme, as Robusta does", async () => {
    const prom = await prometheus({ "/api/v1/query": "query-vector.json" });
    await queryPrometheus(ctx, params({ prometheus_url: prom.url.replace("http://", "") }), "up");
    expect(prom.requests).toHaveLength(1);
  });
});

describe("prometheusApi", () => {
  it("returns the data of any API v1 path, with the same URL, headers and query string as queries", async () => {
    const prom = await prometheus({ "/api/v1/status/buildinfo": "status-buildinfo.json" });
    const data = await prometheusApi(ctx, params({ prometheus_url: prom.url, prometheus_auth: "Bearer t", prometheus_url_query_string: "tenant=a" }), "/api/v1/status/buildinfo");
    expect(data).toMatchObject({ version: "2.42.0+ds", goVersion: "go1.19.8" });
    expect(prom.requests[0]?.headers.authorization).toBe("Bearer t");
    expect(Object.fromEntries(prom.requests[0]!.query)).toEqual({ tenant: "a" });
  });

  it("throws Prometheus's error shape as a PrometheusApiError", async () => {
    const prom = await prometheus({ "/api/v1/query_range": "error-resolution.400.json" });
    const error = await prometheusApi(ctx, params({ prometheus_url: prom.url }), "/api/v1/query_range").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusApiError);
    expect(error).toMatchObject({ errorType: "bad_data", message: expect.stringMatching(/^Prometheus answered with an error: bad_data: exceeded maximum resolution/) });
  });
});

describe("queryPrometheusRange", () => {
  it("sends start, end and a step of 250 points per hour, and returns the series", async () => {
    const prom = await prometheus({ "/api/v1/query_range": "query-range-multi.json" });
    const series = await queryPrometheusRange(ctx, params({ prometheus_url: prom.url }), "sum by (handler) (prometheus_http_requests_total)", {
      start: new Date("2026-11-23T03:36:00Z"),
      end: new Date("2026-11-23T04:36:00Z"),
    });
    expect(series.map((s) => s.metric)).toEqual([
      { handler: "/-/ready" },
      { handler: "/api/v1/query" },
      { handler: "/api/v1/query_range" },
      { handler: "/metrics" },
    ]);
    expect(Object.fromEntries(prom.requests[0]!.query)).toEqual({
      query: "sum by (handler) (prometheus_http_requests_total)",
      start: "1795404960",
      end: "1795408560",
      step: "14.4",
    });
  });

  it("sends the step it is given", async () => {
    const prom = await prometheus({ "/api/v1/query_range": "query-range.json" });
    await queryPrometheusRange(ctx, params({ prometheus_url: prom.url }), "up", { start: new Date(0), end: new Date(60_000), step: "30s" });
    expect(prom.requests[0]?.query.get("step")).toBe("30s");
  });

  it("throws Prometheus's error for a range it refuses", async () => {
    const prom = await prometheus({ "/api/v1/query_range": "error-resolution.400.json" });
    await expect(queryPrometheusRange(ctx, params({ prometheus_url: prom.url }), "up", { start: new Date(0), end: new Date(), step: "1" })).rejects.toThrow(
      /bad_data: exceeded maximum resolution of 11,000 points per timeseries/,
    );
  });
});

describe("helpers", () => {
  it("chooses Robusta's graph steps: 250 points up to an hour, then a minute, then 5 minutes", () => {
    expect(graphStepSeconds(60 * 60_000)).toBe(14.4);
    expect(graphStepSeconds(60_000)).toBe(1);
    expect(graphStepSeconds(6 * 3_600_000)).toBe(60);
    expect(graphStepSeconds(3 * 24 * 3_600_000)).toBe(300);
    expect(graphStepSeconds(30 * 24 * 3_600_000)).toBe(864);
  });

  it("reads Prometheus's infinities and NaN", () => {
    expect([sampleValue("+Inf"), sampleValue("-Inf"), sampleValue("1.5e3")]).toEqual([Infinity, -Infinity, 1500]);
    expect(sampleValue("NaN")).toBeNaN();
  });

  it("writes series as Prometheus shows them", () => {
    expect(seriesName({ __name__: "up", instance: "a:9090", job: "p" })).toBe('up{instance="a:9090", job="p"}');
    expect(seriesName({ handler: "/metrics" })).toBe('{handler="/metrics"}');
    expect(seriesName({})).toBe("{}");
  });

  it("adds no labels to a bare metric name, or when add_additional_labels is off", () => {
    expect(withAdditionalLabels("up", params({ prometheus_additional_labels: { cluster: "prod" } }))).toBe("up");
    expect(withAdditionalLabels("up{}", params({ prometheus_additional_labels: { cluster: "prod" }, add_additional_labels: false }))).toBe("up{}");
  });
});
