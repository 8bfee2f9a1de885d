/**
 * `ms_teams_sink` parameters: Robusta's webhook keys (`webhook_url`, `webhook_override`) for a
 * Teams Workflows webhook, or app mode through Microsoft Graph with the key names of Robusta's
 * `ms_teams_graph_sink` (`tenant_id`, `client_id`, `client_secret`, `username`, `password`,
 * `team_id`, `channel_id`, `channel_override`, `authority_host`, `graph_endpoint`). Exactly one
 * mode is configured. `ms_teams_graph_sink` takes the app mode keys alone, so a Robusta
 * configuration using that key works unchanged.
 */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";
import { destinationTemplate } from "../common/destination-override.js";

const template = (what: string) => destinationTemplate().optional().describe(what);

const httpsUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

/** The app mode keys, shared by both sink keys. */
const graphShape = {
  tenant_id: z.string().min(1).optional().describe("App mode: the Microsoft Entra tenant (directory) id, or its domain (contoso.onmicrosoft.com)."),
  client_id: z.string().min(1).optional().describe("App mode: the application (client) id of the app registration."),
  client_secret: z
    .string()
    .min(1)
    .optional()
    .describe("App mode: a client secret of the app registration. Required unless username/password sign in a public client."),
  username: z
    .string()
    .min(1)
    .optional()
    .describe(
      "App mode: a service account (user principal name) to post as, with `password`. Graph lets only a signed-in user post " +
        "and edit channel messages; without it the app signs in as itself (client credentials), which Graph refuses for posting today.",
    ),
  password: z.string().min(1).optional().describe("App mode: the service account's password (the account must not require interactive MFA)."),
  team_id: z.string().min(1).optional().describe("App mode: the team's id (the groupId in a channel link)."),
  channel_id: z
    .string()
    .min(1)
    .optional()
    .describe("App mode: the channel's id, 19:…@thread.tacv2 (as in a channel link; URL-encoded ids are decoded)."),
  channel_override: template(
    "App mode: picks the channel per finding: `cluster_name`, `labels.<key>`, `annotations.<key>` or a template; it may resolve to " +
      "`<channel_id>` (in team_id) or `<team_id>/<channel_id>`. When the finding lacks what it names, channel_id is used.",
  ),
  send_to_default_if_missing: z
    .boolean()
    .default(true)
    .describe("App mode: when channel_override names a label or annotation the finding lacks, send to channel_id (true) or drop the finding (false)."),
  oauth_scope: z.string().min(1).optional().describe("App mode: the token scope. Default `<graph_endpoint>/.default`."),
  authority_host: httpsUrl
    .default("https://login.microsoftonline.com")
    .describe("App mode: the Microsoft Entra sign-in host (another for national clouds, e.g. https://login.microsoftonline.us)."),
  graph_endpoint: httpsUrl
    .default("https://graph.microsoft.com")
    .describe("App mode: the Microsoft Graph host, without the version (v1.0 is appended)."),
  disable_platform_links: z.boolean().default(false).describe("Accepted for compatibility with Robusta; this runner adds no Robusta platform links."),
};

const sendFiles = z
  .boolean()
  .default(true)
  .describe(
    "Webhook mode: show the last lines of text files in the card. App mode: upload files to the channel's Files and link them " +
      "(false: show their last lines instead).",
  );

/** The keys that select app mode (the defaulted ones do not). */
const APP_KEYS = ["tenant_id", "client_id", "client_secret", "username", "password", "team_id", "channel_id", "channel_override", "oauth_scope"] as const;

type GraphInput = { readonly [K in (typeof APP_KEYS)[number]]?: string | undefined };

