import { describe, expect, it } from "vitest";
import type { Node } from "@robusta-ts/sdk";
import { fixtures } from "@robusta-ts/sdk/testing";
import { detectProvider } from "../../src/kubernetes/provider.js";

/** A node with these labels, providerID and kubelet version. */
function node(options: { name?: string; labels?: Record<string, string>; providerID?: string; kubelet?: string } = {}): Node {
  const base = fixtures.node({ name: options.name ?? "node-1" });
  return {
    ...base,
    metadata: { ...base.metadata, labels: { "kubernetes.io/hostname": options.name ?? "node-1", ...options.labels } },
    ...(options.providerID !== undefined && { spec: { providerID: options.providerID } }),
    status: { ...base.status, nodeInfo: { kubeletVersion: options.kubelet ?? "v1.30.2", architecture: "amd64", bootID: "", containerRuntimeVersion: "", kernelVersion: "", kubeProxyVersion: "", machineID: "", operatingSystem: "linux", osImage: "", systemUUID: "" } },
  };
}

describe("cluster provider detection", () => {
  it("recognises the managed services by their node labels, provider IDs and kubelet versions", () => {
    expect(detectProvider([node({ labels: { "cloud.google.com/gke-nodepool": "default-pool" }, providerID: "gce://proj/us-central1-a/gke-x" })])).toBe("GKE");
    expect(detectProvider([node({ kubelet: "v1.29.1-gke.1589018" })])).toBe("GKE");
    expect(detectProvider([node({ labels: { "eks.amazonaws.com/nodegroup": "ng-1" }, providerID: "aws:///eu-west-1a/i-0abc" })])).toBe("EKS");
    expect(detectProvider([node({ labels: { "alpha.eksctl.io/cluster-name": "prod" } })])).toBe("EKS");
    expect(detectProvider([node({ kubelet: "v1.29.0-eks-5e0fdde", providerID: "aws:///eu-west-1a/i-0abc" })])).toBe("EKS");
    expect(detectProvider([node({ providerID: "azure:///subscriptions/s/resourceGroups/mc_rg_prod_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-1234-vmss/virtualMachines/0" })])).toBe("AKS");
    expect(detectProvider([node({ labels: { "kubernetes.azure.com/cluster": "mc_rg_prod" } })])).toBe("AKS");
    expect(detectProvider([node({ labels: { "doks.digitalocean.com/version": "1.30.1-do.0" } })])).toBe("DigitalOcean");
    expect(detectProvider([node({ labels: { "node.openshift.io/os_id": "rhcos" } })])).toBe("OpenShift");
    expect(detectProvider([node({ labels: { "kops.k8s.io/instancegroup": "nodes" }, providerID: "aws:///eu-west-1a/i-0abc" })])).toBe("Kops");
  });

  it("recognises local clusters by hostname, provider ID or label", () => {
    expect(detectProvider([node({ name: "kind-control-plane", providerID: "kind://docker/kind/kind-control-plane" })])).toBe("Kind");
    expect(detectProvider([node({ name: "lima-rancher-desktop" })])).toBe("RancherDesktop");
    expect(detectProvider([node({ name: "minikube", labels: { "minikube.k8s.io/name": "minikube" } })])).toBe("Minikube");
  });

  it("trusts a managed service's label over a hostname that happens to contain \"kind\"", () => {
    expect(detectProvider([node({ name: "gke-kindness-pool-1", labels: { "cloud.google.com/gke-nodepool": "kindness-pool" } })])).toBe("GKE");
  });

  it("looks at every node, not only the first", () => {
    expect(detectProvider([node({ name: "plain" }), node({ name: "worker", labels: { "eks.amazonaws.com/nodegroup": "ng-1" } })])).toBe("EKS");
  });

  it("says nothing for clusters it cannot tell, such as self-managed ones on a cloud", () => {
    expect(detectProvider([node({ providerID: "gce://proj/us-central1-a/k8s-worker-1" })])).toBeUndefined();
    expect(detectProvider([node({ providerID: "aws:///eu-west-1a/i-0abc" })])).toBeUndefined();
    expect(detectProvider([])).toBeUndefined();
  });
});
