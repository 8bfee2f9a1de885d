/**
 * The cluster the demo plays in: namespace "shop", a checkout Deployment whose pod is about to
 * crash-loop and a cart Deployment whose pod is about to be OOM-killed, with the logs and
 * Kubernetes Events a real cluster would have for them.
 */
import type { Deployment, KubernetesObject, Node, Pod, ReplicaSet } from "@robusta-ts/sdk";
import { InMemoryCluster, fixtures } from "@robusta-ts/sdk/testing";

export const NAMESPACE = "shop";

function workload(name: string, hash: string, suffix: string, container: string): { deployment: Deployment; replicaSet: ReplicaSet; pod: Pod } {
  const labels = { app: name };
  const rsName = `${name}-${hash}`;
  const deployment: Deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: NAMESPACE, labels },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: container, image: `registry.example/shop/${name}:2.4.1` }] } } },
  };
  const replicaSet: ReplicaSet = {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name: rsName, namespace: NAMESPACE, labels, ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name, uid: `${name}-uid`, controller: true }] },
    spec: { selector: { matchLabels: labels } },
  };
  const pod = fixtures.pod({
    name: `${rsName}-${suffix}`,
    namespace: NAMESPACE,
    containers: [container],
    labels,
    ownerReplicaSet: rsName,
    nodeName: "node-1",
    image: `registry.example/shop/${name}:2.4.1`,
  });
  return { deployment, replicaSet, pod };
}

export const checkout = workload("checkout", "5d8f7b9c4", "x7k2p", "api");
export const cart = workload("cart", "6c9d5f8b7", "q4m8z", "cart");

const node: Node = {
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "node-1", labels: { "kubernetes.io/hostname": "node-1" } },
  status: {
    addresses: [{ type: "InternalIP", address: "10.0.0.11" }],
    conditions: [{ type: "Ready", status: "True" }],
    allocatable: { cpu: "4", memory: "16Gi", pods: "110" },
  },
};

export function simulatedCluster(): InMemoryCluster {
  const cluster = new InMemoryCluster().apply<KubernetesObject>(node, ...Object.values(checkout), ...Object.values(cart));
  const pod = checkout.pod.metadata!.name!;
  cluster.setLogs(NAMESPACE, pod, "api", {
    current: "2026-01-01T00:00:41Z INFO starting checkout-api 2.4.1\n2026-01-01T00:00:41Z INFO connecting to postgres://orders-db:5432\n",
    previous: [
      "2026-01-01T00:00:02Z INFO starting checkout-api 2.4.1",
      "2026-01-01T00:00:02Z INFO loading config from /etc/checkout/config.yaml",
      "2026-01-01T00:00:03Z INFO connecting to postgres://orders-db:5432",
      "2026-01-01T00:00:05Z ERROR connection refused: orders-db:5432 (attempt 3/3)",
      "2026-01-01T00:00:05Z FATAL cannot start without the orders database; exiting with code 1",
      "",
    ].join("\n"),
  });
  cluster.setLogs(NAMESPACE, cart.pod.metadata!.name!, "cart", {
    current: "",
    previous: "2026-01-01T00:00:10Z INFO cart service ready\n2026-01-01T00:00:58Z WARN cache size 1.9Gi exceeds soft limit\n",
  });
  return cluster;
}

/** The Kubernetes Events a crash loop leaves on the pod. */
export function crashLoopEvents(pod: Pod) {
  return [
    { ...fixtures.warningEvent(pod, "BackOff", "Back-off restarting failed container api in pod " + pod.metadata!.name, { time: "2026-01-01T00:00:40Z", count: 3 }) },
    {
      ...fixtures.warningEvent(pod, "Pulled", 'Container image "registry.example/shop/checkout:2.4.1" already present on machine', { time: "2026-01-01T00:00:30Z" }),
      type: "Normal",
    },
  ];
}
