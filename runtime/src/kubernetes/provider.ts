/**
 * Which service or distribution runs the cluster, from its nodes: what on_prometheus_alert's
 * `k8s_providers` is matched against (Robusta's ClusterProviderDiscovery).
 *
 * Robusta's rules, in its order: a `kubernetes.io/hostname` containing "kind" or
 * "rancher-desktop"; an AKS providerID; a kubelet version naming GKE or EKS; a kind providerID;
 * then labels of Minikube, DigitalOcean, Kops and Scaleway Kapsule. Before them come labels each
 * managed service puts on its nodes (a GKE node pool, an EKS node group, an AKS cluster, an
 * OpenShift node): they cannot be mistaken, where a hostname containing "kind" can. A bare
 * providerID scheme ("gce://", "aws://") is not enough: self-managed clusters on those clouds
 * have it too.
 */
import type { ClusterProvider, Node } from "@robusta-ts/sdk";

type Rule = readonly [ClusterProvider, (node: Node) => boolean];

const label = (node: Node, key: string) => node.metadata?.labels?.[key];
const hasLabel = (...keys: string[]) => (node: Node) => keys.some((key) => label(node, key) !== undefined);
const providerId = (node: Node) => node.spec?.providerID ?? "";
const kubelet = (node: Node) => node.status?.nodeInfo?.kubeletVersion ?? "";

const RULES: readonly Rule[] = [
  ["GKE", hasLabel("cloud.google.com/gke-nodepool")],
  ["EKS", hasLabel("eks.amazonaws.com/nodegroup", "eks.amazonaws.com/compute-type", "alpha.eksctl.io/cluster-name")],
  ["AKS", hasLabel("kubernetes.azure.com/cluster")],
  ["OpenShift", hasLabel("node.openshift.io/os_id")],
  ["Kind", (node) => /kind/.test(label(node, "kubernetes.io/hostname") ?? "")],
  ["RancherDesktop", (node) => /rancher-desktop/.test(label(node, "kubernetes.io/hostname") ?? "")],
  ["AKS", (node) => providerId(node).startsWith("azure://") && providerId(node).includes("aks")],
  ["GKE", (node) => kubelet(node).includes("gke")],
  ["EKS", (node) => kubelet(node).includes("eks")],
  ["Kind", (node) => providerId(node).startsWith("kind://")],
  ["Minikube", hasLabel("minikube.k8s.io/name")],
  ["DigitalOcean", hasLabel("doks.digitalocean.com/version")],
  ["Kops", hasLabel("kops.k8s.io/instancegroup")],
  ["Kapsule", hasLabel("k8s.scaleway.com/kapsule")],
];

/** The cluster's provider, from its nodes; undefined when no rule recognises them. */
export function detectProvider(nodes: readonly Node[]): ClusterProvider | undefined {
  for (const [provider, matches] of RULES) {
    if (nodes.some(matches)) return provider;
  }
  return undefined;
}
