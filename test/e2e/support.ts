/**
 * Helpers for end-to-end tests against a real API server (`npm run test:e2e`, see
 * vitest.e2e.config.ts). The cluster is whatever KUBECONFIG names; scripts/e2e/with-kube-local.sh
 * starts a throwaway one and sets the E2E_* variables read here (`e2eEnv`).
 *
 *   import { describeCluster, withNamespace, podManifest } from "./support.js";
 *
 *   describeCluster("crash-loop watch", (kc) => {      // every test skipped when there is no cluster
 *     it("reports a crash loop", () =>
 *       withNamespace(kc, async (ns) => {                // unique namespace, always deleted
 *         await core(kc).createNamespacedPod({ namespace: ns, body: podManifest("web-0") });
 *         ...
 *       }));
 *   });
 *
 * kube-local is Kubernetes 1.20 with no kubelet: pods never run by themselves. Fake what a kubelet
 * would report with `patchPodStatus` (e.g. `crashLoopStatus()`), logs with `setPodLogs` (pods bound
 * to the fake node), and Events with `createWarningEvent`.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  CoreV1Api,
  EventsV1Api,
  KubeConfig,
  PatchStrategy,
  V1MicroTime,
  setHeaderOptions,
  type CoreV1Event,
  type EventsV1Event,
  type V1ObjectMeta,
  type V1Pod,
  type V1PodSpec,
  type V1PodStatus,
} from "@kubernetes/client-node";
import { describe, inject } from "vitest";
import type { ClusterProbe } from "./global-setup.js";

/** What with-kube-local.sh provides besides KUBECONFIG; each is undefined against another cluster. */
export const e2eEnv = {
  /** A Ready Node whose kubelet is the fake one: pods bound to it (spec.nodeName) have logs. */
  fakeNode: process.env.E2E_FAKE_NODE || undefined,
  /** The fake kubelet serves DIR/NS/POD/CONTAINER.log (and .previous.log); see setPodLogs. */
  podLogsDir: process.env.E2E_POD_LOGS_DIR || undefined,
  /** Alertmanager's base URL (POST /api/v2/alerts). */
  alertmanagerUrl: process.env.E2E_ALERTMANAGER_URL || undefined,
  /** Where Alertmanager posts every notification (webhook v4 JSON); listen there to receive them. */
  alertWebhookUrl: process.env.E2E_ALERT_WEBHOOK_URL || undefined,
  /** Kubeconfig of a user without any RBAC grant, for least-privilege tests. */
  runtimeUserKubeconfig: process.env.E2E_RUNTIME_USER_KUBECONFIG || undefined,
};

/** Pods that no scheduler picks up: on a real cluster an unbound test pod stays Pending and untouched. */
const UNSCHEDULED = "robusta-e2e-unscheduled";

function probe(): ClusterProbe {
  return inject("e2eCluster") ?? { available: false, message: "e2e: run through `npm run test:e2e` (vitest.e2e.config.ts probes the cluster)" };
}

let cached: KubeConfig | undefined;
function kubeConfig(): KubeConfig {
  if (!cached) {
    cached = new KubeConfig();
    if (probe().available) cached.loadFromDefault();
  }
  return cached;
}

/**
 * `describe`, with the cluster's KubeConfig; when there is no cluster, every test in it is skipped
 * and none of its hooks runs (the run prints once why, and how to get a cluster). `body` still runs
 * to collect the tests, so use `kc` only inside hooks and tests.
 */
export function describeCluster(name: string, body: (kc: KubeConfig) => void): void {
  describe.skipIf(!probe().available)(name, () => body(kubeConfig()));
}

/**
 * The cluster's KubeConfig; inside a test (or beforeEach) without a cluster, skips that test:
 * `it("...", async (ctx) => { const kc = clusterOrSkip(ctx); ... })`.
 */
export function clusterOrSkip(ctx: { skip(note?: string): never }): KubeConfig {
  const { available, message } = probe();
  if (!available) ctx.skip(message);
  return kubeConfig();
}

export const core = (kc: KubeConfig): CoreV1Api => kc.makeApiClient(CoreV1Api);

/** A short random suffix for names that must not collide across tests and runs. */
export const uniqueSuffix = (): string => randomBytes(3).toString("hex");

/**
 * Runs `fn` in a new namespace named `e2e-<prefix>-<random>`, then deletes it, whether `fn` passed
 * or not. Pods are deleted first with grace period 0: a pod bound to the fake node would otherwise
 * stay Terminating forever (no kubelet confirms it), and so would the namespace.
 */
export async function withNamespace<T>(kc: KubeConfig, fn: (namespace: string) => Promise<T>, prefix = "test"): Promise<T> {
  const namespace = `e2e-${prefix}-${uniqueSuffix()}`;
  await core(kc).createNamespace({ body: { metadata: { name: namespace, labels: { "robusta-ts/e2e": "true" } } } });
  const cleanup = async () => {
    await core(kc).deleteCollectionNamespacedPod({ namespace, gracePeriodSeconds: 0 });
    await core(kc).deleteNamespace({ name: namespace });
    if (e2eEnv.podLogsDir) await rm(join(e2eEnv.podLogsDir, namespace), { recursive: true, force: true });
  };
  let result: T;
  try {
    result = await fn(namespace);
  } catch (error) {
    await cleanup().catch(() => undefined); // the test's own failure is the one to report
    throw error;
  }
  await cleanup();
  return result;
}

/**
 * A pod with one container `app`, bound to the fake node when there is one (so its logs work),
 * otherwise left unbound with a scheduler name nothing serves. `overrides` are merged one level
 * deep into metadata and spec: `podManifest("web-0", { spec: { nodeName: undefined } })` is unbound.
 */
