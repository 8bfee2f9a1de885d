import type { Cluster } from "../cluster.js";
import type { KubernetesObject } from "./objects.js";

/**
 * The owners of an object, nearest first: a pod's ReplicaSet then its Deployment, a job's
 * CronJob. Follows the controller reference (else the first owner); stops where an owner is
 * missing or after `maxDepth` steps.
 */
export async function ownerChain(cluster: Cluster, obj: KubernetesObject, maxDepth = 5): Promise<KubernetesObject[]> {
  const chain: KubernetesObject[] = [];
  let current = obj;
  for (let depth = 0; depth < maxDepth; depth++) {
    const refs = current.metadata?.ownerReferences ?? [];
    const ref = refs.find((r) => r.controller) ?? refs[0];
    if (!ref) break;
    const owner = await cluster.get(ref.kind, ref.name, current.metadata?.namespace);
    if (!owner) break;
    chain.push(owner);
    current = owner;
  }
  return chain;
}
