/**
 * The 50 playbooks the runtime under test loads: a realistic mix in which most triggers look at
 * every event and do not fire, a few fire and add a small enrichment, and the crash-loop and
 * OOM triggers fire once per owner (their rate limit). Matching work is what is being measured.
 */
import {
  definePlaybook,
  markdown,
  onPodAllChanges,
  onPodCrashLoop,
  onPodCreate,
  onPodDelete,
  onPodOomKilled,
  onPodUpdate,
  onPrometheusAlert,
  subjectOf,
  table,
  type Context,
  type PlaybookDefinition,
} from "@robusta-ts/sdk";

/** What a playbook that does fire adds: one short block. */
const note = (title: string) => (_event: unknown, ctx: Context) => ctx.addEnrichment([markdown(`${title}: see the runbook.`)], { title });

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Name prefixes of workloads that are not in the generated pool. */
const OTHER_APPS = ["legacy-billing", "batch-report", "etl-", "kafka-", "zookeeper", "postgres-", "mongo", "vault-", "jenkins", "airflow-"];
/** Namespace prefixes that are not in the pool. */
const OTHER_NAMESPACES = ["team-a", "team-b", "staging-", "dev-", "sandbox", "ci-", "argo", "cert-manager"];
/** Label selectors; all but the last miss every pod of the pool. */
const SELECTORS = ["tier=db", "team=payments-core", "app=kafka,tier=backend", "release=canary", "team=platform,tier=gpu", "app=cart"];
/** Alert names the playbooks filter on; only the first two occur in the pool. */
const OTHER_ALERTS = [
  "NodeFilesystemSpaceFillingUp",
  "KubeAPIErrorBudgetBurn",
  "Watchdog",
  "KubeletTooManyPods",
  "KubeMemoryOvercommit",
  "KubePersistentVolumeFillingUp",
  "etcdMembersDown",
  "NodeClockNotSynchronising",
  "KubeClientCertificateExpiration",
  "AlertmanagerFailedToSendAlerts",
];

export const benchPlaybooks: PlaybookDefinition[] = [
  // 10 + 8 + 6 + 4 pod-change playbooks that look at every Pod event; only "app=cart" ever fires.
  ...OTHER_APPS.map((prefix, i) => definePlaybook({ name: `pod-name-${i}`, triggers: [onPodUpdate({ namePrefix: prefix })], run: note(prefix) })),
  ...OTHER_NAMESPACES.map((prefix, i) =>
    definePlaybook({ name: `pod-namespace-${i}`, triggers: [onPodAllChanges({ namespacePrefix: prefix })], run: note(prefix) }),
  ),
  ...SELECTORS.map((selector, i) =>
    definePlaybook({ name: `pod-labels-${i}`, triggers: [onPodUpdate({ labelsSelector: selector })], run: note(selector) }),
  ),
  ...["payments", "search"].flatMap((ns) => [
    definePlaybook({ name: `pod-created-${ns}`, triggers: [onPodCreate({ namespacePrefix: ns })], run: note(`created in ${ns}`) }),
    definePlaybook({ name: `pod-deleted-${ns}`, triggers: [onPodDelete({ namespacePrefix: ns })], run: note(`deleted in ${ns}`) }),
  ]),
  // Fires for every update in the payments namespace (1 pod in 8).
  definePlaybook({ name: "payments-pod-changes", triggers: [onPodUpdate({ namespacePrefix: "payments" })], run: note("payments pod changed") }),
  // Smart pod triggers: each fires once per owner, then its rate limit holds it.
  ...[
    onPodCrashLoop({ restartCount: 2 }),
    onPodCrashLoop({ restartCount: 5, namespacePrefix: "shop" }),
    onPodCrashLoop({ restartReason: "CrashLoopBackOff", namespacePrefix: "team-" }),
    onPodOomKilled(),
    onPodOomKilled({ namespacePrefix: "ml" }),
  ].map((trigger, i) =>
    definePlaybook({
      name: `pod-health-${i}`,
      triggers: [trigger],
      run(event, ctx) {
        ctx.addFinding({ title: `Pod ${event.pod.metadata?.name} is unhealthy`, aggregationKey: "PodHealth", severity: "HIGH", subject: subjectOf(event.pod, "Pod") });
        const statuses = event.pod.status?.containerStatuses ?? [];
        ctx.addEnrichment([table(statuses.map((s) => [s.name, s.restartCount, s.state?.waiting?.reason ?? ""]))], { title: "Containers" });
      },
    }),
  ),
  // Alert playbooks: two fire (for 1 alert in 8 each, firing only), the others filter them out.
  definePlaybook({
    name: "alert-crash-looping",
    triggers: [onPrometheusAlert({ alertName: "KubePodCrashLooping" })],
    run(event, ctx) {
      ctx.addEnrichment([table(Object.entries(event.labels))], { title: "Alert labels", enrichmentType: "alert_labels" });
    },
  }),
  definePlaybook({ name: "alert-cpu-throttling", triggers: [onPrometheusAlert({ alertName: "CPUThrottlingHigh" })], run: note("CPU throttling") }),
  ...OTHER_ALERTS.map((name, i) => definePlaybook({ name: `alert-${i}`, triggers: [onPrometheusAlert({ alertName: name, status: "all" })], run: note(name) })),
  ...range(4).map((i) =>
    definePlaybook({
      name: `alert-scoped-${i}`,
      triggers: [onPrometheusAlert({ alertName: "KubePodNotReady", namespacePrefix: OTHER_NAMESPACES[i] })],
      run: note("not ready"),
    }),
  ),
];
