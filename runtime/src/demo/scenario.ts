/**
 * The demo: a short story played against the simulated cluster. Pod changes go in the way the
 * in-process watch delivers them; the alert is posted to the runner's real /api/alerts endpoint.
 */
import { fixtures } from "@robusta-ts/sdk/testing";
import type { InMemoryCluster } from "@robusta-ts/sdk/testing";
import type { Runtime } from "../runtime.js";
import { cart, checkout, crashLoopEvents, NAMESPACE } from "./simulated-cluster.js";

export interface Step {
  readonly title: string;
  run(runtime: Runtime, url: string): Promise<void>;
}

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
}

export function scenario(cluster: InMemoryCluster): Step[] {
  const crashing = fixtures.crashLoopingPod(checkout.pod, { container: "api", restartCount: 3 });
  const oomKilled = fixtures.oomKilledPod(cart.pod, { container: "cart", restartCount: 1 });
  const podName = checkout.pod.metadata!.name!;
  const alert = fixtures.alert({
    name: "KubePodCrashLooping",
    labels: { namespace: NAMESPACE, pod: podName, container: "api", severity: "warning", job: "kube-state-metrics" },
    annotations: {
      summary: `Pod ${NAMESPACE}/${podName} (api) is in waiting state (reason: "CrashLoopBackOff").`,
      description: `Pod ${NAMESPACE}/${podName} container api has been restarting for 15 minutes.`,
    },
    startsAt: "2026-01-01T00:15:00Z",
    fingerprint: "5c3f8e4a1b2d9f60",
  });
  return [
    {
      title: `checkout's pod ${podName} starts crash-looping`,
      async run(runtime) {
        cluster.apply(crashing).addEvents(...crashLoopEvents(checkout.pod));
        runtime.submit(fixtures.change("update", crashing, checkout.pod));
      },
    },
    {
      title: `cart's pod ${cart.pod.metadata!.name} is OOM-killed`,
      async run(runtime) {
        cluster.apply(oomKilled).addEvents(fixtures.warningEvent(cart.pod, "OOMKilling", "Memory cgroup out of memory: Killed process 4242 (cart)"));
        runtime.submit(fixtures.change("update", oomKilled, cart.pod));
      },
    },
    {
      title: "Alertmanager posts KubePodCrashLooping, firing, to /api/alerts",
      async run(_runtime, url) {
        await post(`${url}/api/alerts`, fixtures.alertmanagerPayload([alert]));
      },
    },
    {
      title: "the pod recovers; Alertmanager posts KubePodCrashLooping, resolved",
      async run(_runtime, url) {
        cluster.apply(checkout.pod);
        await post(`${url}/api/alerts`, fixtures.alertmanagerPayload([{ ...alert, status: "resolved", endsAt: "2026-01-01T00:31:00Z" }]));
      },
    },
  ];
}
