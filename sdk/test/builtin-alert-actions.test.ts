import { describe, expect, it } from "vitest";
import { ActionRegistry, builtinActions, defaultEnricher, Engine, nameSilencer, type PlaybookDefinition, type TableBlock } from "../src/index.js";
import { alertEvent } from "../src/events/alertmanager.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";
import { TestContext } from "./support/test-context.js";

const crashLooping = () =>
  alertEvent(
    fixtures.alert({
      name: "KubePodCrashLooping",
      labels: { namespace: "prod", pod: "api-1" },
      annotations: { summary: "Pod is crash looping.", runbook_url: "https://runbooks.example/crash" },
    }),
  );

describe("default_enricher", () => {
  async function enrich(event = crashLooping(), params?: Parameters<typeof defaultEnricher>[2]) {
    const ctx = new TestContext();
    await defaultEnricher(event, ctx, params);
    return ctx;
  }

  it('adds no second "View Graph" link: the alert\'s finding has it', async () => {
    const ctx = await enrich();
    expect(ctx.blocks.filter((block) => block.type === "links")).toEqual([]);
  });

  it("adds the alert's labels as an \"Alert labels\" key/value table, in Slack's attachment", async () => {
    const ctx = await enrich();
    const labels = ctx.enrichments.find((e) => e.options.title === "Alert labels");
    expect(labels?.options).toMatchObject({ enrichmentType: "alert_labels", annotations: { attachment: "true" } });
    const table = labels?.blocks[0] as TableBlock;
    expect(table).toMatchObject({ type: "table", name: "Alert labels", headers: [] });
    expect(table.rows).toEqual([
      ["alertname", "KubePodCrashLooping"],
      ["severity", "warning"],
      ["namespace", "prod"],
      ["pod", "api-1"],
    ]);
  });

  it("adds no link when alertGeneratorLink is off, or when the alert has no generatorURL", async () => {
    const off = await enrich(crashLooping(), { alertGeneratorLink: false });
    expect(off.blocks.map((b) => b.type)).toEqual(["table"]);
    const noUrl = alertEvent({ ...fixtures.alert({ name: "Custom" }), generatorURL: "" });
    expect((await enrich(noUrl)).blocks.map((b) => b.type)).toEqual(["table"]);
  });

  it("adds the annotations as a table only with alertAnnotationsEnrichment", async () => {
    expect((await enrich()).enrichments.map((e) => e.options.title)).not.toContain("Alert annotations");
    const ctx = await enrich(crashLooping(), { alertAnnotationsEnrichment: true });
    const annotations = ctx.enrichments.find((e) => e.options.title === "Alert annotations");
    expect(annotations?.options).toMatchObject({ enrichmentType: "alert_labels", annotations: { attachment: "true" } });
    expect((annotations?.blocks[0] as TableBlock).rows).toEqual([
      ["summary", "Pod is crash looping."],
      ["runbook_url", "https://runbooks.example/crash"],
    ]);
  });
});

describe("name_silencer", () => {
  it("stops processing for a listed alert, and only for one", async () => {
    const listed = new TestContext();
    await nameSilencer(alertEvent(fixtures.alert({ name: "Watchdog" })), listed, { names: ["Watchdog", "InfoInhibitor"] });
    expect(listed.stopped).toBe(true);
    const other = new TestContext();
    await nameSilencer(crashLooping(), other, { names: ["Watchdog", "InfoInhibitor"] });
    expect(other.stopped).toBe(false);
  });

  it("requires names", async () => {
    await expect(nameSilencer(crashLooping(), new TestContext(), {} as { names: string[] })).rejects.toThrow(/name_silencer: names/);
  });

  describe("as Robusta's priority silencer before the default enricher", () => {
    const playbooks: PlaybookDefinition[] = [
      {
        data: {
          name: "CommonPrometheusAlertsSilencer",
          triggers: [{ name: "on_prometheus_alert", params: { status: "all" } }],
          actions: [{ name_silencer: { names: ["Watchdog", "KubeSchedulerDown", "KubeControllerManagerDown", "InfoInhibitor"] } }],
        },
      },
      {
        data: {
          name: "DefaultPrometheusAlertEnricher",
          triggers: [{ name: "on_prometheus_alert", params: { status: "all" } }],
          actions: [{ default_enricher: {} }],
        },
      },
    ];
    const engine = () =>
      new Engine({
        playbooks,
        actions: new ActionRegistry(builtinActions),
        cluster: new InMemoryCluster(),
        logger: new MemoryLogger(),
        clock: new FakeClock(),
        defaultSinks: ["slack"],
      });

    it("sends nothing for a silenced alert, firing or resolved", async () => {
      for (const status of ["firing", "resolved"] as const) {
        const result = await engine().handle(alertEvent(fixtures.alert({ name: "Watchdog", status })));
        expect(result.findings.size).toBe(0);
        expect(result.runs.map((run) => run.playbook)).toEqual(["CommonPrometheusAlertsSilencer"]);
      }
    });

    it("lets other alerts through to the default enricher", async () => {
      const result = await engine().handle(crashLooping());
      const [finding] = result.findings.get("slack") ?? [];
      expect(finding?.title).toBe("Pod is crash looping.");
      expect(finding?.enrichments.map((e) => e.title)).toContain("Alert labels");
    });
  });
});
