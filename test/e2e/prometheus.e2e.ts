/**
 * The Prometheus and Alertmanager actions against the real servers with-kube-local.sh starts:
 * Prometheus scraping itself every second (E2E_PROMETHEUS_URL) and Alertmanager
 * (E2E_ALERTMANAGER_URL). Each group is skipped when its variable is not set.
 */
import { describe, expect, it } from "vitest";
import {
  addSilence,
  customGraphEnricher,
  deleteSilence,
  getSilences,
  prometheusEnricher,
  type BaseEvent,
  type FileBlock,
  type MarkdownBlock,
  type TableBlock,
} from "@robusta-ts/sdk";
import { FakeClock, InMemoryCluster, MemoryLogger } from "@robusta-ts/sdk/testing";
import { linePaths, svgTexts } from "../../sdk/test/fixtures/prometheus/svg.js";
import { TestContext } from "../../sdk/test/support/test-context.js";
import { queryPrometheusRange } from "../../sdk/src/integrations/prometheus.js";
import { e2eEnv, uniqueSuffix, waitFor } from "./support.js";

const prometheusUrl = process.env.E2E_PROMETHEUS_URL || undefined;
const event = { source: "manual", id: "e2e" } as BaseEvent;

/** A context on the real network and the real time, with `config` as globalConfig. */
const context = (config: Record<string, unknown>) =>
  new TestContext(new InMemoryCluster(), config, new MemoryLogger(), new FakeClock(new Date()), globalThis.fetch);

describe.skipIf(!prometheusUrl)("Prometheus actions against a real Prometheus", () => {
  const config = { prometheus_url: prometheusUrl };

  /** Waits until Prometheus has scraped itself `samples` times in the last minute. */
  async function scraped(samples: number): Promise<void> {
    const ctx = context(config);
    await waitFor(
      async () => {
        const end = new Date();
        const series = await queryPrometheusRange(ctx, { ...config, add_additional_labels: true }, "up", { start: new Date(end.getTime() - 60_000), end, step: "1" });
        return (series[0]?.values.length ?? 0) >= samples;
      },
      { what: `${samples} scrapes of Prometheus by itself`, timeoutMs: 30_000, intervalMs: 500 },
    );
  }

  it("prometheus_enricher: an instant query of `up` as a table of series", async () => {
    await scraped(1);
    const ctx = context(config);
    await prometheusEnricher(event, ctx, { promqlQuery: "up" });
    const table = ctx.blocks[0] as TableBlock;
    expect(table.headers).toEqual(["labels", "value"]);
    const port = new URL(prometheusUrl!).port;
    expect(table.rows).toEqual([[`up{instance="127.0.0.1:${port}", job="prometheus"}`, "1"]]);
  });

  it("prometheus_enricher: a range query of prometheus_tsdb_head_series as a graph", async () => {
    await scraped(3);
    const ctx = context(config);
    await prometheusEnricher(event, ctx, { promqlQuery: "prometheus_tsdb_head_series", duration: { duration_minutes: 1 }, step: "1s" });
    expect(ctx.enrichments[0]?.options).toEqual({ title: "prometheus_tsdb_head_series", enrichmentType: "graph" });
    const graph = ctx.blocks[0] as FileBlock;
    expect(graph.filename).toBe("prometheus_tsdb_head_series.svg");
    const [line] = linePaths(graph.contents);
    expect((line?.match(/L/g) ?? []).length).toBeGreaterThanOrEqual(2);
  });

  it("prometheus_enricher: Prometheus's own error for bad PromQL", async () => {
    const ctx = context(config);
    await prometheusEnricher(event, ctx, { promqlQuery: "up{" });
    expect((ctx.blocks[0] as MarkdownBlock).text).toMatch(/^Prometheus could not run `up\{`: bad_data: .*parse error/);
  });

  it("custom_graph_enricher: Prometheus's memory in MiB", async () => {
    await scraped(3);
    const ctx = context(config);
    await customGraphEnricher(event, ctx, {
      promqlQuery: 'process_resident_memory_bytes{job="prometheus"}',
      graphTitle: "Prometheus memory",
      graphDurationMinutes: 1,
      chartValuesFormat: "Bytes",
    });
    expect(ctx.enrichments[0]?.options).toEqual({ title: "Prometheus memory", enrichmentType: "graph" });
    const graph = ctx.blocks[0] as FileBlock;
    expect(graph.filename).toBe("Prometheus memory.svg");
    expect(linePaths(graph.contents)).toHaveLength(1);
    const texts = svgTexts(graph.contents);
    expect(texts).toContain("Prometheus memory");
    expect(texts.some((text) => text.endsWith(" MiB"))).toBe(true);
  });
});

describe.skipIf(!e2eEnv.alertmanagerUrl)("silence actions against a real Alertmanager", () => {
  const config = { alertmanager_url: e2eEnv.alertmanagerUrl };

  /** The Silences table's row for `id`, by get_silences. */
  async function listed(id: string): Promise<readonly unknown[] | undefined> {
    const ctx = context(config);
    await getSilences(event, ctx);
    const table = ctx.blocks[0] as TableBlock | MarkdownBlock;
    return table.type === "table" ? table.rows.find((row) => row[0] === id) : undefined;
  }

  it("add_silence creates a silence that get_silences lists with its matchers, and delete_silence expires it", async () => {
    const alertname = `E2ESilence-${uniqueSuffix()}`;
    const created = context(config);
    await addSilence(event, created, {
      matchers: [
        { name: "alertname", value: alertname },
        { name: "namespace", value: "prod|staging", isRegex: true },
      ],
      durationMinutes: 30,
      createdBy: "robusta-ts e2e",
      comment: "silenced by the e2e test",
    });
    const table = created.blocks[0] as TableBlock;
    expect(table).toMatchObject({ name: "New Silence", headers: ["id"] });
    const id = String(table.rows[0]?.[0]);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const row = await listed(id);
    expect(row?.slice(1, 4)).toEqual(["active", "silenced by the e2e test", "robusta-ts e2e"]);
    expect(row?.[6]).toBe(`alertname="${alertname}", namespace=~"prod|staging"`);

    const deleted = context(config);
    await deleteSilence(event, deleted, { id });
    expect((deleted.blocks[0] as TableBlock).rows).toEqual([[id]]);
    expect((await listed(id))?.[1]).toBe("expired");
  });

  it("add_silence fails with Alertmanager's reason for a silence that ends before it starts", async () => {
    const ctx = context(config);
    await expect(
      addSilence(event, ctx, {
        matchers: [{ name: "alertname", value: `E2ESilence-${uniqueSuffix()}` }],
        startsAt: "2030-01-01T01:00:00Z",
        endsAt: "2030-01-01T00:00:00Z",
        createdBy: "robusta-ts e2e",
        comment: "refused",
      }),
    ).rejects.toThrow("Alertmanager could not create the silence: 400 Failed to create silence: start time must be before end time");
  });

  it("delete_silence fails for a silence Alertmanager does not know", async () => {
    await expect(deleteSilence(event, context(config), { id: "00000000-0000-0000-0000-000000000000" })).rejects.toThrow(/500 silence not found/);
  });
});
