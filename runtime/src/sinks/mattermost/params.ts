/** `mattermost_sink` parameters: Robusta's keys (`url`, `token`, `token_id`, `channel`, `team`). */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";

export const mattermostSinkParams = z
  .object({
    ...sinkBaseParams,
    url: z
      .url({ protocol: /^https?$/, error: "must be the Mattermost server's http:// or https:// URL, e.g. https://chat.example.com" })
      .describe("The Mattermost server, as in the browser's address bar (e.g. https://chat.example.com); /api/v4 is appended."),
    token: z
      .string()
      .min(1, "must be the bot's access token")
      .describe("The bot account's access token (Integrations > Bot Accounts). Sent as a Bearer token; never logged."),
    token_id: z
      .string()
      .min(1)
      .optional()
      .describe("The token's id. Accepted for compatibility with Robusta, which uses it to rename the bot; this sink posts as the bot is named."),
    channel: z
      .string()
      .min(1, "must name the channel findings go to")
      .describe('The channel findings go to: its name as in its URL ("alerts-prod") or its display name ("Alerts Prod"). The bot must be a member of its team.'),
    team: z
      .string()
      .min(1)
      .optional()
      .describe("The team the channel is in (its name or display name). Default: every team the bot is a member of."),
  })
  .strict();

/** A validated `mattermost_sink` entry. */
export type MattermostSinkParams = z.output<typeof mattermostSinkParams>;
