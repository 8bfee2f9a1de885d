/**
 * The remediation actions against a real API server, through the runner's own Cluster: what each
 * writes must be accepted and have the effect a person expects (a pod gone, a job and its pods
 * gone, a rollout annotation on the pod template, a node cordoned, evictions that honour a
 * PodDisruptionBudget, a Job that runs and reports its log), and one run by hand through a runner.
 */
import { AppsV1Api, BatchV1Api, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { expect, it } from "vitest";
import {
  alertEvent,
  alertHandlingJob,
  cordon,
  deleteJob,
  deletePod,
  drain,
  rolloutRestart,
  uncordon,
  type Deployment,
  type FileBlock,
  type Job,
  type MarkdownBlock,
  type Node,
  type Pod,
  type TableBlock,
} from "@robusta-ts/sdk";
import { FakeClock, MemoryLogger, fixtures } from "@robusta-ts/sdk/testing";
import { KubeApiClient } from "../../runtime/src/kubernetes/api-client.js";
import { KubeCluster } from "../../runtime/src/kubernetes/kube-cluster.js";
import { trigger } from "../../runtime/src/cli/trigger.js";
import { testRuntime } from "../../runtime/test/helpers.js";
import { TestContext } from "../../sdk/test/support/test-context.js";
import { core, describeCluster, e2eEnv, patchPodStatus, podManifest, setPodLogs, uniqueSuffix, waitFor, withNamespace } from "./support.js";

/** A context whose cluster is the runner's production one. */
function contextFor(kc: KubeConfig, clock = new FakeClock()) {
  const client = new KubeApiClient(kc);
  const cluster = new KubeCluster(client);
  return { client, cluster, ctx: new TestContext(cluster, {}, new MemoryLogger(), clock) };
}

/**
 * A Node of its own, so cordoning and draining never touch the shared fake node or other tests'
 * pods; deleted afterwards. Nothing serves it: pods bound to it never finish a graceful delete.
 */
async function withNode<T>(kc: KubeConfig, fn: (name: string) => Promise<T>): Promise<T> {
  const name = `e2e-remediation-${uniqueSuffix()}`;
  await core(kc).createNode({ body: { metadata: { name, labels: { "robusta-ts/e2e": "true" } } } });
  try {
    return await fn(name);
  } finally {
    await core(kc).deleteNode({ name });
  }
}

const running = { phase: "Running" as const };
const markdownTexts = (ctx: TestContext) => ctx.blocks.flatMap((b) => (b.type === "markdown" ? [(b as MarkdownBlock).text] : []));

describeCluster("remediation actions on a real API server", (kc) => {
  it("delete_pod deletes the event's pod", () =>
    withNamespace(kc, async (namespace) => {
      const { cluster, ctx } = contextFor(kc);
      await core(kc).createNamespacedPod({ namespace, body: podManifest("web-0", { spec: { nodeName: undefined } }) });
      const pod = await cluster.get("Pod", "web-0", namespace);
      await deletePod({ source: "manual", id: "e1", pod }, ctx);
      await waitFor(async () => (await cluster.get("Pod", "web-0", namespace)) === undefined, { what: "the pod to be gone" });
      expect(markdownTexts(ctx)).toEqual([`Pod *${namespace}/web-0* deleted`]);
    }, "delete-pod"));

  it("delete_job deletes the job and, in the foreground, its pods", () =>
    withNamespace(kc, async (namespace) => {
      const { cluster, ctx } = contextFor(kc);
      await kc.makeApiClient(BatchV1Api).createNamespacedJob({
        namespace,
        body: { metadata: { name: "backup" }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "backup", image: "registry.invalid/backup:1" }] } } } },
      });
      // The Job controller creates its pod; it stays Pending (nothing schedules it).
      await waitFor(async () => (await cluster.list("Pod", { namespace, labelSelector: "job-name=backup" })).length === 1, { what: "the job's pod" });
      const job = await cluster.get("Job", "backup", namespace);
      await deleteJob({ source: "manual", id: "e1", job }, ctx);
      await waitFor(async () => (await cluster.get("Job", "backup", namespace)) === undefined, { what: "the job to be gone", timeoutMs: 60_000 });
      expect(await cluster.list("Pod", { namespace, labelSelector: "job-name=backup" })).toEqual([]);
      expect(markdownTexts(ctx)).toEqual([`Job *${namespace}/backup* deleted`]);
    }, "delete-job"));

  it("rollout_restart puts kubectl's restartedAt annotation on the Deployment's pod template", () =>
    withNamespace(kc, async (namespace) => {
      const { cluster, ctx } = contextFor(kc, new FakeClock(new Date("2026-03-01T12:00:00.500Z")));
      const apps = kc.makeApiClient(AppsV1Api);
      await apps.createNamespacedDeployment({
        namespace,
        body: {
          metadata: { name: "web" },
          spec: {
            selector: { matchLabels: { app: "web" } },
            template: { metadata: { labels: { app: "web" }, annotations: { team: "shop" } }, spec: { schedulerName: "robusta-e2e-unscheduled", containers: [{ name: "app", image: "registry.invalid/app:1" }] } },
          },
        },
      });
      const before = (await cluster.get("Deployment", "web", namespace)) as Deployment;
      await rolloutRestart(fixtures.change("update", before), ctx);
      const after = await apps.readNamespacedDeployment({ name: "web", namespace });
      expect(after.spec?.template.metadata?.annotations).toEqual({ team: "shop", "kubectl.kubernetes.io/restartedAt": "2026-03-01T12:00:00Z" });
      expect(after.metadata?.generation).toBe((before.metadata?.generation ?? 0) + 1);
      expect(markdownTexts(ctx)).toEqual([`Deployment/${namespace}/web restarted`]);
    }, "rollout"));

  it("robusta trigger runs rollout_restart through a runner on the named Deployment", () =>
    withNamespace(kc, async (namespace) => {
      const { cluster } = contextFor(kc);
      const apps = kc.makeApiClient(AppsV1Api);
      await apps.createNamespacedDeployment({
        namespace,
        body: {
          metadata: { name: "api" },
          spec: {
            selector: { matchLabels: { app: "api" } },
            template: { metadata: { labels: { app: "api" } }, spec: { schedulerName: "robusta-e2e-unscheduled", containers: [{ name: "app", image: "registry.invalid/api:1" }] } },
          },
        },
      });
      const { runtime, sink } = testRuntime({ cluster });
      const { url } = await runtime.listen();
      try {
        let printed = "";
        const code = await trigger({ action: "rollout_restart", assignments: ["kind=Deployment", "name=api", `namespace=${namespace}`], url, noSinks: false, json: false }, (text) => (printed += text));
        expect(code, printed).toBe(0);
        expect(printed).toContain(`Deployment/${namespace}/api restarted`);
        const after = await apps.readNamespacedDeployment({ name: "api", namespace });
        expect(after.spec?.template.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(sink.findings[0]?.subject).toMatchObject({ name: "api", namespace, subjectType: "deployment" });

        const missing = await trigger({ action: "rollout_restart", assignments: ["kind=Deployment", "name=gone", `namespace=${namespace}`], url, noSinks: true, json: false }, () => undefined);
        expect(missing).toBe(1);
      } finally {
        await runtime.close();
      }
    }, "trigger"));

  it("cordon and uncordon mark a node unschedulable and schedulable again", () =>
    withNode(kc, async (nodeName) => {
      const { cluster, ctx } = contextFor(kc);
      await cordon({ source: "manual", id: "e1", node: await cluster.get("Node", nodeName) }, ctx);
      const cordoned = (await cluster.get("Node", nodeName)) as Node;
      expect(cordoned.spec?.unschedulable).toBe(true);
      await uncordon({ source: "manual", id: "e2", node: cordoned }, ctx);
      expect((await cluster.get("Node", nodeName))?.spec?.unschedulable).toBeFalsy();
      expect(markdownTexts(ctx)).toEqual([`Node ${nodeName} cordoned`, `Node ${nodeName} uncordoned`]);
    }));

  it("drain evicts a node's pods, and reports the one a PodDisruptionBudget protects", () =>
    withNode(kc, (nodeName) =>
      withNamespace(kc, async (namespace) => {
        const { client, cluster, ctx } = contextFor(kc);
        for (const [name, app] of [["web-0", "web"], ["guarded-0", "guarded"], ["web-1", "web"]] as const) {
          await core(kc).createNamespacedPod({ namespace, body: podManifest(name, { metadata: { labels: { app } }, spec: { nodeName } }) });
          // Pending pods are evicted without asking their budget: make them Running, as a kubelet would.
          await patchPodStatus(kc, namespace, name, running);
        }
        // Kubernetes 1.20 serves PodDisruptionBudgets as policy/v1beta1 only.
        await client.json("POST", `/apis/policy/v1beta1/namespaces/${namespace}/poddisruptionbudgets`, {
          body: { apiVersion: "policy/v1beta1", kind: "PodDisruptionBudget", metadata: { name: "guarded" }, spec: { minAvailable: 1, selector: { matchLabels: { app: "guarded" } } } },
        });
        await waitFor(
          async () => {
            const pdb = await client.json<{ metadata: { generation: number }; status?: { observedGeneration?: number } }>(
              "GET",
              `/apis/policy/v1beta1/namespaces/${namespace}/poddisruptionbudgets/guarded`,
            );
            return (pdb.status?.observedGeneration ?? 0) >= pdb.metadata.generation;
          },
          { what: "the disruption controller to observe the budget" },
        );

        await expect(drain({ source: "manual", id: "e1", node: await cluster.get("Node", nodeName) }, ctx)).rejects.toThrow(
          `drain: could not evict 1 pod(s) from node ${nodeName}: ${namespace}/guarded-0`,
        );

        expect((await cluster.get("Node", nodeName))?.spec?.unschedulable).toBe(true);
        const report = ctx.blocks.find((b): b is TableBlock => b.type === "table");
        const results = Object.fromEntries(report?.rows.map((row) => [row[1], String(row[2])]) ?? []);
        expect(results["web-0"]).toBe("Evicted (no controller: not recreated)");
        expect(results["web-1"]).toBe("Evicted (no controller: not recreated)");
        expect(results["guarded-0"]).toMatch(/^Failed: .*429.*disruption budget/);
        // No kubelet confirms the delete: evicted pods stay, terminating.
        const pods = new Map((await core(kc).listNamespacedPod({ namespace })).items.map((pod: V1Pod) => [pod.metadata?.name, pod]));
        for (const name of ["web-0", "web-1"]) expect(pods.get(name) === undefined || pods.get(name)?.metadata?.deletionTimestamp !== undefined).toBe(true);
        expect(pods.get("guarded-0")?.metadata?.deletionTimestamp).toBeUndefined();
      }, "drain"),
    ));

  it("alert_handling_job creates a Job the server accepts, with the alert in its environment", () =>
    withNamespace(kc, async (namespace) => {
      const { cluster, ctx } = contextFor(kc);
      const event = alertEvent(fixtures.alert({ name: "DiskFull", labels: { namespace: "shop", pod: "db-0", team: "data" } }));
      await alertHandlingJob(event, ctx, {
        image: "registry.invalid/fixer:1",
        command: ["sh", "-c", "echo $ALERT_NAME"],
        namespace,
        env: [{ name: "MODE", value: "cleanup" }],
        backoffLimit: 2,
        waitForCompletion: false,
        notify: true,
      });
      const [job] = (await cluster.list("Job", { namespace })) as Job[];
      expect(job?.metadata?.name).toMatch(/^diskfull-[0-9a-f]{6}$/);
      expect(job?.spec?.backoffLimit).toBe(2);
      const container = job?.spec?.template.spec?.containers[0];
      expect(container).toMatchObject({ name: "diskfull", image: "registry.invalid/fixer:1", command: ["sh", "-c", "echo $ALERT_NAME"] });
      expect(container?.env).toEqual(
        expect.arrayContaining([
          { name: "ALERT_NAME", value: "DiskFull" },
          { name: "ALERT_OBJ_KIND", value: "pod" },
          { name: "ALERT_OBJ_NAME", value: "db-0" },
          { name: "ALERT_OBJ_NAMESPACE", value: "shop" },
          { name: "MODE", value: "cleanup" },
          { name: "ALERT_LABEL_TEAM", value: "data" },
        ]),
      );
      expect(markdownTexts(ctx)).toEqual([`*Created Job from alert*: \`${namespace}/${job?.metadata?.name}\``]);
    }, "alert-job"));

  it("alert_handling_job waits for the Job to succeed and attaches its pod's log", (testCtx) => {
    const fakeNode = e2eEnv.fakeNode;
    if (!fakeNode || !e2eEnv.podLogsDir) return testCtx.skip("needs the fake node and kubelet of scripts/e2e/with-kube-local.sh");
    return withNamespace(kc, async (namespace) => {
      const { client, cluster, ctx } = contextFor(kc);
      const event = alertEvent(fixtures.alert({ name: "CacheStale" }));
      const run = alertHandlingJob(event, ctx, { image: "registry.invalid/fixer:1", command: ["flush"], namespace, notify: true, completionTimeout: 60 });

      // Play the kubelet: bind the Job's pod to the fake node, give it a log, and let it succeed.
      const pod = await waitFor(async () => (await cluster.list("Pod", { namespace }))[0] as Pod | undefined, { what: "the Job's pod" });
      const name = pod.metadata?.name ?? "";
      await client.json("POST", `/api/v1/namespaces/${namespace}/pods/${name}/binding`, {
        body: { apiVersion: "v1", kind: "Binding", metadata: { name }, target: { apiVersion: "v1", kind: "Node", name: fakeNode } },
      });
      await setPodLogs(namespace, name, "cachestale", { current: "flushed 42 keys\n" });
      const now = new Date();
      await patchPodStatus(kc, namespace, name, {
        phase: "Succeeded",
        containerStatuses: [{ name: "cachestale", image: "registry.invalid/fixer:1", imageID: "", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed", startedAt: now, finishedAt: now } } }],
      });

      await run;
      expect(markdownTexts(ctx)[0]).toMatch(/\*Status:\* Succeeded$/);
      const log = ctx.blocks.find((b): b is FileBlock => b.type === "file");
      expect(log).toMatchObject({ filename: "job-runner-logs.txt", contents: "flushed 42 keys\n" });
    }, "alert-job-wait");
  });
});
