import { describe, expect, it } from "vitest";
import { formatValue, renderGraphSvg, type GraphSeries } from "../src/actions/builtin/prometheus/graph-svg.js";
import { captured } from "./fixtures/prometheus/server.js";
import { lineStrokes, linePaths, svgTexts } from "./fixtures/prometheus/svg.js";

/** The series of a captured range query, as the renderer takes them. */
function fixtureSeries(name: string, legend: (metric: Record<string, string>) => string): GraphSeries[] {
  const body = JSON.parse(captured(name).body) as { data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
  return body.data.result.map((s) => ({ name: legend(s.metric), points: s.values.map(([t, v]) => [t * 1000, Number(v)] as const) }));
}

describe("renderGraphSvg", () => {
  const handlers = fixtureSeries("query-range-multi.json", (m) => m.handler ?? "");

  it("draws one line per series, through each of its samples, in its own colour", () => {
    const svg = renderGraphSvg(handlers, { title: "Requests" });
    expect(svg.startsWith("<svg")).toBe(true);
    const paths = linePaths(svg);
    expect(paths).toHaveLength(4);
    // A line through n samples is a move and n-1 segments.
    expect(paths.map((d) => (d.match(/L/g) ?? []).length + 1)).toEqual([16, 13, 12, 16]);
    expect(new Set(lineStrokes(svg)).size).toBe(4);
  });

  it("shows the title, and each series' name in the legend", () => {
    const texts = svgTexts(renderGraphSvg(handlers, { title: "sum by (handler) (prometheus_http_requests_total)" }));
    expect(texts).toContain("sum by (handler) (prometheus_http_requests_total)");
    expect(texts).toEqual(expect.arrayContaining(["/-/ready", "/api/v1/query", "/api/v1/query_range", "/metrics"]));
  });

  it("shows no legend with hideLegend", () => {
    const texts = svgTexts(renderGraphSvg(handlers, { title: "Requests", hideLegend: true }));
    expect(texts).not.toContain("/metrics");
  });

  it("formats the y axis: bytes in binary units, percentages, CPU millicores", () => {
    const memory = fixtureSeries("query-range-bytes.json", (m) => m.pod ?? "");
    expect(svgTexts(renderGraphSvg(memory, { title: "Memory", format: "Bytes" })).filter((t) => t.endsWith(" MiB")).length).toBeGreaterThan(2);
    const ratio: GraphSeries[] = [{ name: "node-1", points: [[0, 0.25], [60_000, 0.75]] }];
    expect(svgTexts(renderGraphSvg(ratio, { title: "Memory", format: "Percentage" }))).toEqual(expect.arrayContaining(["0.0%", "50.0%"]));
    const cpu = fixtureSeries("query-range-cpu.json", () => "prometheus");
    expect(svgTexts(renderGraphSvg(cpu, { title: "CPU", format: "CPUUsage" }))).toContain("1.0m");
  });

  it("shows times in UTC", () => {
    const texts = svgTexts(renderGraphSvg(handlers, { title: "Requests" }));
    // The samples run from 04:35:44 to 04:36:44 UTC.
    expect(texts).toEqual(expect.arrayContaining(["UTC", "04:36"]));
  });

  it("draws limits across the graph and a moment from the bottom up, named in the legend", () => {
    const memory = fixtureSeries("query-range-bytes.json", (m) => m.pod ?? "");
    const svg = renderGraphSvg(memory, {
      title: "Memory Usage for container app",
      format: "Bytes",
      markers: [
        { name: "Limit", value: 64 * 2 ** 20, direction: "horizontal" },
        { name: "OOM Kill Time", value: 1795408580_000, direction: "vertical" },
      ],
    });
    const paths = linePaths(svg);
    expect(paths).toHaveLength(3);
    const [limit, kill] = paths.slice(1).map((d) => [...d.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]));
    expect(limit![0]![1]).toBe(limit![1]![1]); // horizontal
    expect(kill![0]![0]).toBe(kill![1]![0]); // vertical
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(["Limit", "OOM Kill Time"]));
  });

  it('says "No data in this time range" for no series, and still draws the range', () => {
    const svg = renderGraphSvg([], { title: "CPU Usage for this pod", timeRange: { start: Date.parse("2026-01-01T00:00:00Z"), end: Date.parse("2026-01-01T01:00:00Z") } });
    expect(linePaths(svg)).toEqual([]);
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(["CPU Usage for this pod", "No data in this time range", "00:30"]));
  });

  it("leaves gaps for NaN and missing samples", () => {
    const svg = renderGraphSvg([{ name: "a", points: [[0, 1], [1000, 2], [2000, NaN], [3000, 3], [4000, 4]] }], { title: "Gaps" });
    expect(linePaths(svg)[0]).toMatch(/^M[\d.]+ [\d.]+L[\d.]+ [\d.]+M[\d.]+ [\d.]+L[\d.]+ [\d.]+$/);
  });

  it("escapes the title and shortens long legends", () => {
    const long = "x".repeat(100);
    const svg = renderGraphSvg([{ name: long, points: [[0, 1], [1000, 2]] }], { title: 'rate(x{a="<b>"}[5m])' });
    expect(svg).toContain("rate(x{a=&quot;&lt;b&gt;&quot;}[5m])");
    expect(svgTexts(svg)).toContain(`${"x".repeat(59)}…`);
  });
});

describe("formatValue", () => {
  it.each([
    [512, "Bytes", "512 Bytes"],
    [1536, "Bytes", "1.5 KiB"],
    [55754752, "Bytes", "53.2 MiB"],
    [2 * 2 ** 30, "Bytes", "2.0 GiB"],
    [0.423, "Percentage", "42.3%"],
    [0.25, "CPUUsage", "250.0m"],
    [0.0049999999999999906, "Plain", "0.005"],
    [360, "Plain", "360"],
  ] as const)("%s as %s is %s", (value, format, text) => {
    expect(formatValue(value, format)).toBe(text);
  });
});
