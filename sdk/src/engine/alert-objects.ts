/**
 * Resolves the Kubernetes objects an alert's labels name (Robusta's AlertEventBuilder), so an
 * alert naming a pod reaches pod actions with the live pod. Reads run in parallel; a failed read
 * leaves that object out and is logged, it never fails the alert.
 */
import type { Cluster } from "../cluster.js";
import type { Logger } from "../context.js";
import type { PrometheusAlertEvent } from "../events/model.js";
import type { KubernetesObject, Node } from "../kubernetes/objects.js";
import { errorMessage } from "../util/timeout.js";

const LABEL_KINDS = [
  ["pod", "Pod", "pod"],
  ["deployment", "Deployment", "deployment"],
  ["daemonset", "DaemonSet", "daemonSet"],
  ["statefulset", "StatefulSet", "statefulSet"],
  ["job_name", "Job", "job"],
] as const;

/** "10.0.0.7:9100" -> "10.0.0.7"; IPv6 "[fd00::1]:9100" -> "fd00::1". */
function hostOf(instance: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
  if (bracketed) return bracketed[1]!;
  return instance.split(":").length === 2 ? instance.slice(0, instance.lastIndexOf(":")) : instance;
}

async function nodeOf(labels: Readonly<Record<string, string>>, cluster: Cluster): Promise<Node | undefined> {
  if (labels.node) return cluster.get("Node", labels.node);
  if (!labels.instance || labels.job === "kube-state-metrics") return undefined;
  const host = hostOf(labels.instance);
  const byName = await cluster.get("Node", host);
  if (byName) return byName;
  const nodes = await cluster.list("Node");
  return nodes.find((node) => node.status?.addresses?.some((address) => address.address === host));
}

/** The alert event with `pod`, `node`, `deployment`, ... and `obj` filled in from the cluster. */
export async function resolveAlertObjects(event: PrometheusAlertEvent, cluster: Cluster, logger: Logger): Promise<PrometheusAlertEvent> {
  const labels = event.labels;
  const namespace = labels.namespace || "default";
  const read = async <T>(what: string, load: () => Promise<T | undefined>): Promise<T | undefined> => {
    try {
      return await load();
    } catch (error) {
      logger.warn({ alert: event.alertName, object: what, reason: errorMessage(error) }, "could not read an object the alert names");
      return undefined;
    }
  };
  const found: Record<string, KubernetesObject | undefined> = {};
  await Promise.all([
    ...LABEL_KINDS.map(async ([label, kind, property]) => {
      const name = labels[label];
      if (!name || name.includes("kube-state-metrics")) return;
      found[property] = await read(`${kind} ${namespace}/${name}`, () => cluster.get(kind, name, namespace));
    }),
    (async () => {
      found.node = await read(`Node ${labels.node ?? labels.instance ?? ""}`, () => nodeOf(labels, cluster));
    })(),
  ]);
  const subject = found.deployment ?? found.daemonSet ?? found.statefulSet ?? found.node ?? found.pod ?? found.job;
  const resolved = Object.fromEntries(Object.entries(found).filter(([, value]) => value !== undefined));
  return { ...event, ...resolved, ...(subject && { obj: subject }) };
}
