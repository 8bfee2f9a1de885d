/**
 * The routing view of a finding (Robusta's `attribute_map`), which scope, match and grouping
 * read. As in Robusta, every attribute but labels and annotations is a string, and a missing one
 * is "None" (so `namespace: None` matches cluster-scoped findings).
 */
import type { Finding, FindingSubject } from "@robusta-ts/sdk";

export interface FindingAttributes {
  readonly title: string;
  /** The aggregation key; for Prometheus alerts, the alert name. */
  readonly identifier: string;
  readonly severity: string;
  readonly source: string;
  /** The finding type: ISSUE, CONF_CHANGE, HEALTH_CHECK, REPORT. */
  readonly type: string;
  /** The subject's kind, lower case: pod, deployment, node, ... */
  readonly kind: string;
  readonly namespace: string;
  readonly node: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** For grouping only. */
  readonly cluster: string;
  /** The subject's top-level owner (a Deployment's name for its pods); for grouping only. */
  readonly workload: string;
}

const NONE = "None";

/** Kinds that are their own workload. */
const WORKLOAD_KINDS: ReadonlySet<string> = new Set(["deployment", "statefulset", "daemonset", "job", "cronjob", "rollout", "deploymentconfig", "replicationcontroller"]);

// Kubernetes' generated name suffixes (random pod suffixes and pod-template hashes) use this
// alphabet: no vowels and no 0, 1, 3, so ordinary words rarely look like one.
const HASH_CHAR = "[bcdfghjklmnpqrstvwxz2456789]";
const RS_SUFFIX = new RegExp(`^(.+)-${HASH_CHAR}{6,10}$`);
const DEPLOYMENT_POD = new RegExp(`^(.+)-${HASH_CHAR}{6,10}-${HASH_CHAR}{5}$`);
const GENERATED_POD = new RegExp(`^(.+)-${HASH_CHAR}{5}$`);
const ORDINAL_POD = /^(.+)-\d+$/;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The subject's workload. Robusta takes the owner Kubernetes reports; a finding does not carry
 * it, so it is read off the name. For a pod, the labels Kubernetes sets tell the owner when they
 * are there (`job-name`; `pod-template-hash` for "<deployment>-<hash>-<suffix>";
 * `statefulset.kubernetes.io/pod-name` for "<statefulset>-<ordinal>"); without them the
 * generated suffixes are stripped by their shape ("web-7d9f8b6c5-x2x4q" and "agent-x2x4q" become
 * "web" and "agent"). A pod with no generated suffix is its own workload.
 */
export function workloadOf(subject: FindingSubject): string | undefined {
  const { name } = subject;
  const kind = subject.subjectType?.toLowerCase();
  if (!name || !kind) return undefined;
  if (WORKLOAD_KINDS.has(kind)) return name;
  if (kind === "replicaset") return RS_SUFFIX.exec(name)?.[1] ?? name;
  if (kind !== "pod") return undefined;
  const labels = subject.labels;
  const job = labels["job-name"] ?? labels["batch.kubernetes.io/job-name"];
  if (job) return job;
  const templateHash = labels["pod-template-hash"];
  if (templateHash) {
    const owned = new RegExp(`^(.+)-${escape(templateHash)}-[a-z0-9]{5}$`).exec(name);
    if (owned) return owned[1];
  }
  if (labels["statefulset.kubernetes.io/pod-name"] === name) {
    const ordinal = ORDINAL_POD.exec(name);
    if (ordinal) return ordinal[1];
  }
  return DEPLOYMENT_POD.exec(name)?.[1] ?? GENERATED_POD.exec(name)?.[1] ?? name;
}

/** The routing view of `finding` in cluster `clusterName`. */
export function findingAttributes(finding: Finding, clusterName: string): FindingAttributes {
  const { subject } = finding;
  return {
    title: finding.title,
    identifier: finding.aggregationKey,
    severity: finding.severity,
    source: finding.source,
    type: finding.findingType,
    kind: subject.subjectType || NONE,
    namespace: subject.namespace ?? NONE,
    node: subject.node ?? NONE,
    name: subject.name ?? NONE,
    labels: subject.labels,
    annotations: subject.annotations,
    cluster: clusterName,
    workload: workloadOf(subject) ?? NONE,
  };
}
