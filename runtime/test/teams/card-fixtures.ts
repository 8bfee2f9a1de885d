/** Representative findings for the Teams card renderer's tests. */
import { binaryFile, callback, createFinding, diff, divider, file, header, json, links, list, markdown, table, type Finding, type FindingInit } from "@robusta-ts/sdk";

const NOW = new Date("2026-03-01T10:00:00Z");
const at = (init: FindingInit): Finding => createFinding(init, NOW);

const prometheusInit: FindingInit = {
  title: "KubePodCrashLooping: pod prod/api-7d9f-x2x restarts > 3 times",
  aggregationKey: "KubePodCrashLooping",
  description: "Pod prod/api-7d9f-x2x is in *CrashLoopBackOff*, see <https://runbooks.example.com/crash|the runbook>.",
  severity: "HIGH",
  source: "PROMETHEUS",
  subject: { name: "api-7d9f-x2x", namespace: "prod", subjectType: "pod" },
  links: [{ name: "Prometheus graph", url: "https://prometheus.example.com/graph?g0.expr=up", type: "prometheus_generator_url" }],
  enrichments: [
    {
      title: "Alert labels",
      enrichmentType: "alert_labels",
      annotations: {},
      blocks: [
        table(
          [
            ["alertname", "KubePodCrashLooping"],
            ["namespace", "prod"],
            ["severity", "critical"],
          ],
          { name: "Alert labels" },
        ),
      ],
    },
    { title: "Why it restarts", annotations: {}, blocks: [markdown("The container exits with *code 1*.\nIt was _OOMKilled_ before.")] },
  ],
};

export const prometheusFiring = at(prometheusInit);
export const prometheusResolved = at({ ...prometheusInit, status: "resolved", severity: "HIGH" });

export const crashLog = Array.from({ length: 40 }, (_, i) => `2026-03-01T09:${String(i).padStart(2, "0")}:00Z level=error msg="connect to db:5432 failed" attempt=${i + 1}`).join("\n") + "\n";

export const crashLoop = at({
  title: "Crashing pod api-7d9f-x2x in namespace prod",
  aggregationKey: "CrashLoopBackoff",
  severity: "HIGH",
  source: "KUBERNETES_API_SERVER",
  subject: { name: "api-7d9f-x2x", namespace: "prod", subjectType: "pod", container: "api" },
  enrichments: [
    {
      title: "Container status",
      annotations: {},
      blocks: [
        table(
          [
            ["api", "CrashLoopBackOff", 7],
            ["sidecar", "Running", 0],
          ],
          { headers: ["container", "state", "restarts"] },
        ),
      ],
    },
    { title: "Logs", enrichmentType: "text_file", annotations: {}, blocks: [file("api.log", crashLog)] },
    { annotations: {}, blocks: [callback([{ text: "Restart pod", action: "delete_pod" }, { text: "Show logs", action: "logs_enricher" }])] },
  ],
});

export const otherBlocks = at({
  title: "Deployment api changed",
  aggregationKey: "ConfigurationChange/KubernetesResource/Change",
  severity: "INFO",
  source: "KUBERNETES_API_SERVER",
  findingType: "CONF_CHANGE",
  failure: false,
  enrichments: [
    {
      title: "Changes",
      annotations: {},
      blocks: [
        header("Spec changes"),
        diff({ kind: "Deployment", name: "api", namespace: "prod" }, [
          { path: "spec.replicas", old: 2, new: 3 },
          { path: "spec.template.spec.containers[0].image", old: "api:1.0", new: "api:1.1" },
        ]),
        divider(),
        list(["first *item*", "second <https://example.com|link>"]),
        json({ replicas: 3, strategy: { type: "RollingUpdate" } }),
        links([
          { text: "Dashboard", url: "https://grafana.example.com/d/1" },
          { text: "Runbook", url: "https://runbooks.example.com/api" },
        ]),
        binaryFile("graph.png", new Uint8Array(2048)),
      ],
    },
  ],
});
