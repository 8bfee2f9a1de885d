import { createHash } from "node:crypto";
import type { FindingSource, FindingSubject } from "./finding.js";

// Robusta formats Python enum members and None into the hashed string; we reproduce those
// spellings so a finding keeps the fingerprint it had under Robusta (PagerDuty and Opsgenie
// dedup on it), e.g. "FindingSubjectType.TYPE_POD,web-0,demo,None,kubernetes_api_server<key>".
const SUBJECT_TYPE_MEMBER: Record<string, string> = {
  deployment: "TYPE_DEPLOYMENT",
  node: "TYPE_NODE",
  pod: "TYPE_POD",
  job: "TYPE_JOB",
  daemonset: "TYPE_DAEMONSET",
  statefulset: "TYPE_STATEFULSET",
  horizontalpodautoscaler: "TYPE_HPA",
};

const py = (value: string | undefined): string => value ?? "None";

/** Robusta's fingerprint: sha256 of "{subject_type},{name},{namespace},{node},{source}{aggregation_key}". */
export function fingerprintOf(subject: Partial<FindingSubject>, source: FindingSource, aggregationKey: string): string {
  const member = SUBJECT_TYPE_MEMBER[subject.subjectType ?? ""] ?? "TYPE_NONE";
  const sourceValue = source === "NONE" ? "None" : source.toLowerCase();
  const text = `FindingSubjectType.${member},${py(subject.name)},${py(subject.namespace)},${py(subject.node)},${sourceValue}${aggregationKey}`;
  return createHash("sha256").update(text).digest("hex");
}
