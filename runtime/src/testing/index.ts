/**
 * `@robusta-ts/runtime/testing`: what a finding looks like in Slack and Microsoft Teams, for
 * playbook tests. The SDK's test runner (`@robusta-ts/sdk/testing`) captures findings per sink;
 * these render them with the sinks' own (pure) renderers, as the runner would send them.
 *
 * ```ts
 * const [finding] = await runner.emit(fixtures.change("update", crashing, healthy));
 * const message = slackMessageOf(finding);
 * expect(JSON.stringify(message.blocks)).toContain("Crash info");
 * ```
 */
import type { Finding } from "@robusta-ts/sdk";
import type { CapturingSink } from "@robusta-ts/sdk/testing";
import { renderSlackMessage } from "../sinks/slack/render-message.js";
import type { SlackMessage } from "../sinks/slack/message.js";
import { renderTeamsCard } from "../sinks/teams/render-card.js";
import type { TeamsMessage } from "../sinks/teams/adaptive-card.js";

export type { SlackMessage } from "../sinks/slack/message.js";
export type { TeamsMessage } from "../sinks/teams/adaptive-card.js";

export interface PreviewOptions {
  /** The cluster's name, shown as the source. Default "test-cluster". */
  readonly clusterName?: string;
}

/**
 * The Slack message `slack_sink` would post for `finding` (with its default max_log_file_limit_kb):
 * Block Kit blocks within Slack's limits, and the files it would upload. Buttons are left out, as
 * on a sink without interactivity.
 */
export function slackMessageOf(finding: Finding, options: PreviewOptions = {}): SlackMessage {
  return renderSlackMessage(finding, { clusterName: options.clusterName ?? "test-cluster", maxLogFileBytes: 1000 * 1024 });
}

/** The Teams message `ms_teams_sink` would post to a Workflows webhook for `finding`: one Adaptive Card, within 28 KB. */
export function teamsMessageOf(finding: Finding, options: PreviewOptions = {}): TeamsMessage {
  return renderTeamsCard(finding, { clusterName: options.clusterName ?? "test-cluster" });
}

/** A test runner's sink as Slack and Teams would show it: each finding it received, rendered, in order. */
export function previewsOf(sink: CapturingSink, options: PreviewOptions = {}): { readonly slack: SlackMessage[]; readonly teams: TeamsMessage[] } {
  return {
    slack: sink.findings.map((finding) => slackMessageOf(finding, options)),
    teams: sink.findings.map((finding) => teamsMessageOf(finding, options)),
  };
}
