/**
 * The runner against a real API server: its own watches see pods crash-loop and get OOM-killed
 * (faked through the status subresource, as a kubelet would write them), the example playbooks
 * enrich them from the cluster (logs through the fake kubelet, Events), and the findings come out.
 * Plus the change semantics on other kinds, the cluster writes actions use, and the `robusta run`
 * command itself.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AppsV1Api, BatchV1Api, type KubeConfig } from "@kubernetes/client-node";
import { expect, it } from "vitest";
import { collectPlaybooks, definePlaybook, markdown, onPodDelete, type Finding, type KubernetesChangeEvent, type KubernetesObject } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import * as crashLoops from "../../examples/crash-loops/playbooks/index.js";
import { KubeApiClient } from "../../runtime/src/kubernetes/api-client.js";
import { createWatches } from "../../runtime/src/kubernetes/index.js";
import { KubeCluster } from "../../runtime/src/kubernetes/kube-cluster.js";
import { WatchManager } from "../../runtime/src/kubernetes/watch-manager.js";
import { createMetrics } from "../../runtime/src/metrics.js";
import { Runtime } from "../../runtime/src/runtime.js";
import type { Sink } from "../../runtime/src/sinks/sink.js";
import {
  core,
  crashLoopStatus,
  createWarningEvent,
  describeCluster,
  e2eEnv,
  involvedObject,
  patchPodStatus,
  podManifest,
  setPodLogs,
  waitFor,
  withNamespace,
} from "./support.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

class Collect implements Sink {
  readonly name = "collect";
  readonly isDefault = true;
  readonly findings: Finding[] = [];
  async write(finding: Finding) {
    this.findings.push(finding);
  }
}

const deleted = definePlaybook({
  name: "PodDeleted",
  triggers: [onPodDelete()],
  run: (event, ctx) => ctx.addEnrichment([markdown(`${event.pod.metadata?.name} is gone`)]),
});

/** A runner on loopback that watches only `namespace`, with the crash-loop example and a delete reporter. */
async function runnerIn(kc: KubeConfig, namespace: string) {
  const client = new KubeApiClient(kc);
  const sink = new Collect();
  const runtime = new Runtime({
    playbooks: [...collectPlaybooks(crashLoops), deleted],
    cluster: new KubeCluster(client),
    sinks: [sink],
    logger: new MemoryLogger(),
    options: { host: "127.0.0.1", port: 0, namespaces: [namespace], advancedFilters: true },
  });
  const watches = createWatches(client, runtime.options, runtime.logger, runtime.metrics, (change) => runtime.submit(change));
  runtime.addProbe(watches);
  await runtime.listen();
  await watches.start(runtime.engine.watchedKinds);
  await waitFor(() => watches.notReady().length === 0, { what: "the pod watch to sync" });
  return { runtime, watches, sink, stop: async () => (await watches.stop(), await runtime.close()) };
}

const oomStatus = () => ({
  phase: "Running",
  containerStatuses: [
    {
      name: "app",
      image: "registry.invalid/app:1",
      imageID: "",
      ready: false,
      restartCount: 1,
      state: { terminated: { exitCode: 137, reason: "OOMKilled", startedAt: new Date(Date.now() - 60_000), finishedAt: new Date() } },
    },
  ],
});

