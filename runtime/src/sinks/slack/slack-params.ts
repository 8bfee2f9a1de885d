/** `slack_sink` parameters: Robusta's key names, plus ours for interactive buttons and proxies. */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";
import { destinationTemplate } from "../common/destination-override.js";

export const slackSinkParams = z
  .object({
    ...sinkBaseParams,
    api_key: z
      .string()
      .regex(/^xox[a-z]-/, "must be a Slack token: the app's Bot User OAuth Token, xoxb-…")
      .describe("The Slack app's Bot User OAuth Token (xoxb-…). Needs the chat:write and files:write scopes (chat:write.public to post in channels the bot has not joined)."),
    slack_channel: z
      .string()
      .min(1)
      .describe('The channel findings go to: a name ("alerts" or "#alerts") or a channel id ("C0123ABCD").'),
    channel_override: destinationTemplate()
      .optional()
      .describe(
        "Picks the channel per finding: `cluster_name`, `labels.<key>`, `annotations.<key>`, or a template such as " +
          '"$cluster_name-alerts-$labels.env" or "${annotations.kubernetes.io/service-name}". ' +
          "When the finding lacks a label or annotation it names, slack_channel is used.",
      ),
    max_log_file_limit_kb: z
      .number()
      .int()
      .positive()
      .default(1000)
      .describe("Text and log files are cut to their last this many KB before they are uploaded."),
    app_token: z
      .string()
      .startsWith("xapp-", "must be an app-level token (xapp-…) with the connections:write scope")
      .optional()
      .describe(
        "An app-level token (xapp-…, scope connections:write). Enables interactive buttons over Socket Mode: the runner " +
          "connects out to Slack, so it needs no public URL.",
      ),
    signing_secret: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The app's Signing Secret. Enables interactive buttons over HTTP: set the app's Interactivity Request URL to " +
          "https://<runner>/sinks/<name>/interactivity; requests are checked against this secret.",
      ),
    api_url: z
      .url({ protocol: /^https?$/ })
      .default("https://slack.com/api/")
      .describe("The Slack Web API base URL (Robusta's SLACK_FORWARD_URL): for a forwarding proxy in air-gapped clusters."),
  })
  .strict();

export type SlackSinkParams = z.output<typeof slackSinkParams>;
