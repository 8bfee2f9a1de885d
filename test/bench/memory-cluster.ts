/**
 * The cluster of the memory benchmark: pods of Deployments spread over namespaces, built from the
 * intake benchmark's realistic pods (~11.4 KB of JSON each, managedFields included), and the
 * changes a busy cluster makes to them: mostly readiness flapping, some restarts, a few crash
 * loops and OOM kills (so that the crash-loop and OOM triggers fire).
 */
import type { ContainerStatus, Pod } from "@robusta-ts/sdk";
import { benchPod, random } from "./payloads.js";

const alnum = (rand: () => number, length: number) =>
  Array.from({ length }, () => "bcdfghjklmnpqrstvwxz2456789"[Math.floor(rand() * 27)]).join("");
/** FNV-1a, to seed per-Deployment values from its name. */
const hashOf = (text: string) => [...text].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);

export const namespaceName = (n: number) => `tenant-${String(n).padStart(2, "0")}`;

/**
 * Pod `i` of a cluster with `namespaces` namespaces, as it would be created: running and ready.
 * The generator cycles through 16 apps; each run of 16 pods goes to the next namespace, so every
 * namespace holds one Deployment per app and the pods of a Deployment share its ReplicaSet (rate
 * limits per owner then apply as in a real cluster). One pod in 8 has restarted before (half of
 * them OOM-killed), as in long-running clusters.
 */
export function clusterPod(seed: number, i: number, namespaces: number): Pod {
  const pod = benchPod(seed, i);
  const { resourceVersion: _assigned, ...meta } = pod.metadata!; // the API server assigns it
  const namespace = namespaceName(Math.floor(i / 16) % namespaces);
  const deployment = `${namespace}/${meta.labels!.app!}`;
  const hash = alnum(random(seed ^ hashOf(deployment)), 10);
  const replicaSet = `${meta.labels!.app!}-${hash}`;
  pod.metadata = {
    ...meta,
    name: `${replicaSet}-${alnum(random(seed + i), 5)}`,
    generateName: `${replicaSet}-`,
    namespace,
    labels: { ...meta.labels, "pod-template-hash": hash },
    ownerReferences: [{ ...meta.ownerReferences![0]!, name: replicaSet, uid: `${hashOf(deployment).toString(16)}-rs` }],
  };
  const appStatus = pod.status!.containerStatuses![0]!;
  const history = i % 16 === 5 ? "Error" : i % 16 === 11 ? "OOMKilled" : undefined;
  running(pod, appStatus, history ? { reason: history, restarts: 1 + (i % 3) } : undefined);
  return pod;
}

function setReady(pod: Pod, ready: boolean, at: string): void {
  for (const condition of pod.status!.conditions!) {
    if (condition.type === "Ready" || condition.type === "ContainersReady") {
      if (condition.status !== (ready ? "True" : "False")) condition.lastTransitionTime = at;
      condition.status = ready ? "True" : "False";
    }
  }
  pod.status!.containerStatuses![0]!.ready = ready;
}

/** The app container running (again); `last` records how it ended before. */
function running(pod: Pod, status: ContainerStatus, last?: { reason: string; restarts: number }, at = pod.status!.startTime!): void {
  status.state = { running: { startedAt: at } };
  status.started = true;
  if (last) {
    status.restartCount = last.restarts;
    status.lastState = { terminated: { exitCode: last.reason === "OOMKilled" ? 137 : 1, reason: last.reason, startedAt: pod.status!.startTime!, finishedAt: at } };
  } else {
    status.restartCount = 0;
    delete status.lastState;
  }
  setReady(pod, true, at);
}

export type ChangeType = "readiness" | "restart" | "crash_loop" | "oom_killed";

/** The mix of changes: mostly status noise, a few changes that triggers act on. */
export function pickChange(rand: () => number): ChangeType {
  const r = rand();
  return r < 0.85 ? "readiness" : r < 0.95 ? "restart" : r < 0.99 ? "crash_loop" : "oom_killed";
}

/** Applies one change to a pod (in place), at time `at`. */
export function applyChange(pod: Pod, type: ChangeType, at: string): void {
  const status = pod.status!.containerStatuses![0]!;
  const restarts = status.restartCount + 1;
  switch (type) {
    case "readiness":
      // A readiness probe failing or recovering; a waiting or terminated container stays not ready.
      setReady(pod, !status.ready && !!status.state?.running, at);
      break;
    case "restart":
      running(pod, status, { reason: "Error", restarts }, at);
      break;
    case "crash_loop":
      status.restartCount = Math.max(restarts, 3);
      status.state = { waiting: { reason: "CrashLoopBackOff", message: `back-off 40s restarting failed container=${status.name} pod=${pod.metadata!.name}` } };
      status.lastState = { terminated: { exitCode: 1, reason: "Error", startedAt: pod.status!.startTime!, finishedAt: at } };
      status.started = false;
      setReady(pod, false, at);
      break;
    case "oom_killed":
      status.restartCount = restarts;
      status.state = { terminated: { exitCode: 137, reason: "OOMKilled", startedAt: pod.status!.startTime!, finishedAt: at } };
      status.started = false;
      setReady(pod, false, at);
      break;
  }
}
