/** Representative findings for the Slack renderer's tests. */
import {
  binaryFile,
  callback,
  createFinding,
  diff,
  divider,
  file,
  header,
  json,
  links,
  list,
  markdown,
  table,
  type Finding,
  type FindingInit,
} from "@robusta-ts/sdk";

const NOW = new Date("2026-03-01T10:00:00Z");
const at = (init: FindingInit): Finding => createFinding(init, NOW);

const alertLabels = table(
  [
    ["alertname", "KubePodCrashLooping"],
    ["namespace", "prod"],
    ["pod", "api-7d9f-x2x"],
    ["severity", "critical"],
    ["expr", "rate(restarts[5m]) > 0 && up < 1"],
    ["empty", ""],
  ],
  { name: "Alert labels" },
);

const prometheusInit: FindingInit = {
  title: "KubePodCrashLooping: pod prod/api-7d9f-x2x restarts > 3 times & counting",
  aggregationKey: "KubePodCrashLooping",
  description: "Pod prod/api-7d9f-x2x (api) is in waiting state (reason: \"CrashLoopBackOff\"), see <https://runbooks.example.com/crash|the runbook>.",
  severity: "HIGH",
  source: "PROMETHEUS",
  subject: { name: "api-7d9f-x2x", namespace: "prod", subjectType: "pod" },
  startsAt: "2026-03-01T09:40:00Z",
  links: [{ name: "Prometheus graph", url: "https://prometheus.example.com/graph?g0.expr=rate%28restarts%5B5m%5D%29", type: "prometheus_generator_url" }],
  enrichments: [
    { title: "Alert labels", enrichmentType: "alert_labels", annotations: { attachment: "true" }, blocks: [alertLabels] },
    { title: "Why it restarts", annotations: {}, blocks: [markdown("The container exits with *code 1* a few seconds after start.")] },
  ],
};

export const prometheusFiring = at(prometheusInit);

export const prometheusResolved = at({ ...prometheusInit, status: "resolved", endsAt: "2026-03-01T10:05:00Z" });

const log = Array.from({ length: 200 }, (_, i) => `2026-03-01T09:${String(i % 60).padStart(2, "0")}:00Z level=error msg="connect to db:5432 failed" attempt=${i + 1}`).join("\n") + "\n";

export const crashLoop = at({
  title: "Crashing pod api-7d9f-x2x in namespace prod",
  aggregationKey: "CrashLoopBackoff",
  severity: "HIGH",
  source: "KUBERNETES_API_SERVER",
  subject: { name: "api-7d9f-x2x", namespace: "prod", subjectType: "pod", container: "api" },
  enrichments: [
    {
      title: "Crash info",
      enrichmentType: "crash_info",
      annotations: {},
      blocks: [
        table([
          ["Container", "api"],
          ["Restarts", 7],
          ["Status", "WAITING"],
          ["Reason", "CrashLoopBackOff"],
        ]),
        table(
          [
            ["Status", "TERMINATED"],
            ["Reason", "Error"],
            ["Finished at", "2026-03-01T09:59:30Z"],
          ],
          { name: "Previous container" },
        ),
      ],
    },
    {
      title: "Pod events",
      enrichmentType: "k8s_events",
      annotations: {},
      blocks: [
        table(
          [
            ["BackOff", "Back-off restarting failed container api in pod api-7d9f-x2x_prod(1c2d)", "2m"],
            ["Pulled", "Container image \"registry.example.com/api:1.4.2\" already present on machine", "3m"],
            ["Failed", "Error: <nil> exit code 1 & no retries left", "3m"],
          ],
          { headers: ["reason", "message", "age"], name: "Pod events" },
        ),
      ],
    },
    { title: "Logs", enrichmentType: "text_file", annotations: {}, blocks: [file("api-7d9f-x2x.log", log), file("empty.log", "")] },
  ],
});

export const wideTable = at({
  title: "Pods on node-1 with high memory",
  aggregationKey: "NodeMemoryReport",
  severity: "LOW",
  source: "SCHEDULER",
  findingType: "REPORT",
  enrichments: [
    {
      title: "Pods",
      annotations: {},
      blocks: [
        table(
          [
            ["prod", "api-7d9f-x2x", "api", "512Mi", "1Gi", "980Mi"],
            ["prod", "worker-0", "worker", "256Mi", "512Mi", "500Mi"],
            ["kube-system", "coredns-abc", "coredns", "70Mi", null, "30Mi"],
          ],
          { headers: ["namespace", "pod", "container", "request", "limit", "usage"], name: "Pods on node-1" },
        ),
        table([[1, 2, 3, 4]], { headers: ["a", "b", "c", "d"] }),
      ],
    },
  ],
});

