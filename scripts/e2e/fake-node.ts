/**
 * Creates Ready fake Nodes in the cluster KUBECONFIG names, as kube-local's fake-node.sh does (that
 * script needs kubectl >= 1.24 for `--subresource=status`; this needs only @kubernetes/client-node).
 * The Node's status points the apiserver at the fake kubelet: InternalIP 127.0.0.1 and
 * daemonEndpoints.kubeletEndpoint.Port = FAKE_KUBELET_PORT, so pod logs of pods bound to it work.
 *
 * Usage: tsx scripts/e2e/fake-node.ts NAME...   (env: KUBECONFIG, FAKE_KUBELET_PORT)
 */
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";

const names = process.argv.slice(2);
if (names.length === 0 || !process.env.KUBECONFIG) {
  console.error("usage: KUBECONFIG=... tsx scripts/e2e/fake-node.ts NAME...");
  process.exit(2);
}
const port = Number(process.env.FAKE_KUBELET_PORT ?? 20250);
const kc = new KubeConfig();
kc.loadFromDefault();
const core = kc.makeApiClient(CoreV1Api);

for (const name of names) {
  await core.createNode({
    body: {
      metadata: {
        name,
        labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "kube-local/fake-node": "true" },
      },
    },
  });
  const now = new Date().toISOString();
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now,
  });
  const resources = { cpu: "4", memory: "8Gi", pods: "110", "ephemeral-storage": "100Gi" };
  const status = {
    conditions: [
      condition("Ready", "True", "KubeletReady", "kubelet is posting ready status (fake)"),
      condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "fake"),
      condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "fake"),
      condition("PIDPressure", "False", "KubeletHasSufficientPID", "fake"),
    ],
    capacity: resources,
    allocatable: resources,
    // InternalIP first: the apiserver dials it (start.sh sets --kubelet-preferred-address-types InternalIP,...).
    addresses: [{ type: "InternalIP", address: "127.0.0.1" }, { type: "Hostname", address: name }],
    daemonEndpoints: { kubeletEndpoint: { Port: port } },
    nodeInfo: {
      machineID: "", systemUUID: "", bootID: "", kernelVersion: "fake", osImage: "kube-local fake node",
      containerRuntimeVersion: "fake://0", kubeletVersion: "v1.20.2", kubeProxyVersion: "v1.20.2",
      operatingSystem: "linux", architecture: "amd64",
    },
  };
  // The status subresource takes only a patch type it knows; client-node sends JSON Patch by default.
  await core.patchNodeStatus({ name, body: { status } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
  console.log(`node/${name} Ready (InternalIP 127.0.0.1, kubelet port ${port})`);
}