function checkAppMode(params: GraphInput, ctx: z.RefinementCtx): void {
  for (const key of ["tenant_id", "client_id", "team_id", "channel_id"] as const) {
    if (params[key] === undefined) ctx.addIssue({ code: "custom", path: [key], message: `app mode needs ${key}` });
  }
  if ((params.username === undefined) !== (params.password === undefined)) {
    ctx.addIssue({ code: "custom", path: [params.username === undefined ? "username" : "password"], message: "username and password go together" });
  }
  if (params.username === undefined && params.client_secret === undefined) {
    ctx.addIssue({ code: "custom", path: ["client_secret"], message: "app mode needs client_secret (or username and password for a service account)" });
  }
}

export const msTeamsSinkParams = z
  .object({
    ...sinkBaseParams,
    webhook_url: httpsUrl
      .optional()
      .describe(
        "Webhook mode: the URL of a Teams Workflows webhook (the workflow \"Post to a channel when a webhook request is received\"). " +
          "Legacy Office 365 connector URLs work too.",
      ),
    webhook_override: template(
      "Webhook mode: picks the webhook per finding: `annotations.<key>` or a template such as \"${annotations.teams-webhook}\". " +
        "A resolved value that is not a URL is the name of an environment variable holding the URL. When the finding lacks the " +
        "annotation (or the variable is unset), webhook_url is used.",
    ),
    send_files: sendFiles,
    ...graphShape,
  })
  .strict()
  .superRefine((params, ctx) => {
    const appKeys = APP_KEYS.filter((key) => params[key] !== undefined);
    if (params.webhook_url !== undefined && appKeys.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: [appKeys[0]!],
        message: `configure one mode: webhook_url (a Workflows webhook) or app mode (${appKeys.join(", ")}), not both`,
      });
      return;
    }
    if (params.webhook_url === undefined && appKeys.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["webhook_url"],
        message: "set webhook_url (a Teams Workflows webhook URL), or app mode: tenant_id, client_id, client_secret, team_id and channel_id",
      });
      return;
    }
    if (params.webhook_url === undefined) {
      checkAppMode(params, ctx);
      if (params.webhook_override !== undefined) ctx.addIssue({ code: "custom", path: ["webhook_override"], message: "applies to webhook mode only; app mode uses channel_override" });
    }
  });

/** A validated `ms_teams_sink` entry. */
export type MsTeamsSinkParams = z.output<typeof msTeamsSinkParams>;

/** Robusta's `ms_teams_graph_sink`: the app mode keys alone. */
export const msTeamsGraphSinkParams = z
  .object({ ...sinkBaseParams, send_files: sendFiles, ...graphShape })
  .strict()
  .superRefine((params, ctx) => checkAppMode(params, ctx));

/** A validated `ms_teams_graph_sink` entry. */
export type MsTeamsGraphSinkParams = z.output<typeof msTeamsGraphSinkParams>;

/** What app mode needs, once validated. */
export interface GraphSettings {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly username?: string;
  readonly password?: string;
  readonly teamId: string;
  readonly channelId: string;
  readonly channelOverride?: string;
  readonly sendToDefaultIfMissing: boolean;
  readonly scope: string;
  readonly authorityHost: string;
  readonly graphEndpoint: string;
  readonly sendFiles: boolean;
}

const trimSlash = (url: string): string => url.replace(/\/+$/, "");

/** App mode settings from validated parameters (either sink key). */
export function graphSettingsOf(params: MsTeamsSinkParams | MsTeamsGraphSinkParams): GraphSettings {
  const graphEndpoint = trimSlash(params.graph_endpoint);
  return {
    tenantId: params.tenant_id!,
    clientId: params.client_id!,
    ...(params.client_secret !== undefined && { clientSecret: params.client_secret }),
    ...(params.username !== undefined && { username: params.username }),
    ...(params.password !== undefined && { password: params.password }),
    teamId: params.team_id!,
    channelId: params.channel_id!,
    ...(params.channel_override !== undefined && { channelOverride: params.channel_override }),
    sendToDefaultIfMissing: params.send_to_default_if_missing,
    scope: params.oauth_scope ?? `${graphEndpoint}/.default`,
    authorityHost: trimSlash(params.authority_host),
    graphEndpoint,
    sendFiles: params.send_files,
  };
}
