/** Filling `$pod`, `$namespace`, `$node_internal_ip`, ... into PromQL and graph titles from the event. */
import type { Logger } from "../../../context.js";
import type { BaseEvent, PrometheusAlertEvent } from "../../../events/model.js";
import type { Node } from "../../../kubernetes/objects.js";
import { eventSubject } from "../findings/event-subject.js";
import { renderTemplate } from "../findings/template.js";

/**
 * Robusta's templating of queries and titles (`string.Template.safe_substitute` over a map that
 * answers "<missing>" for any name): `$pod`, `${pod}`, `$$` for `$`; a `$` not followed by a name
 * stays (PromQL regexes such as `".*-web$"`).
 */
export function substituteLabels(template: string, labels: Readonly<Record<string, string>>): string {
  return renderTemplate(template, labels, { missing: "<missing>" });
}

/** The node's InternalIP: node-exporter's `instance` label is "<InternalIP>:<port>". */
export function nodeInternalIp(node: Node | undefined): string | undefined {
  return node?.status?.addresses?.find((address) => address.type === "InternalIP")?.address;
}

/** Whether the event is a Prometheus alert. */
export function isAlertEvent(event: BaseEvent): event is PrometheusAlertEvent {
  return event.source === "prometheus" && "alert" in event;
}

/**
 * What a template can name: the subject (`name`, `namespace`, `node`, `container`, and `pod` for a
 * pod), an alert's labels (which win), and `node_internal_ip` when the event carries its node.
 */
export function templateLabels(event: BaseEvent): Record<string, string> {
  const { subject } = eventSubject(event);
  const labels: Record<string, string> = {};
  for (const key of ["name", "namespace", "node", "container"] as const) {
    const value = subject[key];
    if (value !== undefined) labels[key] = value;
  }
  if (subject.subjectType === "pod" && subject.name !== undefined) labels.pod = subject.name;
  if (isAlertEvent(event)) Object.assign(labels, event.alert.labels);
  const ip = nodeInternalIp((event as { node?: Node }).node);
  if (ip !== undefined) labels.node_internal_ip = ip;
  return labels;
}

/**
 * The PromQL of an alert's rule: `g0.expr` of its generatorURL (Prometheus's /graph link).
 * Undefined, and a warning naming `action`, when the alert has none.
 */
export function alertExpression(event: PrometheusAlertEvent, logger: Logger, action: string): string | undefined {
  const url = event.alert.generatorURL;
  let expression: string | null = null;
  try {
    expression = url ? new URL(url, "http://prometheus").searchParams.get("g0.expr") : null;
  } catch {
    // not a URL: no expression
  }
  if (expression) return expression;
  logger.warn({ alert: event.alertName, generatorURL: url ?? null }, `${action}: the alert's generatorURL has no expression (g0.expr)`);
  return undefined;
}
