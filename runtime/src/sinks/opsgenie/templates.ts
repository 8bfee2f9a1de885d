/**
 * Robusta's team and tag templates for Opsgenie: a value with a "$" ("$labels.team",
 * "${annotations.owner}", "$cluster_name") is filled in from the finding; one naming a label or
 * annotation the finding lacks gives the fallback (default_team for teams, nothing for tags).
 * Plain values are kept; duplicates and empty values are dropped. Pure.
 */
import type { Finding } from "@robusta-ts/sdk";
import { resolveOverride } from "../common/destination-override.js";

/** The values for `finding`, in order, after `first` when given. */
export function resolveValues(values: readonly string[], finding: Finding, clusterName: string, fallback = "", first?: string): string[] {
  const resolved = values.map((value) => (value.includes("$") ? resolveOverride(value, fallback, finding, clusterName) : value));
  return [...new Set([...(first ? [first] : []), ...resolved])].filter((value) => value !== "");
}

/** The teams for `finding`: the configured ones resolved, or the default team when none resolves. */
export function resolveTeams(teams: readonly string[], finding: Finding, clusterName: string, defaultTeam?: string): string[] {
  const resolved = resolveValues(teams, finding, clusterName, defaultTeam);
  return resolved.length === 0 && defaultTeam ? [defaultTeam] : resolved;
}
