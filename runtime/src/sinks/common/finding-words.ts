/**
 * The words and marks every sink shows for a finding's status and severity (Robusta's), so a
 * finding reads the same in Slack, Discord or a mail. Pure.
 */
import type { Finding, Severity } from "@robusta-ts/sdk";

/** A coloured mark per severity. */
export const SEVERITY_MARK: Readonly<Record<Severity, string>> = { DEBUG: "🔵", INFO: "🟢", LOW: "🟡", MEDIUM: "🟠", HIGH: "🔴" };

/** The severity as a word: "High", "Info". */
export const severityName = (severity: Severity): string => `${severity.charAt(0)}${severity.slice(1).toLowerCase()}`;

/** Robusta's status words, plain: "Prometheus Alert Firing", "Prometheus resolved", "K8s event detected", "Notification", "Resolved". */
export function statusWords(finding: Pick<Finding, "source" | "status">): string {
  const resolved = finding.status === "resolved";
  if (finding.source === "PROMETHEUS") return resolved ? "Prometheus resolved" : "Prometheus Alert Firing";
  if (resolved) return "Resolved";
  return finding.source === "KUBERNETES_API_SERVER" ? "K8s event detected" : "Notification";
}

/** The mark before the status words: 🔥 firing alert, ✅ resolved, 👀 anything else. */
export function statusMark(finding: Pick<Finding, "source" | "status">): string {
  if (finding.status === "resolved") return "✅";
  return finding.source === "PROMETHEUS" ? "🔥" : "👀";
}

/** Robusta's colour by status (FindingStatus.to_color_hex): red firing, green resolved. */
export const STATUS_COLORS = { firing: "#EF311F", resolved: "#00B302" } as const;

/** The title as Robusta shows it: resolved findings are marked there (ours carry a status, so the mark is put back). */
export const robustaTitle = (finding: Pick<Finding, "status" | "title">): string =>
  finding.status === "resolved" && !finding.title.startsWith("[RESOLVED]") ? `[RESOLVED] ${finding.title}` : finding.title;

/** "ns/kind/name" style identification of the subject, leaving out what is unknown; "" when nothing is. */
export function subjectPath(finding: Pick<Finding, "subject">, separator = "/"): string {
  const { namespace, subjectType, name } = finding.subject;
  return [namespace, subjectType, name].filter((part): part is string => part !== undefined && part !== "").join(separator);
}

/** Cuts `text` to at most `max` characters (code points), ending with "…" when cut. */
export function cutChars(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return max <= 0 ? "" : `${points.slice(0, max - 1).join("")}…`;
}
