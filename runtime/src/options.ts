/** The runner's settings: flags and environment variables, validated. */
import { z } from "zod";

export const runtimeOptionsSchema = z
  .object({
    host: z.string().default("0.0.0.0").describe("Address to listen on (env RUNNER_BIND_ADDR)."),
    port: z.number().int().min(0).max(65535).default(5000).describe("Port to listen on; 0 picks a free one (env PORT)."),
    bodyLimitBytes: z
      .number()
      .int()
      .positive()
      .default(2 * 1024 * 1024)
      .describe("Largest request body accepted; larger ones get 413 (env ROBUSTA_BODY_LIMIT_BYTES)."),
    queueCapacity: z
      .number()
      .int()
      .positive()
      .default(1000)
      .describe("Events the intake queue holds; beyond it intake answers 503 (env INCOMING_EVENTS_QUEUE_MAX_SIZE)."),
    workers: z.number().int().positive().default(8).describe("Events dispatched at once (env NUM_EVENT_THREADS)."),
    authToken: z
      .string()
      .min(16, "must be at least 16 characters")
      .optional()
      .describe("When set, POST /api/* require 'Authorization: Bearer <token>' (env ROBUSTA_AUTH_TOKEN)."),
    actionTimeoutMs: z.number().int().positive().default(60_000).describe("Longest an action may run (env ROBUSTA_ACTION_TIMEOUT_MS)."),
    playbookTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(300_000)
      .describe("Longest a playbook run may take (env ROBUSTA_PLAYBOOK_TIMEOUT_MS)."),
    clusterName: z.string().default("default").describe("Shown on every finding (env CLUSTER_NAME)."),
    logLevel: z.enum(["debug", "info", "warn", "error", "silent"]).default("info").describe("Log level (env LOG_LEVEL)."),
    namespaces: z
      .array(z.string().min(1))
      .default([])
      .describe("Watch only these namespaces; empty watches all (env ROBUSTA_NAMESPACES, comma-separated)."),
    excludeNamespaces: z
      .array(z.string().min(1))
      .default([])
      .describe("Never watch these namespaces (env ROBUSTA_EXCLUDE_NAMESPACES, comma-separated)."),
    watchCluster: z
      .boolean()
      .default(true)
      .describe("Watch the cluster in the runner; false when a separate forwarder posts changes to /api/handle (env ROBUSTA_WATCH_CLUSTER)."),
    advancedFilters: z
      .boolean()
      .default(true)
      .describe("Forward only the pod, job and event changes triggers act on, as kubewatch's ADVANCED_FILTERS (env ADVANCED_FILTERS)."),
    customResources: z
      .array(z.string().regex(/^[^/\s]+\/[^/\s]+\/[^/\s]+$/, 'must be "group/version/resource", e.g. "argoproj.io/v1alpha1/rollouts"'))
      .default([])
      .describe("Custom resources to watch, as group/version/resource (env ROBUSTA_CUSTOM_RESOURCES, comma-separated)."),
    watchIdleTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(120_000)
      .describe("Reconnect a watch that has sent nothing, not even a bookmark, for this long (env ROBUSTA_WATCH_IDLE_TIMEOUT_MS)."),
    alertDedupTtlSeconds: z
      .number()
      .int()
      .nonnegative()
      .default(7200)
      .describe("Drop an alert state (fingerprint, status, startsAt, endsAt) seen this recently; 0 turns dedup off (env PROCESSED_ALERT_CACHE_TTL)."),
    alertDedupMaxEntries: z
      .number()
      .int()
      .positive()
      .default(100_000)
      .describe("Alert states remembered for dedup, the oldest forgotten first (env PROCESSED_ALERTS_CACHE_MAX_SIZE)."),
    watchStaleAfterMs: z
      .number()
      .int()
      .positive()
      .default(300_000)
      .describe("/healthz fails when a watch has not worked for this long (env ROBUSTA_WATCH_STALE_AFTER_MS)."),
    installationNamespace: z
      .string()
      .min(1)
      .default("robusta")
      .describe("The namespace the runner is installed in; its state ConfigMaps live there (env INSTALLATION_NAMESPACE)."),
    initialScheduleDelaySec: z
      .number()
      .int()
      .nonnegative()
      .default(120)
      .describe(
        "Least wait before a scheduled playbook's first run after start or reload, so old and new runners of a rolling upgrade do not both run it (env INITIAL_SCHEDULE_DELAY_SEC).",
      ),
    persistState: z
      .boolean()
      .default(true)
      .describe(
        "Keep schedule run counts and rate limits in ConfigMaps (scheduled-jobs, robusta-rate-limits) so they survive restarts; false keeps them in memory (env ROBUSTA_PERSIST_STATE).",
      ),
    disableHelmMonitoring: z
      .boolean()
      .default(false)
      .describe(
        "Never read Helm's release Secrets: on_helm_release_* triggers do not fire. Robusta's chart sets it unless monitorHelmReleases (env DISABLE_HELM_MONITORING).",
      ),
    helmPollIntervalSec: z
      .number()
      .int()
      .positive()
      .default(30)
      .describe("Seconds between reads of Helm's release Secrets, while a playbook has an on_helm_release_* trigger (env HELM_MONITORING_INTERVAL_SEC)."),
    maxTableRows: z
      .number()
      .int()
      .positive()
      .default(50)
      .describe("A table an action adds with more rows is attached as a text file instead, and the finding says so (env ROBUSTA_MAX_TABLE_ROWS)."),
    maxFileKb: z
      .number()
      .int()
      .positive()
      .default(1000)
      .describe("A file an action attaches (a log) keeps only its last this many KB, and the finding says what was cut (env ROBUSTA_MAX_FILE_KB)."),
    sinkQueueCapacity: z
      .number()
      .int()
      .positive()
      .default(1000)
      .describe("Findings each sink's delivery queue holds; beyond it findings for that sink are dropped, logged and counted (env ROBUSTA_SINK_QUEUE_SIZE)."),
    sinkConcurrency: z
      .number()
      .int()
      .positive()
      .default(4)
      .describe("Destinations (channels, webhooks) each sink sends to at once; findings for one destination go in order (env ROBUSTA_SINK_CONCURRENCY)."),
    sinkRetryBudgetSec: z
      .number()
      .int()
      .positive()
      .default(900)
      .describe(
        "How long a sink keeps retrying a finding (rate limits, server errors, outages) before giving up on it, logging and counting it (env ROBUSTA_SINK_RETRY_BUDGET_SEC).",
      ),
    sinkDrainTimeoutSec: z
      .number()
      .int()
      .nonnegative()
      .default(20)
      .describe("On shutdown or reload, how long sinks keep delivering what is queued; what is left is logged and counted as abandoned (env ROBUSTA_SINK_DRAIN_TIMEOUT_SEC)."),
  })
  .strict();

