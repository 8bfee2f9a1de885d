/**
 * Line graphs of time series as SVG, drawn by echarts' server-side renderer. Pure: series in, SVG
 * text out, so a sink can turn the same SVG into a PNG.
 */
import { LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([LineChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

/** How the y axis shows values (Robusta's ChartValuesFormat). */
export const CHART_VALUES_FORMATS = ["Plain", "Bytes", "Percentage", "CPUUsage"] as const;
export type ChartValuesFormat = (typeof CHART_VALUES_FORMATS)[number];

/** One line: points of [milliseconds since the epoch, value]; null or a non-finite value leaves a gap. */
export interface GraphSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number | null])[];
}

/** A line drawn across the graph: a limit (horizontal, at a value) or a moment (vertical, at a time in ms). */
export interface GraphMarker {
  readonly name: string;
  readonly value: number;
  readonly direction: "horizontal" | "vertical";
}

export interface GraphOptions {
  readonly title: string;
  readonly format?: ChartValuesFormat;
  /** The time range queried, in ms: the x axis spans it even where there is no data. */
  readonly timeRange?: { readonly start: number; readonly end: number };
  readonly markers?: readonly GraphMarker[];
  readonly hideLegend?: boolean;
  readonly width?: number;
  readonly height?: number;
}

const BYTE_UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB"];

/** A value as the y axis shows it: "1.5 GiB", "42.0%", "250.0m" (CPU millicores), or the number. */
export function formatValue(value: number, format: ChartValuesFormat = "Plain"): string {
  if (!Number.isFinite(value)) return String(value);
  switch (format) {
    case "Bytes": {
      if (Math.abs(value) < 1024) return `${value} Bytes`;
      let scaled = value;
      let unit = -1;
      while (Math.abs(scaled) >= 1024 && unit < BYTE_UNITS.length - 1) {
        scaled /= 1024;
        unit += 1;
      }
      return `${scaled.toFixed(1)} ${BYTE_UNITS[unit]}`;
    }
    case "Percentage":
      return `${(value * 100).toFixed(1)}%`;
    case "CPUUsage":
      return `${(value * 1000).toFixed(1)}m`;
    case "Plain":
      return String(Number(value.toPrecision(6)));
  }
}

const MAX_LEGEND_CHARS = 60;
const LEGEND_GAP_PX = 20;
/** A legend row: its 14px items and the gap, which echarts also puts between rows. */
const LEGEND_ROW_PX = 14 + LEGEND_GAP_PX;
/** Roughly how wide a legend entry is: its icon, the gaps, and 12px text. */
const legendEntryPx = (name: string): number => 50 + name.length * 6.5;

function legendRows(names: readonly string[], width: number): number {
  let rows = 1;
  let used = 0;
  for (const name of names) {
    const entry = legendEntryPx(name);
    if (used > 0 && used + entry > width - 40) {
      rows += 1;
      used = 0;
    }
    used += entry;
  }
  return rows;
}

const truncate = (text: string): string => (text.length > MAX_LEGEND_CHARS ? `${text.slice(0, MAX_LEGEND_CHARS - 1)}…` : text);

/** The graph as an SVG document. Times are shown in UTC. */
export function renderGraphSvg(series: readonly GraphSeries[], options: GraphOptions): string {
  const width = options.width ?? 1280;
  const format = options.format ?? "Plain";
  let [minTime, maxTime, maxValue] = [Infinity, -Infinity, 0];
  for (const [time, value] of series.flatMap((s) => s.points)) {
    minTime = Math.min(minTime, time);
    maxTime = Math.max(maxTime, time);
    if (value !== null && Number.isFinite(value)) maxValue = Math.max(maxValue, value);
  }
  if (options.timeRange) [minTime, maxTime] = [options.timeRange.start, options.timeRange.end];
  if (!Number.isFinite(minTime)) [minTime, maxTime] = [0, 0];
  for (const marker of options.markers ?? []) if (marker.direction === "horizontal") maxValue = Math.max(maxValue, marker.value);

  const markerSeries = (options.markers ?? []).map((marker) => ({
    name: truncate(marker.name),
    points:
      marker.direction === "horizontal"
        ? [[minTime, marker.value] as const, [maxTime, marker.value] as const]
        : [[marker.value, 0] as const, [marker.value, maxValue] as const],
    dashed: true,
  }));
  const lines = [...series.map((s) => ({ name: truncate(s.name), points: s.points, dashed: false })), ...markerSeries];
  const showLegend = !options.hideLegend && lines.length > 0;
  const rows = showLegend ? legendRows(lines.map((l) => l.name), width) : 0;
  const height = (options.height ?? 500) + (rows > 1 ? (rows - 1) * LEGEND_ROW_PX : 0);

  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      useUTC: true,
      backgroundColor: "#ffffff",
      title: {
        text: options.title,
        left: "center",
        textStyle: { fontSize: 16, width: width - 40, overflow: "truncate" },
        ...(series.length === 0 && { subtext: "No data in this time range" }),
      },
      legend: { show: showLegend, bottom: 8, left: "center", type: "plain", itemGap: LEGEND_GAP_PX, data: lines.map((l) => l.name) },
      grid: { left: 90, right: 50, top: series.length === 0 ? 70 : 55, bottom: 30 + rows * LEGEND_ROW_PX },
      xAxis: { type: "time", name: "UTC", nameGap: 8, ...(options.timeRange && { min: minTime, max: maxTime }) },
      yAxis: { type: "value", axisLabel: { formatter: (value: number) => formatValue(value, format) } },
      series: lines.map((line) => ({
        name: line.name,
        type: "line",
        showSymbol: false,
        connectNulls: false,
        lineStyle: { width: line.dashed ? 1.5 : 2, ...(line.dashed && { type: "dashed" }) },
        data: line.points.map(([time, value]) => [time, value !== null && Number.isFinite(value) ? value : null]),
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