/** Starts the robusta CLI watching only `namespace`; `synced()` resolves once its watch has synced; `stop()` sends SIGTERM and resolves with the exit code. */
function robusta(args: string[], namespace: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(root, "runtime/bin/robusta.js"), ...args], {
    cwd: root,
    env: { ...process.env, RUNNER_BIND_ADDR: "127.0.0.1", ROBUSTA_NAMESPACES: namespace, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return {
    stderr: () => stderr,
    synced: () => waitFor(() => stderr.includes('"msg":"watch synced"') || undefined, { what: `robusta ${args[0]} to sync its pod watch`, timeoutMs: 60_000 }),
    stop: async () => {
      child.kill("SIGTERM");
      return new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

describeCluster("the runner against a real API server", (kc) => {
  it("reports a crash loop and an OOM kill with logs and events, and a delete, each once", () =>
    withNamespace(
      kc,
      async (namespace) => {
        await core(kc).createNamespacedPod({ namespace, body: podManifest("crashy") });
        await core(kc).createNamespacedPod({ namespace, body: podManifest("hungry") });
        const runner = await runnerIn(kc, namespace);
        try {
          if (e2eEnv.podLogsDir) await setPodLogs(namespace, "crashy", "app", { current: "starting\n", previous: "starting\nFATAL no database\n" });
          const crashy = await core(kc).readNamespacedPod({ name: "crashy", namespace });
          await createWarningEvent(kc, involvedObject({ ...crashy, kind: "Pod", apiVersion: "v1" }), { reason: "BackOff", message: "Back-off restarting failed container" });
          await patchPodStatus(kc, namespace, "crashy", crashLoopStatus({ restartCount: 3 }));
          await patchPodStatus(kc, namespace, "hungry", oomStatus() as never);

          const findings = await waitFor(() => (runner.sink.findings.length >= 2 ? runner.sink.findings : undefined), { what: "the crash-loop and OOM findings" });
          const crash = findings.find((f) => f.aggregationKey === "CrashLoopBackoff");
          expect(crash?.title).toBe(`Crashing pod crashy in namespace ${namespace}`);
          expect(crash?.enrichments.map((e) => e.title)).toEqual(["Crash info", "Logs", "Pod events"]);
          if (e2eEnv.podLogsDir) expect(crash?.enrichments[1]?.blocks[0]).toMatchObject({ type: "file", contents: expect.stringContaining("FATAL no database") });
          expect(JSON.stringify(crash?.enrichments[2])).toContain("BackOff");
          expect(findings.find((f) => f.aggregationKey === "PodOOMKilled")?.title).toBe(`Pod hungry in namespace ${namespace} OOMKilled results`);

          // A status the triggers do not care about: ADVANCED_FILTERS keeps it from the playbooks.
          await patchPodStatus(kc, namespace, "crashy", { ...crashLoopStatus({ restartCount: 3 }), phase: "Running", message: "noise" } as never);
          await core(kc).deleteNamespacedPod({ name: "hungry", namespace, gracePeriodSeconds: 0 });
          await waitFor(() => runner.sink.findings.some((f) => f.title === "Delete to Pod hungry") || undefined, { what: "the delete finding" });
          await runner.runtime.idle();
          expect(runner.sink.findings.map((f) => f.aggregationKey).sort()).toEqual(["CrashLoopBackoff", "GenericChange", "PodOOMKilled"]);
        } finally {
          await runner.stop();
        }
      },
      "runner",
    ));

  it("watches other kinds with the same semantics: no create for what exists, updates with the object before, deletes", () =>
    withNamespace(
      kc,
      async (namespace) => {
        const apps = kc.makeApiClient(AppsV1Api);
        const deployment = (name: string, replicas: number) => ({
          metadata: { name },
          spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }] } } },
        });
        await apps.createNamespacedDeployment({ namespace, body: deployment("existing", 1) });
        const changes: KubernetesChangeEvent[] = [];
        const client = new KubeApiClient(kc);
        const watches = new WatchManager({
          kubeConfig: kc,
          client,
          logger: new MemoryLogger(),
          metrics: createMetrics(),
          onChange: (change) => changes.push(change),
          settings: { namespaces: { include: [namespace], exclude: [] }, advancedFilters: true, customResources: [], idleTimeoutMs: 60_000, staleAfterMs: 300_000 },
        });
        try {
          expect(await watches.start(["Deployment", "Event"])).toEqual(["Deployment", "Event"]);
          await waitFor(() => watches.notReady().length === 0, { what: "the watches to sync" });
          await apps.createNamespacedDeployment({ namespace, body: deployment("fresh", 1) });
          const current = await apps.readNamespacedDeployment({ name: "existing", namespace });
          await apps.replaceNamespacedDeployment({ name: "existing", namespace, body: { ...current, spec: { ...current.spec!, replicas: 3 } } });
          await apps.deleteNamespacedDeployment({ name: "fresh", namespace });
          const pod = await core(kc).createNamespacedPod({ namespace, body: podManifest("evented") });
          await createWarningEvent(kc, involvedObject({ ...pod, kind: "Pod", apiVersion: "v1" }), { reason: "FailedMount", message: "volume not found", api: "events.k8s.io/v1" });

          const ours = () => changes.filter((c) => c.kind === "Event" || ["fresh", "existing"].includes(c.obj.metadata?.name ?? ""));
          await waitFor(() => ours().some((c) => c.kind === "Event") && ours().some((c) => c.operation === "delete") || undefined, { what: "the deployment delete and the event" });
          const deployments = ours().filter((c) => c.kind === "Deployment");
          expect(deployments.some((c) => c.operation === "create" && c.obj.metadata?.name === "existing")).toBe(false);
          expect(deployments.find((c) => c.operation === "create")?.obj.metadata?.name).toBe("fresh");
          const scaled = deployments.find((c) => c.operation === "update" && c.obj.metadata?.name === "existing" && (c.obj as { spec?: { replicas?: number } }).spec?.replicas === 3);
          expect((scaled?.oldObj as { spec?: { replicas?: number } } | undefined)?.spec?.replicas).toBe(1);
          expect(deployments.filter((c) => c.operation === "delete").map((c) => c.obj.metadata?.name)).toEqual(["fresh"]);
          const event = ours().find((c) => c.kind === "Event");
          expect(event).toMatchObject({ operation: "create", apiVersion: "events.k8s.io/v1", obj: { reason: "FailedMount", type: "Warning" } });
          expect(ours().every((c) => c.obj.metadata?.managedFields === undefined)).toBe(true);
        } finally {
          await watches.stop();
        }
      },
      "kinds",
    ));

  it("acts on the cluster: patches a node, evicts and deletes pods, creates a job, reads events", (ctx) => {
    if (!e2eEnv.fakeNode) return ctx.skip("needs the fake node of scripts/e2e/with-kube-local.sh");
    return withNamespace(
      kc,
      async (namespace) => {
        const cluster = new KubeCluster(new KubeApiClient(kc));
        const node = e2eEnv.fakeNode!;
        try {
          const cordoned = await cluster.patch("Node", node, undefined, { spec: { unschedulable: true } });
          expect((cordoned as { spec?: { unschedulable?: boolean } }).spec?.unschedulable).toBe(true);
        } finally {
          await cluster.patch("Node", node, undefined, { spec: { unschedulable: null } });
        }
        await core(kc).createNamespacedPod({ namespace, body: podManifest("evictee", { spec: { nodeName: undefined } }) });
        await core(kc).createNamespacedPod({ namespace, body: podManifest("deletee", { spec: { nodeName: undefined } }) });
        await cluster.evict("evictee", namespace);
        await cluster.delete("Pod", "deletee", namespace, { gracePeriodSeconds: 0 });
        await waitFor(async () => (await cluster.list("Pod", { namespace })).length === 0 || undefined, { what: "both pods to be gone" });
        const job: KubernetesObject = await cluster.create({
          apiVersion: "batch/v1",
          kind: "Job",
          metadata: { name: "remediate", namespace },
          spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "fix", image: "registry.invalid/fix:1" }] } } },
        });
        expect(job.metadata?.uid).toBeTruthy();
        expect((await kc.makeApiClient(BatchV1Api).readNamespacedJob({ name: "remediate", namespace })).metadata?.name).toBe("remediate");
        await expect(cluster.delete("Pod", "nope", namespace)).rejects.toThrow(/404/);
      },
      "writes",
    );
  });

  it("runs as `robusta run`: watches, dispatches and writes findings until SIGTERM", () =>
    withNamespace(
      kc,
      async (namespace) => {
        await core(kc).createNamespacedPod({ namespace, body: podManifest("cli-pod") });
        const dir = await mkdtemp(join(tmpdir(), "robusta-run-"));
        const findingsFile = join(dir, "findings.jsonl");
        const cli = robusta(["run", join(root, "examples/crash-loops/playbooks"), "--findings-file", findingsFile, "--port", "0"], namespace);
        try {
          await cli.synced();
          await patchPodStatus(kc, namespace, "cli-pod", crashLoopStatus({ restartCount: 4 }));
          const line = await waitFor(async () => (await readFile(findingsFile, "utf8").catch(() => "")).split("\n").find(Boolean), { what: "a finding in the file" });
          expect(JSON.parse(line)).toMatchObject({ title: `Crashing pod cli-pod in namespace ${namespace}`, aggregation_key: "CrashLoopBackoff" });
        } finally {
          const code = await cli.stop();
          await rm(dir, { recursive: true, force: true });
          expect(code).toBe(0);
        }
      },
      "cli",
    ));

  it("runs as `robusta run --config`: built-in playbooks, a reload, a refused change, rate limits kept in a ConfigMap", () =>
    withNamespace(
      kc,
      async (namespace) => {
        await core(kc).createNamespacedPod({ namespace, body: podManifest("first") });
        await core(kc).createNamespacedPod({ namespace, body: podManifest("second") });
        const dir = await mkdtemp(join(tmpdir(), "robusta-config-"));
        const findingsFile = join(dir, "findings.jsonl");
        const configFile = join(dir, "values.yaml");
        const values = (extra: string) => `clusterName: e2e\nsinksConfig:\n  - file_sink: {name: out, file_name: "{{ env.FINDINGS_FILE }}"}\n${extra}`;
        await writeFile(configFile, values(""));
        const findings = async () => (await readFile(findingsFile, "utf8").catch(() => "")).split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
        const cli = robusta(["run", "--config", configFile, "--port", "0"], namespace, { FINDINGS_FILE: findingsFile, INSTALLATION_NAMESPACE: namespace });
        try {
          await cli.synced();
          // The built-in CrashLoopBackOff playbook reports it.
          await patchPodStatus(kc, namespace, "first", crashLoopStatus({ restartCount: 3 }));
          await waitFor(async () => (await findings()).length > 0 || undefined, { what: "the built-in crash-loop report" });
          expect((await findings())[0]).toMatchObject({ title: `Crashing pod first in namespace ${namespace}`, aggregation_key: "CrashLoopBackoff" });

          // A broken change is refused; the runner keeps going.
          await writeFile(configFile, values("customPlaybooks:\n  - triggers: [{on_pod_crash_loop: {restart_count: three}}]\n    actions: [{logs_enricher: {}}]\n"));
          await waitFor(() => cli.stderr().includes("configuration change refused") || undefined, { what: "the refusal" });
          expect(cli.stderr()).toContain("customPlaybooks[0].triggers[0].on_pod_crash_loop.restart_count");

          // A good change replaces the built-in playbook of that name.
          await writeFile(configFile, values("customPlaybooks:\n  - name: CrashLoopBackOff\n    triggers: [{on_pod_crash_loop: {}}]\n    actions: [{pod_events_enricher: {}}, {logs_enricher: {}}]\n"));
          await waitFor(() => cli.stderr().includes('"msg":"configuration loaded"') || undefined, { what: "the reload" });
          const pod = await core(kc).readNamespacedPod({ name: "second", namespace });
          await createWarningEvent(kc, involvedObject({ ...pod, kind: "Pod", apiVersion: "v1" }), { reason: "BackOff", message: "Back-off restarting failed container" });
          await patchPodStatus(kc, namespace, "second", crashLoopStatus({ restartCount: 3 }));
          const second = await waitFor(async () => (await findings()).find((f) => JSON.stringify(f).includes('"second"')), { what: "the reloaded playbook's finding" });
          expect(second.aggregation_key).not.toBe("CrashLoopBackoff");
        } finally {
          const code = await cli.stop();
          await rm(dir, { recursive: true, force: true });
          expect(code).toBe(0);
        }
        // Flushed at shutdown: a restarted runner would not report these crash loops again.
        const saved = await core(kc).readNamespacedConfigMap({ name: "robusta-rate-limits", namespace });
        expect(JSON.stringify(saved.data)).toContain("PodCrashLoopTrigger");
      },
      "config",
    ));

  it("runs as `robusta forwarder` in front of `robusta run` that does not watch itself: the changes it posts become findings", () =>
    withNamespace(
      kc,
      async (namespace) => {
        await core(kc).createNamespacedPod({ namespace, body: podManifest("fwd-pod") });
        const dir = await mkdtemp(join(tmpdir(), "robusta-fwd-"));
        const findingsFile = join(dir, "findings.jsonl");
        // As the Helm chart runs it with forwarder.enabled: the runner only receives what the forwarder posts.
        const runner = robusta(["run", join(root, "examples/crash-loops/playbooks"), "--findings-file", findingsFile, "--port", "0"], namespace, {
          ROBUSTA_WATCH_CLUSTER: "false",
        });
        const listening = await waitFor(() => /"port":(\d+)[^\n]*"msg":"runner listening"/.exec(runner.stderr())?.[1], { what: "the runner to listen", timeoutMs: 60_000 });
        const url = `http://127.0.0.1:${listening}`;
        const cli = robusta(["forwarder", "--runner-url", url, "--kinds", "Pod", "--port", "0"], namespace);
        try {
          await cli.synced();
          await patchPodStatus(kc, namespace, "fwd-pod", crashLoopStatus({ restartCount: 4 }));
          const line = await waitFor(async () => (await readFile(findingsFile, "utf8").catch(() => "")).split("\n").find(Boolean), { what: "the runner's finding" });
          expect(JSON.parse(line)).toMatchObject({ title: `Crashing pod fwd-pod in namespace ${namespace}` });
          expect(await (await fetch(`${url}/metrics`)).text()).toContain('robusta_intake_events_total{endpoint="handle",result="accepted"}');
          expect(runner.stderr()).toContain("not watching the cluster");
          expect(runner.stderr()).not.toContain('"msg":"watch synced"');
        } finally {
          const code = await cli.stop();
          expect(await runner.stop()).toBe(0);
          await rm(dir, { recursive: true, force: true });
          expect(code).toBe(0);
        }
      },
      "forwarder",
    ));
});