export const diffFinding = at({
  title: "Deployment prod/api updated",
  aggregationKey: "ConfigurationChange/KubernetesResource/Change",
  severity: "INFO",
  source: "KUBERNETES_API_SERVER",
  findingType: "CONF_CHANGE",
  failure: false,
  subject: { name: "api", namespace: "prod", subjectType: "deployment" },
  enrichments: [
    {
      title: "Changes",
      enrichmentType: "diff",
      annotations: {},
      blocks: [
        diff({ kind: "Deployment", name: "api", namespace: "prod" }, [
          { path: "spec.template.spec.containers[0].image", old: "registry.example.com/api:1.4.1", new: "registry.example.com/api:1.4.2" },
          { path: "spec.replicas", old: 2, new: 3 },
          { path: "metadata.labels.team", new: "payments" },
          { path: "spec.template.metadata.annotations.note", old: "<b>old</b>", new: { rollout: "canary & 10%" } },
        ]),
        diff({ kind: "Deployment", name: "api" }, []),
      ],
    },
  ],
});

const callbackInit: FindingInit = {
  title: "Pod prod/api-7d9f-x2x is stuck terminating",
  aggregationKey: "PodStuckTerminating",
  severity: "MEDIUM",
  source: "MANUAL",
  enrichments: [
    {
      title: "Remediation",
      annotations: {},
      blocks: [
        callback([
          { text: "Delete pod", action: "delete_pod", params: { name: "api-7d9f-x2x", namespace: "prod" }, style: "danger" },
          { text: "Show logs", action: "logs_enricher", params: { name: "api-7d9f-x2x", namespace: "prod" } },
          { text: "Restart the deployment and tell everyone in the channel about it right away please", action: "rollout_restart", style: "primary" },
        ]),
      ],
    },
  ],
};

export const callbacks = at(callbackInit);

const paragraph = (i: number): string =>
  `Paragraph ${i}: the quick brown fox jumps over the lazy dog while the pod restarts again and again, and the node runs out of memory.`;

/** About 7,500 characters, with a code fence the split falls inside. */
export const hugeMarkdown = at({
  title: "Long analysis of the outage",
  aggregationKey: "Analysis",
  severity: "INFO",
  enrichments: [
    {
      title: "Analysis",
      annotations: { unfurl: "false" },
      blocks: [
        markdown(
          [
            ...Array.from({ length: 18 }, (_, i) => paragraph(i)),
            "```",
            ...Array.from({ length: 30 }, (_, i) => `kubectl logs api-${i} --previous | tail -n 5   # output follows for pod number ${i}`),
            "```",
            ...Array.from({ length: 12 }, (_, i) => paragraph(18 + i)),
          ].join("\n"),
        ),
      ],
    },
  ],
});

/** Far over the text budget: cut, with a note. */
export const giantMarkdown = at({
  title: "Giant report",
  aggregationKey: "Report",
  severity: "INFO",
  enrichments: [{ annotations: {}, blocks: [markdown(Array.from({ length: 400 }, (_, i) => paragraph(i)).join("\n"))] }],
});

/** 70 small blocks: more than Slack's 50. */
export const manyBlocks = at({
  title: "Many small checks",
  aggregationKey: "HealthChecks",
  severity: "LOW",
  findingType: "HEALTH_CHECK",
  enrichments: Array.from({ length: 35 }, (_, i) => ({ annotations: {}, blocks: [markdown(`Check ${i + 1}: *ok*`), divider()] })),
});

export const mentions = at({
  title: "Disk almost full on <@U024BE7LH> node-1 <!here> <!subteam^S0614TZR7|@oncall> <!date^1392734382^{date}|Feb 18>",
  aggregationKey: "DiskFull",
  severity: "HIGH",
  source: "PROMETHEUS",
});

/** The other block types: header, list, links, json, a binary file, a key/value table with markup in it. */
export const otherBlocks = at({
  title: "Node node-1 is NotReady",
  aggregationKey: "NodeNotReady",
  description: "Kubelet stopped posting status; `systemctl status kubelet` may help.",
  severity: "LOW",
  source: "NONE",
  links: [
    { name: "Runbook", url: "https://runbooks.example.com/node-not-ready" },
    { name: "Recording", url: "https://videos.example.com/rec/1", type: "video" },
    { name: "Not a URL", url: "javascript:alert(1)" },
  ],
  enrichments: [
    {
      title: "Node",
      enrichmentType: "node_info",
      annotations: {},
      blocks: [
        header(`Node node-1 ${"condition ".repeat(30)}`),
        list(["Ready: `False`", "MemoryPressure: `True` (<@U024BE7LH> on call)", "Taint: node.kubernetes.io/unreachable:NoExecute > 5m"]),
        table([["kubelet", "v1.31 `patched` <x>"]], { name: "Versions" }),
        links([{ text: "Grafana dashboard for node-1", url: "https://grafana.example.com/d/node?var-node=node-1" }]),
        json({ conditions: [{ type: "Ready", status: "False", reason: "NodeStatusUnknown" }], note: "a < b && c > d" }),
        binaryFile("graph.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47])),
        binaryFile("nothing.png", new Uint8Array([])),
      ],
    },
  ],
});

/** Every representative finding, by name. */
export const ALL_FINDINGS: Readonly<Record<string, Finding>> = {
  prometheusFiring,
  prometheusResolved,
  crashLoop,
  wideTable,
  diffFinding,
  callbacks,
  hugeMarkdown,
  giantMarkdown,
  manyBlocks,
  mentions,
  otherBlocks,
};
