/**
 * Runs once per `npm run test:e2e`, before any test file: finds out whether KUBECONFIG names a
 * cluster that answers, prints one line saying which (or how to get one), and hands the answer to
 * the test files (`inject("e2eCluster")`, read by support.ts). Without a cluster every e2e test is
 * skipped and the run still succeeds.
 */
import { KubeConfig, VersionApi } from "@kubernetes/client-node";
import type { TestProject } from "vitest/node";

export interface ClusterProbe {
  available: boolean;
  /** One line for people: the cluster used, or why there is none and how to get one. */
  message: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    e2eCluster: ClusterProbe;
  }
}

const HOW_TO_RUN = "set KUBECONFIG to a test cluster, or run: scripts/e2e/with-kube-local.sh npm run test:e2e";
const PROBE_TIMEOUT_MS = 5_000;

export async function probeCluster(env: NodeJS.ProcessEnv = process.env): Promise<ClusterProbe> {
  const skipped = (why: string): ClusterProbe => ({
    available: false,
    message: `e2e: no cluster (${why}), so every e2e test is skipped. To run them: ${HOW_TO_RUN}`,
  });
  if (!env.KUBECONFIG) return skipped("KUBECONFIG is not set");
  const kc = new KubeConfig();
  try {
    kc.loadFromDefault(); // KUBECONFIG, which may list several files
  } catch (error) {
    return skipped(`cannot load KUBECONFIG=${env.KUBECONFIG}: ${errorText(error)}`);
  }
  const server = kc.getCurrentCluster()?.server;
  if (!server) return skipped(`KUBECONFIG=${env.KUBECONFIG} has no current cluster`);
  let timer: NodeJS.Timeout | undefined;
  try {
    const version = await Promise.race([
      kc.makeApiClient(VersionApi).getCode(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    const extras = [
      env.E2E_FAKE_NODE ? `fake node ${env.E2E_FAKE_NODE}` : "no fake node (pod-log tests skipped)",
      env.E2E_ALERTMANAGER_URL ? `Alertmanager ${env.E2E_ALERTMANAGER_URL}` : "no Alertmanager (its tests skipped)",
      env.E2E_PROMETHEUS_URL ? `Prometheus ${env.E2E_PROMETHEUS_URL}` : "no Prometheus (its tests skipped)",
    ];
    return { available: true, message: `e2e: cluster ${server} (Kubernetes ${version.gitVersion}); ${extras.join("; ")}` };
  } catch (error) {
    return skipped(`${server} unreachable: ${errorText(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch's "fetch failed" says why only in its cause (e.g. "connect ECONNREFUSED 127.0.0.1:16443").
  const text = error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
  return text.split("\n")[0] ?? text;
}

export default async function setup(project: TestProject): Promise<void> {
  const probe = await probeCluster();
  // with-kube-local.sh sets E2E_REQUIRE_CLUSTER=1: there, a missing cluster is a failure, not a skip.
  if (!probe.available && process.env.E2E_REQUIRE_CLUSTER === "1") throw new Error(`${probe.message} (E2E_REQUIRE_CLUSTER=1)`);
  process.stdout.write(`\n${probe.message}\n\n`);
  project.provide("e2eCluster", probe);
}