export type RuntimeOptions = z.output<typeof runtimeOptionsSchema>;
export type RuntimeOptionsInput = z.input<typeof runtimeOptionsSchema>;

/** Environment variables, by name: the option each sets. Robusta's names where it has one. */
export const ENV: Record<string, [keyof RuntimeOptions, "string" | "number" | "boolean" | "list"]> = {
  RUNNER_BIND_ADDR: ["host", "string"],
  PORT: ["port", "number"],
  ROBUSTA_BODY_LIMIT_BYTES: ["bodyLimitBytes", "number"],
  INCOMING_EVENTS_QUEUE_MAX_SIZE: ["queueCapacity", "number"],
  NUM_EVENT_THREADS: ["workers", "number"],
  ROBUSTA_AUTH_TOKEN: ["authToken", "string"],
  ROBUSTA_ACTION_TIMEOUT_MS: ["actionTimeoutMs", "number"],
  ROBUSTA_PLAYBOOK_TIMEOUT_MS: ["playbookTimeoutMs", "number"],
  CLUSTER_NAME: ["clusterName", "string"],
  LOG_LEVEL: ["logLevel", "string"],
  ROBUSTA_NAMESPACES: ["namespaces", "list"],
  ROBUSTA_EXCLUDE_NAMESPACES: ["excludeNamespaces", "list"],
  ROBUSTA_WATCH_CLUSTER: ["watchCluster", "boolean"],
  ADVANCED_FILTERS: ["advancedFilters", "boolean"],
  ROBUSTA_CUSTOM_RESOURCES: ["customResources", "list"],
  ROBUSTA_WATCH_IDLE_TIMEOUT_MS: ["watchIdleTimeoutMs", "number"],
  ROBUSTA_WATCH_STALE_AFTER_MS: ["watchStaleAfterMs", "number"],
  PROCESSED_ALERT_CACHE_TTL: ["alertDedupTtlSeconds", "number"],
  PROCESSED_ALERTS_CACHE_MAX_SIZE: ["alertDedupMaxEntries", "number"],
  INSTALLATION_NAMESPACE: ["installationNamespace", "string"],
  INITIAL_SCHEDULE_DELAY_SEC: ["initialScheduleDelaySec", "number"],
  ROBUSTA_PERSIST_STATE: ["persistState", "boolean"],
  DISABLE_HELM_MONITORING: ["disableHelmMonitoring", "boolean"],
  HELM_MONITORING_INTERVAL_SEC: ["helmPollIntervalSec", "number"],
  ROBUSTA_MAX_TABLE_ROWS: ["maxTableRows", "number"],
  ROBUSTA_MAX_FILE_KB: ["maxFileKb", "number"],
  ROBUSTA_SINK_QUEUE_SIZE: ["sinkQueueCapacity", "number"],
  ROBUSTA_SINK_CONCURRENCY: ["sinkConcurrency", "number"],
  ROBUSTA_SINK_RETRY_BUDGET_SEC: ["sinkRetryBudgetSec", "number"],
  ROBUSTA_SINK_DRAIN_TIMEOUT_SEC: ["sinkDrainTimeoutSec", "number"],
};

/** A value from the environment, typed; what does not parse stays a string, so validation names it. */
function fromEnv(raw: string, type: "string" | "number" | "boolean" | "list"): unknown {
  switch (type) {
    case "number":
      return /^\d+$/.test(raw) ? Number(raw) : raw;
    case "boolean":
      return /^(true|1|yes)$/i.test(raw) ? true : /^(false|0|no)$/i.test(raw) ? false : raw;
    case "list":
      return raw.split(",").map((item) => item.trim()).filter(Boolean);
    default:
      return raw;
  }
}

/** Options from environment variables; a number that does not parse stays a string, so validation names it. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, [key, type]] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    out[key] = fromEnv(raw, type);
  }
  return out;
}

/** Validates options; the error names each bad option and, where it came from the environment, the variable. */
export function parseRuntimeOptions(input: Record<string, unknown>): RuntimeOptions {
  const result = runtimeOptionsSchema.safeParse(input);
  if (result.success) return result.data;
  const envName = (key: string) => Object.entries(ENV).find(([, [option]]) => option === key)?.[0];
  const lines = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "");
    const variable = envName(key);
    return `  - ${key || "(options)"}${variable ? ` (env ${variable})` : ""}: ${issue.message}`;
  });
  throw new Error(`Invalid runner options:\n${lines.join("\n")}`);
}
