/**
 * The finding an event gets when an action enriches it without creating one (Robusta's
 * `create_default_finding`), and the subject of a Kubernetes object.
 */
import type { KubernetesObject, Pod } from "../kubernetes/objects.js";
import type { AnyEvent, BaseEvent, HelmReleaseEvent, KubernetesChangeEvent, PrometheusAlertEvent, ResourceEvent } from "../events/model.js";
import { HELM_UNHEALTHY_STATUSES } from "../triggers/helm.js";
import type { FindingInit, FindingSubject, Severity } from "./finding.js";

/** The subject of a finding about `obj`. */
export function subjectOf(obj: KubernetesObject | undefined, kind = obj?.kind): FindingSubject {
  const meta = obj?.metadata;
  const node = kind === "Node" ? meta?.name : kind === "Pod" ? (obj as Pod).spec?.nodeName : undefined;
  return {
    ...(meta?.name !== undefined && { name: meta.name }),
    ...(kind !== undefined && { subjectType: kind.toLowerCase() }),
    ...(meta?.namespace !== undefined && { namespace: meta.namespace }),
    ...(node !== undefined && { node }),
    labels: { ...meta?.labels },
    annotations: { ...meta?.annotations },
  };
}

/** Robusta's map from an alert's `severity` label to a finding severity. */
export const ALERT_SEVERITY_MAP: Readonly<Record<string, Severity>> = {
  critical: "HIGH",
  high: "HIGH",
  medium: "HIGH",
  error: "HIGH",
  warning: "LOW",
  low: "LOW",
  info: "INFO",
  debug: "DEBUG",
};

const OPERATION_TITLE = { create: "Create", update: "Update", delete: "Delete" } as const;

function changeFinding(event: KubernetesChangeEvent): FindingInit {
  const subject = subjectOf(event.obj, event.kind);
  return {
    title: `${OPERATION_TITLE[event.operation]} to ${event.kind} ${subject.name ?? ""}`.trimEnd(),
    aggregationKey: "GenericChange",
    source: "KUBERNETES_API_SERVER",
    subject,
  };
}

/** The alert's subject, most specific first as Robusta resolves it. */
function alertSubject(event: PrometheusAlertEvent): FindingSubject {
  const candidates: [KubernetesObject | undefined, string][] = [
    [event.deployment, "Deployment"],
    [event.daemonSet, "DaemonSet"],
    [event.statefulSet, "StatefulSet"],
    [event.node, "Node"],
    [event.pod, "Pod"],
    [event.job, "Job"],
  ];
  const found = candidates.find(([obj]) => obj !== undefined);
  if (found) {
    const subject = subjectOf(found[0], found[1]);
    // Alert labels win over the object's own labels (Robusta).
    return {
      ...subject,
      ...(event.labels.container !== undefined && found[1] === "Pod" && { container: event.labels.container }),
      labels: { ...subject.labels, ...event.labels },
      annotations: { ...subject.annotations, ...event.annotations },
    };
  }
  const labels = event.labels;
  const kind = labels.pod ? "pod" : labels.node ? "node" : undefined;
  return {
    ...(kind === "pod" && { name: labels.pod, subjectType: "pod" }),
    ...(kind === "node" && { name: labels.node, subjectType: "node" }),
    ...(labels.namespace !== undefined && { namespace: labels.namespace }),
    ...(labels.node !== undefined && { node: labels.node }),
    ...(labels.container !== undefined && { container: labels.container }),
    labels: { ...labels },
    annotations: { ...event.annotations },
  };
}

function alertFinding(event: PrometheusAlertEvent, severityMap: Readonly<Record<string, Severity>>): FindingInit {
  const summary = event.annotations.summary || event.alertName;
  const resolved = event.status === "resolved";
  const description = event.annotations.description ?? event.annotations.message;
  return {
    title: resolved ? `[RESOLVED] ${summary}` : summary,
    aggregationKey: event.alertName,
    ...(description !== undefined && { description }),
    severity: severityMap[(event.labels.severity ?? "").toLowerCase()] ?? "INFO",
    status: resolved ? "resolved" : "firing",
    source: "PROMETHEUS",
    subject: alertSubject(event),
    fingerprint: event.fingerprint,
    startsAt: event.startsAt,
    ...(event.endsAt !== undefined && { endsAt: event.endsAt }),
    ...(event.alert.generatorURL && {
      links: [{ url: event.alert.generatorURL, name: "View Graph", type: "prometheus_generator_url" as const }],
    }),
  };
}

/** Titled, graded and grouped as Robusta's helm_status_enricher does. */
function helmFinding({ helmRelease: release }: HelmReleaseEvent): FindingInit {
  const version = release.chart ? ` - version: ${release.chart.version}` : "";
  const unhealthy = HELM_UNHEALTHY_STATUSES.includes(release.status);
  return {
    title: `Helm release ${release.namespace}/${release.name}${version} - status: ${release.status}`,
    aggregationKey: unhealthy ? "Helm Release Unhealthy" : "Helm Release Info",
    ...(release.description && { description: release.description }),
    severity: release.status === "deployed" || release.status === "uninstalled" ? "INFO" : "HIGH",
    subject: { name: release.name, namespace: release.namespace, subjectType: "helmrelease" },
  };
}

/** The finding Robusta would create for `event` when an action adds to it first. */
export function defaultFindingFor(
  event: BaseEvent,
  severityMap: Readonly<Record<string, Severity>> = ALERT_SEVERITY_MAP,
): FindingInit {
  const known = event as AnyEvent;
  switch (known.source) {
    case "kubernetes":
      return changeFinding(known);
    case "prometheus":
      return alertFinding(known, severityMap);
    case "scheduler":
      return { title: "General scheduled task", aggregationKey: "GenericFindingKey", source: "SCHEDULER" };
    case "helm":
      return helmFinding(known);
    case "manual":
    case "callback": {
      // A run on an object (a pod named in the request) is about that object.
      const obj = (known as Partial<ResourceEvent>).obj;
      return {
        title: "Robusta notification",
        aggregationKey: "GenericFindingKey",
        source: known.source === "manual" ? "MANUAL" : "CALLBACK",
        ...(obj && { subject: subjectOf(obj) }),
      };
    }
    default:
      return { title: "Robusta notification", aggregationKey: "GenericFindingKey" };
  }
}
