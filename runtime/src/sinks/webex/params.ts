/**
 * `webex_sink` parameters: Robusta's keys (`bot_access_token`, `room_id`, `room_id_override`,
 * `send_to_default_if_missing`, `disable_platform_links`), plus `api_url` for Webex for
 * Government and tests.
 */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";
import { destinationTemplate } from "../common/destination-override.js";

export const webexSinkParams = z
  .object({
    ...sinkBaseParams,
    bot_access_token: z
      .string()
      .min(1, "must be the bot's access token")
      .describe("The bot's access token (developer.webex.com > My Webex Apps > your bot). Sent as a Bearer token; never logged."),
    room_id: z
      .string()
      .min(1, "must be the id of the room (space) findings go to")
      .describe("The room (space) findings go to, by id (GET /v1/rooms lists the bot's rooms). The bot must be a member."),
    room_id_override: destinationTemplate()
      .optional()
      .describe(
        "Picks the room per finding from the finding's labels and annotations: `cluster_name`, `labels.<key>`, `annotations.<key>`, " +
          'or a template such as "$labels.team" or "${annotations.webex-room}". See send_to_default_if_missing for when it does not resolve.',
      ),
    send_to_default_if_missing: z
      .boolean()
      .default(true)
      .describe("When room_id_override names a label or annotation the finding lacks: send to room_id (true) or drop the finding (false)."),
    disable_platform_links: z.boolean().default(false).describe("Accepted for compatibility with Robusta; this runner adds no Robusta platform links."),
    api_url: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .default("https://webexapis.com")
      .describe("The Webex API host, without /v1 (https://api-usgov.webex.com for Webex for Government)."),
  })
  .strict();

/** A validated `webex_sink` entry. */
export type WebexSinkParams = z.output<typeof webexSinkParams>;
