/** A Prometheus range query drawn as a graph: the file block graph actions attach. */
import type { Context } from "../../../context.js";
import { file, type FileBlock } from "../../../findings/blocks.js";
import { queryPrometheusRange, sampleValue, type PrometheusParams, type PrometheusSeries } from "../../../integrations/prometheus.js";
import { renderGraphSvg, type ChartValuesFormat, type GraphMarker, type GraphSeries } from "./graph-svg.js";

/** The time range of a graph. */
export interface GraphWindow {
  readonly start: Date;
  readonly end: Date;
}

/**
 * Robusta's graph range: the last `durationMinutes` up to now, or, for an alert that started
 * earlier than that, everything since the alert started.
 */
export function graphWindow(now: Date, durationMinutes: number, alertStartsAt?: string): GraphWindow {
  const started = alertStartsAt ? Date.parse(alertStartsAt) : NaN;
  const sinceAlert = Number.isNaN(started) ? 0 : now.getTime() - started;
  return { start: new Date(now.getTime() - Math.max(durationMinutes * 60_000, sinceAlert)), end: now };
}

/** How to draw series. */
export interface GraphDrawing {
  readonly title: string;
  /** The x axis spans it; by default the data's own range. */
  readonly window?: GraphWindow;
  readonly format?: ChartValuesFormat;
  readonly markers?: readonly GraphMarker[];
  readonly hideLegend?: boolean;
  /** The legend of a series whose labels name nothing (`sum(...)`). */
  readonly unnamedSeries: string;
  /** Keep one series per pod/container/node, the kubelet's if several jobs report it (Robusta's filter_prom_jobs). */
  readonly onePerTarget?: boolean;
}

/** What to query and graph. */
export interface GraphRequest extends Omit<GraphDrawing, "unnamedSeries" | "window"> {
  readonly promql: string;
  readonly window: GraphWindow;
  /** The query's resolution as Prometheus takes it; by default from the window (graphStepSeconds). */
  readonly step?: string;
  /** By default the query. */
  readonly unnamedSeries?: string;
}

const TARGET_LABELS = ["container", "pod", "node"] as const;
const targetOf = (series: PrometheusSeries): string | undefined => TARGET_LABELS.map((label) => series.metric[label]).find((v) => v !== undefined);

/** A series' legend, as Robusta's: its container, pod or node, else its label values but the job. */
function legendOf(series: PrometheusSeries, unnamed: string): string {
  const target = targetOf(series);
  if (target !== undefined) return target;
  const values = Object.entries(series.metric)
    .filter(([key]) => key !== "job")
    .map(([, value]) => value);
  return values.length > 0 ? values.join(", ") : unnamed;
}

/** Orders a target's series: the kubelet's first, then by job name. */
const jobRank = (series: PrometheusSeries): string => `${series.metric.job === "kubelet" ? 0 : 1}${series.metric.job ?? ""}`;

/** One series per target: the kubelet's when it reports it, otherwise the first job's by name. */
function onePerTarget(series: readonly PrometheusSeries[]): PrometheusSeries[] {
  if (series.length <= 1) return [...series];
  const kept = new Map<string, PrometheusSeries>();
  const untargeted: PrometheusSeries[] = [];
  for (const candidate of series) {
    const target = targetOf(candidate);
    if (target === undefined) {
      untargeted.push(candidate);
      continue;
    }
    const current = kept.get(target);
    if (!current || jobRank(candidate) < jobRank(current)) kept.set(target, candidate);
  }
  return [...kept.values(), ...untargeted];
}

/** The series in the shape the renderer takes: times in ms, values as numbers. */
function toGraphSeries(series: readonly PrometheusSeries[], unnamed: string): GraphSeries[] {
  return series.map((s) => ({
    name: legendOf(s, unnamed),
    points: s.values.map(([time, value]) => [time * 1000, sampleValue(value)] as const),
  }));
}

/** A graph as Robusta names it: "<title>.svg"; path separators would make sinks save it elsewhere. */
export function graphFile(title: string, svg: string): FileBlock {
  const name = title.replace(/[/\\]/g, "_").replace(/\s+/g, " ").trim().slice(0, 120) || "graph";
  return file(`${name}.svg`, svg);
}

/** Draws series as an SVG file block. */
export function drawGraph(series: readonly PrometheusSeries[], drawing: GraphDrawing): FileBlock {
  const shown = drawing.onePerTarget ? onePerTarget(series) : series;
  const svg = renderGraphSvg(toGraphSeries(shown, drawing.unnamedSeries), {
    title: drawing.title,
    ...(drawing.format && { format: drawing.format }),
    ...(drawing.markers && { markers: drawing.markers }),
    ...(drawing.hideLegend !== undefined && { hideLegend: drawing.hideLegend }),
    ...(drawing.window && { timeRange: { start: drawing.window.start.getTime(), end: drawing.window.end.getTime() } }),
  });
  return graphFile(drawing.title, svg);
}

/** Runs the range query and draws it. Query errors are thrown (PrometheusQueryError when Prometheus rejected it). */
export async function prometheusGraph(ctx: Pick<Context, "fetch" | "signal">, params: PrometheusParams, request: GraphRequest): Promise<FileBlock> {
  const { promql, step, ...drawing } = request;
  const series = await queryPrometheusRange(ctx, params, promql, { ...request.window, ...(step && { step }) });
  return drawGraph(series, { ...drawing, unnamedSeries: request.unnamedSeries ?? promql });
}

/** Adds a graph as its own enrichment, titled with the graph's title. */
export function addGraphEnrichment(ctx: Context, graph: FileBlock, title: string): void {
  ctx.addEnrichment([graph], { title, enrichmentType: "graph" });
}
