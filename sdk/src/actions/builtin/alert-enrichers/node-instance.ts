/** How node-exporter's series name a node. */
import type { Node } from "../../../kubernetes/objects.js";
import { nodeInternalIp } from "../prometheus/promql-template.js";

/**
 * A regex for node-exporter's `instance` label of the node: its name (kube-prometheus relabels
 * it so) or "<InternalIP>:<port>" (the scrape target), as Robusta's node analyzers match it.
 */
export function nodeInstanceRegex(node: Node): string {
  const name = node.metadata?.name ?? "";
  const ip = nodeInternalIp(node);
  return ip ? `${name}|${ip}:.*` : name;
}
