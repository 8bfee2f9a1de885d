/** What to do in Jira for a finding: Robusta's `JiraClient.manage_issue`, as a pure decision. */
import type { Finding } from "@robusta-ts/sdk";
import type { FoundIssue } from "./jira-api.js";

/** The settings the decision reads (the sink's parameters). */
export interface DecisionSettings {
  readonly sendResolved: boolean;
  readonly reopenIssues: boolean;
  readonly doneStatusName: string;
  readonly noReopenResolution: string;
}

export type Decision =
  /** Open a new issue (and attach the files). */
  | { readonly action: "create" }
  /** Rewrite the open issue's summary and description. */
  | { readonly action: "update"; readonly issue: FoundIssue }
  /** Move the done issue back to `reopenStatusName`, then update it. */
  | { readonly action: "reopen"; readonly issue: FoundIssue }
  /** Move the open issue to `doneStatusName` and say why in a comment. */
  | { readonly action: "resolve"; readonly issue: FoundIssue }
  | { readonly action: "nothing"; readonly reason: string };

/** Only Prometheus alerts are matched to existing issues; every other finding opens its own. */
export const matchesExisting = (finding: Pick<Finding, "source">): boolean => finding.source === "PROMETHEUS";

/** The decision for `finding`, given the most recent issue carrying its dedup labels (for Prometheus alerts). */
export function decide(finding: Pick<Finding, "source" | "status">, existing: FoundIssue | undefined, settings: DecisionSettings): Decision {
  if (!matchesExisting(finding)) return { action: "create" };
  const resolved = finding.status === "resolved";
  if (!existing) return resolved ? { action: "nothing", reason: "the alert resolved and it has no issue" } : { action: "create" };

  const done = existing.status.toLowerCase() === settings.doneStatusName.toLowerCase();
  if (done) {
    if (resolved) return { action: "nothing", reason: `the alert resolved and ${existing.key} is already ${existing.status}` };
    if (settings.noReopenResolution && existing.resolution === settings.noReopenResolution) {
      return { action: "nothing", reason: `${existing.key} is resolved as "${existing.resolution}", which is not reopened` };
    }
    return settings.reopenIssues ? { action: "reopen", issue: existing } : { action: "create" };
  }
  if (!resolved) return { action: "update", issue: existing };
  return settings.sendResolved ? { action: "resolve", issue: existing } : { action: "nothing", reason: `the alert resolved and sendResolved is off, so ${existing.key} stays open` };
}
