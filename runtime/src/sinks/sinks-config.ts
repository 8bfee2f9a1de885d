/**
 * `sinksConfig` in Robusta's shape: a list of `{ <type>_sink: { name, ... } }`. Each sink type
 * has its own schema, looked up by its key, so a mistake is reported against that type's
 * parameters (not as "no union member matched"). More types come with their sinks.
 */
import { z } from "zod";
import { sinkBaseOf, sinkBaseParams } from "./base-params.js";
import { ConsoleSink } from "./console-sink.js";
import { fileSinkType } from "./file-sink.js";
import type { RoutingParams } from "../routing/params.js";
import type { Sink, SinkBuildEnv } from "./sink.js";
import { slackSinkType } from "./slack/index.js";
import { msTeamsGraphSinkType, msTeamsSinkType } from "./teams/index.js";
import { webhookSinkType } from "./webhook/index.js";
import { pagerdutySinkType } from "./pagerduty/index.js";
import { opsgenieSinkType } from "./opsgenie/index.js";
import { discordSinkType } from "./discord/index.js";
import { telegramSinkType } from "./telegram/index.js";
import { googleChatSinkType } from "./google-chat/index.js";
import { mattermostSinkType } from "./mattermost/index.js";
import { zulipSinkType } from "./zulip/index.js";
import { webexSinkType } from "./webex/index.js";
import { mailSinkType } from "./mail/index.js";
import { jiraSinkType } from "./jira/index.js";
import { serviceNowSinkType } from "./servicenow/index.js";
import { datadogSinkType } from "./datadog/index.js";
import { kafkaSinkType } from "./kafka/index.js";

/** A sink type: what it is, its parameters and how it is built. */
export interface SinkType<P = never> {
  readonly description: string;
  readonly params: z.ZodType<P>;
  create(params: P, env: SinkBuildEnv): Sink;
  /** Whether a sink so configured can reply in threads, which grouping's summary mode needs. Default: no. */
  canThread?(params: P): boolean;
}

const consoleSinkParams = z.object({ ...sinkBaseParams }).strict();

/** Each sink type, by its YAML key (Robusta's). */
export const SINK_TYPES = {
  slack_sink: slackSinkType,
  ms_teams_sink: msTeamsSinkType,
  ms_teams_graph_sink: msTeamsGraphSinkType,
  webhook_sink: webhookSinkType,
  file_sink: fileSinkType,
  pagerduty_sink: pagerdutySinkType,
  opsgenie_sink: opsgenieSinkType,
  discord_sink: discordSinkType,
  telegram_sink: telegramSinkType,
  google_chat_sink: googleChatSinkType,
  mattermost_sink: mattermostSinkType,
  zulip_sink: zulipSinkType,
  webex_sink: webexSinkType,
  mail_sink: mailSinkType,
  jira_sink: jiraSinkType,
  service_now_sink: serviceNowSinkType,
  datadog_sink: datadogSinkType,
  kafka_sink: kafkaSinkType,
  console_sink: {
    description: "Prints findings readably on the runner's standard output.",
    params: consoleSinkParams,
    create: (params: z.output<typeof consoleSinkParams>): Sink => {
      const base = sinkBaseOf(params);
      return new ConsoleSink(base.name, process.stdout, { color: process.stdout.isTTY === true }, base.isDefault, base.routing);
    },
  },
} as const;

export type SinkTypeName = keyof typeof SINK_TYPES;

/** One validated sink entry. */
export interface SinkConfig {
  readonly type: SinkTypeName;
  readonly params: { readonly name: string; readonly default: boolean } & RoutingParams & Readonly<Record<string, unknown>>;
}

const isSinkType = (key: string): key is SinkTypeName => Object.hasOwn(SINK_TYPES, key);

/** The `sinksConfig` list: each entry names one known sink type; names are unique. */
export const sinksConfigSchema = z
  .array(z.record(z.string(), z.unknown()))
  .transform((entries, ctx): SinkConfig[] => {
    const sinks: SinkConfig[] = [];
    const seen = new Set<string>();
    entries.forEach((entry, i) => {
      const keys = Object.keys(entry);
      if (keys.length !== 1) {
        ctx.addIssue({ code: "custom", path: [i], message: `name exactly one sink type, like {console_sink: {name: console}}; got ${keys.length ? keys.join(", ") : "none"}` });
        return;
      }
      const type = keys[0]!;
      if (!isSinkType(type)) {
        ctx.addIssue({ code: "custom", path: [i, type], message: `unknown sink type "${type}" (this runner has: ${Object.keys(SINK_TYPES).join(", ")})` });
        return;
      }
      const sinkType = SINK_TYPES[type] as SinkType<SinkConfig["params"]>;
      const parsed = sinkType.params.safeParse(entry[type] ?? {});
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: [i, type, ...issue.path], message: requiredMessage(issue) });
        return;
      }
      if (parsed.data.grouping?.notification_mode.summary && !sinkType.canThread?.(parsed.data)) {
        ctx.addIssue({
          code: "custom",
          path: [i, type, "grouping", "notification_mode", "summary"],
          message: `summary grouping needs a sink that can reply in threads (${threadingTypes()}); use notification_mode.regular here`,
        });
        return;
      }
      if (seen.has(parsed.data.name)) {
        ctx.addIssue({ code: "custom", path: [i, type, "name"], message: `sink name "${parsed.data.name}" is used twice` });
        return;
      }
      seen.add(parsed.data.name);
      sinks.push({ type, params: parsed.data });
    });
    return sinks;
  });

export type SinksConfig = z.input<typeof sinksConfigSchema>;

/** Builds the sinks a validated config describes. */
export function createSinks(config: readonly SinkConfig[], env: SinkBuildEnv): Sink[] {
  return config.map(({ type, params }) => (SINK_TYPES[type] as SinkType<SinkConfig["params"]>).create(params, env));
}

/** zod says "expected string, received undefined" for a missing key; users read "required". */
const requiredMessage = (issue: z.core.$ZodIssue): string =>
  issue.code === "invalid_type" && / received undefined$/.test(issue.message) ? `required (${issue.expected})` : issue.message;

const threadingTypes = () =>
  Object.entries(SINK_TYPES)
    .filter(([, type]) => "canThread" in type)
    .map(([name]) => name)
    .join(", ");

/** Whether two sink entries configure the same sink: an unchanged sink is kept across reloads. */
export const sameSink = (a: SinkConfig, b: SinkConfig): boolean => a.type === b.type && JSON.stringify(a.params) === JSON.stringify(b.params);
