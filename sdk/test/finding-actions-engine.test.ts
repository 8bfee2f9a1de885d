import { describe, expect, it } from "vitest";
import { ActionRegistry, builtinActions, Engine, type PlaybookDefinition, type TableBlock } from "../src/index.js";
import { alertEvent } from "../src/events/alertmanager.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";

function engine(playbooks: PlaybookDefinition[]) {
  return new Engine({
    playbooks,
    actions: new ActionRegistry(builtinActions),
    cluster: new InMemoryCluster(),
    logger: new MemoryLogger(),
    clock: new FakeClock(),
    defaultSinks: ["main"],
  });
}

const pod = fixtures.pod({ name: "web-0", namespace: "team-payments", labels: { app: "web" } });
const podUpdate = () => fixtures.change("update", { ...pod, metadata: { ...pod.metadata, resourceVersion: "2" } }, pod);

describe("create_finding and customise_finding in a YAML playbook", () => {
  it("shape the finding the sink receives", async () => {
    const result = await engine([
      {
        data: {
          name: "shaped",
          triggers: [{ name: "on_pod_update", params: {} }],
          actions: [
            { create_finding: { title: "Pod $name changed", aggregation_key: "PodChanged", severity: "LOW" } },
            { template_enricher: { template: "App: ${labels.app}" } },
            {
              customise_finding: {
                title: "[$namespace] $name was updated",
                severity: "HIGH",
                finding_label_rules: [{ source_fields: ["namespace"], regex: "team-(.+)", target_label: "team" }],
              },
            },
          ],
        },
      },
    ]).handle(podUpdate());
    const findings = result.findings.get("main") ?? [];
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({
      title: "[team-payments] web-0 was updated",
      severity: "HIGH",
      aggregationKey: "PodChanged",
      source: "KUBERNETES_API_SERVER",
      subject: { name: "web-0", namespace: "team-payments", subjectType: "pod", labels: { app: "web", team: "payments" } },
    });
    expect(finding?.enrichments.map((e) => e.title)).toEqual([undefined, "labels"]);
    expect(finding?.enrichments[0]?.blocks).toEqual([{ type: "markdown", text: "App: web" }]);
    expect((finding?.enrichments[1]?.blocks[0] as TableBlock).rows).toEqual([["team", "payments"]]);
  });

  it("customise_finding changes the alert's own finding when no action created one, keeping its fingerprint", async () => {
    const alert = fixtures.alert({ name: "HighLatency", fingerprint: "abc123", labels: { namespace: "shop" } });
    const result = await engine([
      {
        data: {
          name: "retitle",
          triggers: [{ name: "on_prometheus_alert", params: { alert_name: "HighLatency" } }],
          actions: [{ customise_finding: { title: "Latency is high in $namespace", aggregation_key: "Latency" } }],
        },
      },
    ]).handle(alertEvent(alert));
    const [finding] = result.findings.get("main") ?? [];
    expect(finding).toMatchObject({ title: "Latency is high in shop", aggregationKey: "Latency", fingerprint: "abc123", source: "PROMETHEUS" });
  });

  it("a silencer before the playbook's other actions keeps the finding from being created", async () => {
    const result = await engine([
      {
        data: {
          name: "silenced",
          triggers: [{ name: "on_prometheus_alert", params: {} }],
          actions: [{ severity_silencer: { severity: "warning" } }, { create_finding: { title: "never", aggregation_key: "Never" } }],
        },
      },
    ]).handle(alertEvent(fixtures.alert({ name: "Minor", labels: { severity: "warning" } })));
    expect(result.findings.size).toBe(0);
    expect(result.runs[0]?.actions.map((a) => a.action)).toEqual(["severity_silencer"]);
  });
});
