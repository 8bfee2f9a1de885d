/** The Microsoft Teams sink types: `ms_teams_sink` (Workflows webhook or app mode) and Robusta's `ms_teams_graph_sink`. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { TeamsGraphSink } from "./teams-graph.js";
import { graphSettingsOf, msTeamsGraphSinkParams, msTeamsSinkParams, type MsTeamsGraphSinkParams, type MsTeamsSinkParams } from "./teams-params.js";
import { TeamsWebhookSink } from "./teams-webhook.js";

export { renderTeamsCard, renderTeamsSummary, type TeamsCardOptions } from "./render-card.js";
export { teamsMessage, teamsMessageBytes, TEAMS_MAX_MESSAGE_BYTES, type TeamsMessage, type AdaptiveCard, type CardElement } from "./adaptive-card.js";
export { msTeamsSinkParams, msTeamsGraphSinkParams, graphSettingsOf, type MsTeamsSinkParams, type MsTeamsGraphSinkParams, type GraphSettings } from "./teams-params.js";
export { TeamsWebhookSink, webhookResponseError, WEBHOOK_REQUESTS_PER_SECOND, type TeamsWebhookSinkOptions } from "./teams-webhook.js";
export { TeamsGraphSink, channelAddress, type TeamsGraphSinkOptions, type ChannelAddress } from "./teams-graph.js";
export { GraphTokenProvider, type GraphTokenOptions } from "./graph-token.js";
export { resolveWebhookUrl, type ResolvedWebhook } from "./webhook-url.js";

export const msTeamsSinkType = {
  description:
    "Posts each finding to Microsoft Teams as an Adaptive Card: through a Workflows webhook (webhook_url), or as an app through " +
    "Microsoft Graph (tenant_id, client_id, ...), which can upload files and thread grouped findings. Cards are cut to Teams' 28 KB.",
  params: msTeamsSinkParams,
  create: (params: MsTeamsSinkParams, env: SinkBuildEnv): Sink => {
    const base = sinkBaseOf(params);
    if (params.webhook_url === undefined) {
      return new TeamsGraphSink(base, { settings: graphSettingsOf(params), clusterName: env.clusterName, logger: env.logger });
    }
    return new TeamsWebhookSink(base, {
      webhookUrl: params.webhook_url,
      ...(params.webhook_override !== undefined && { webhookOverride: params.webhook_override }),
      sendFiles: params.send_files,
      clusterName: env.clusterName,
      logger: env.logger,
    });
  },
  /** App mode threads (replies under a summary); a webhook cannot. */
  canThread: (params: MsTeamsSinkParams): boolean => params.webhook_url === undefined,
};

export const msTeamsGraphSinkType = {
  description: "Robusta's ms_teams_graph_sink: ms_teams_sink's app mode (Microsoft Graph) under Robusta's key.",
  params: msTeamsGraphSinkParams,
  create: (params: MsTeamsGraphSinkParams, env: SinkBuildEnv): Sink =>
    new TeamsGraphSink(sinkBaseOf(params), { settings: graphSettingsOf(params), clusterName: env.clusterName, logger: env.logger }),
  canThread: (): boolean => true,
};