export function podManifest(name: string, overrides: { metadata?: V1ObjectMeta; spec?: Partial<V1PodSpec> } = {}): V1Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { app: name }, ...overrides.metadata },
    spec: {
      containers: [{ name: "app", image: "registry.invalid/app:1" }],
      schedulerName: UNSCHEDULED,
      ...(e2eEnv.fakeNode && { nodeName: e2eEnv.fakeNode }),
      ...overrides.spec,
    },
  };
}

/**
 * Sets the pod's status as a kubelet would, through the status subresource (watchers see MODIFIED).
 * A merge patch: lists such as containerStatuses are replaced whole, so send every container.
 */
export async function patchPodStatus(kc: KubeConfig, namespace: string, name: string, status: V1PodStatus): Promise<V1Pod> {
  // client-node sends JSON Patch unless told otherwise; the body here is a merge patch.
  return core(kc).patchNamespacedPodStatus(
    { name, namespace, body: { status } },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
}

/** A pod status with `container` waiting in CrashLoopBackOff after `restartCount` crashes (exit code 1). */
export function crashLoopStatus(options: { container?: string; restartCount?: number; exitCode?: number; image?: string } = {}): V1PodStatus {
  const { container = "app", restartCount = 5, exitCode = 1, image = "registry.invalid/app:1" } = options;
  const finished = new Date();
  return {
    phase: "Running",
    containerStatuses: [{
      name: container,
      image,
      imageID: "",
      ready: false,
      started: false,
      restartCount,
      state: { waiting: { reason: "CrashLoopBackOff", message: `back-off 2m40s restarting failed container=${container}` } },
      lastState: { terminated: { exitCode, reason: "Error", startedAt: new Date(finished.getTime() - 5_000), finishedAt: finished } },
    }],
  };
}

/** The object an Event is about. */
export interface Involved {
  kind: string;
  name: string;
  namespace: string;
  apiVersion?: string;
  uid?: string;
}

/** A pod (or any object) as the `about` argument of createWarningEvent. */
export function involvedObject(obj: { apiVersion?: string; kind?: string; metadata?: V1ObjectMeta }): Involved {
  const { name, namespace, uid } = obj.metadata ?? {};
  if (!obj.kind || !name || !namespace) throw new Error("involvedObject needs kind, metadata.name and metadata.namespace");
  return { kind: obj.kind, name, namespace, apiVersion: obj.apiVersion ?? "v1", ...(uid && { uid }) };
}

/**
 * Creates a Warning Event about `about`, through the core/v1 API (what kubelets of 1.20 write and
 * `kubectl get events` shows) or events.k8s.io/v1. Both APIs list both kinds of Event.
 */
export async function createWarningEvent(
  kc: KubeConfig,
  about: Involved,
  event: { reason: string; message: string; api?: "core/v1" | "events.k8s.io/v1"; count?: number; component?: string },
): Promise<CoreV1Event | EventsV1Event> {
  const now = new Date();
  const component = event.component ?? "kubelet";
  const metadata = { name: `${about.name}.${uniqueSuffix()}`, namespace: about.namespace };
  const ref = { apiVersion: about.apiVersion ?? "v1", kind: about.kind, name: about.name, namespace: about.namespace, ...(about.uid && { uid: about.uid }) };
  if (event.api === "events.k8s.io/v1") {
    return kc.makeApiClient(EventsV1Api).createNamespacedEvent({
      namespace: about.namespace,
      body: {
        metadata,
        type: "Warning",
        reason: event.reason,
        note: event.message,
        action: event.reason,
        eventTime: new V1MicroTime(now.getTime()), // the API wants microseconds; a plain Date has milliseconds
        reportingController: component,
        reportingInstance: e2eEnv.fakeNode ?? "e2e",
        regarding: ref,
        ...(event.count !== undefined && { deprecatedCount: event.count }),
      },
    });
  }
  return core(kc).createNamespacedEvent({
    namespace: about.namespace,
    body: {
      metadata,
      type: "Warning",
      reason: event.reason,
      message: event.message,
      involvedObject: ref,
      source: { component, ...(e2eEnv.fakeNode && { host: e2eEnv.fakeNode }) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: event.count ?? 1,
    },
  });
}

/**
 * What the fake kubelet returns for `kubectl logs` / readNamespacedPodLog of a container of a pod
 * bound to the fake node. `error` makes it answer 400 with that text (e.g. "container is waiting");
 * `previous` is the log of the last terminated container (`previous=true`). Files are read on
 * every request, so call it again to change the logs.
 */
export async function setPodLogs(
  namespace: string,
  pod: string,
  container: string,
  logs: { current?: string; previous?: string; error?: string },
): Promise<void> {
  if (!e2eEnv.podLogsDir) throw new Error("no fake kubelet: E2E_POD_LOGS_DIR is not set (scripts/e2e/with-kube-local.sh sets it)");
  const dir = join(e2eEnv.podLogsDir, namespace, pod);
  await mkdir(dir, { recursive: true });
  const put = (file: string, text: string | undefined) =>
    text === undefined ? rm(join(dir, file), { force: true }) : writeFile(join(dir, file), text);
  await put(`${container}.log`, logs.current);
  await put(`${container}.previous.log`, logs.previous);
  await put(`${container}.error`, logs.error);
}

/**
 * Polls `condition` (every `intervalMs`, 200 by default) until it returns something other than
 * undefined/false, and returns that. On timeout it fails with "timed out after N s waiting for
 * <what>", plus the last error `condition` threw, if any.
 */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  options: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<T> {
  const { what, timeoutMs = 30_000, intervalMs = 200 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? "" : ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
