/**
 * The runner's configuration file, with the names of Robusta's Helm values, so an existing values
 * file can be pointed at as it is. docs/configuration.md is generated from these schemas.
 */
import { z } from "zod";
import { alertRelabelSchema } from "@robusta-ts/sdk";
import { sinksConfigSchema } from "../sinks/sinks-config.js";

/** YAML writes `- on_pod_crash_loop:` with no value as null: the same as `{}`. */
const params = z.record(z.string(), z.unknown()).nullable();

/** `{ <name>: {params} }`, exactly one name. */
const named = (what: string, example: string) =>
  z.record(z.string(), params).refine((entry) => Object.keys(entry).length === 1, `name exactly one ${what}, like {${example}: {}}`);

/** A playbook as Robusta's values write it. */
export const playbookSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .optional()
      .describe("Names the playbook in logs and metrics, and for disabledPlaybooks and overriding a built-in playbook."),
    triggers: z
      .array(named("trigger", "on_pod_crash_loop"))
      .min(1, "a playbook needs at least one trigger")
      .describe("When it runs: a list of {<trigger>: {params}}; any one firing runs it. See reference/triggers.md."),
    actions: z
      .array(named("action", "logs_enricher"))
      .min(1, "a playbook needs at least one action")
      .describe("What it does, in order: a list of {<action>: {params}}. See reference/actions.md."),
    sinks: z.array(z.string().min(1)).optional().describe("Sinks its findings go to; default: every sink with default: true."),
    stop: z.boolean().optional().describe("Run no later playbook for the same event once this one ran."),
  })
  .strict();

export type PlaybookConfig = z.output<typeof playbookSchema>;

/** A missing or null value stands for the empty one. */
const orEmpty = <T extends z.ZodType>(schema: T, empty: z.input<T>) =>
  schema.nullish().transform((value) => (value ?? empty) as z.output<T>);

/** The top-level settings the runner reads. */
export const configFileSchema = z
  .object({
    clusterName: z.string().min(1).optional().describe("Shown on every finding, as global_config.cluster_name; overrides CLUSTER_NAME."),
    globalConfig: orEmpty(z.record(z.string(), z.unknown()), {}).describe(
      "Settings every action may read (prometheus_url, grafana_url, ...); a key with the name of an action parameter is merged into it. `{{ env.VAR }}` is substituted.",
    ),
    sinksConfig: orEmpty(sinksConfigSchema, []).describe(
      "Where findings go: a list of `{<type>_sink: {name, ...}}`. With none, findings are printed on standard output. `{{ env.VAR }}` is substituted.",
    ),
    alertRelabel: orEmpty(z.array(alertRelabelSchema), []).describe("Rules applied to the labels of every incoming alert: {source, target, operation: add | replace}."),
    priorityBuiltinPlaybooks: playbookList("Replaces the built-in playbooks that run before all others (the silencers)."),
    customPlaybooks: orEmpty(z.array(playbookSchema), []).describe(
      "Your playbooks, run after the priority built-ins and before the built-ins. One with a built-in playbook's name replaces it.",
    ),
    namedCustomPlaybooks: orEmpty(z.record(z.string(), playbookSchema), {}).describe(
      "Your playbooks by name (the key names the playbook), run after customPlaybooks; several values files can each add or override some.",
    ),
    builtinPlaybooks: playbookList("Replaces the whole list of built-in playbooks (Helm's semantics for a list)."),
    disabledPlaybooks: orEmpty(z.array(z.string().min(1)), []).describe("Names of playbooks not to run: built-in, custom or written in code."),
  })
  .strict();

function playbookList(description: string) {
  return z.array(playbookSchema).nullish().transform((value) => value ?? undefined).describe(`${description} Absent: the defaults, listed below.`);
}

/**
 * Values of Robusta's chart, and of ours (charts/robusta-ts), that configure Kubernetes objects,
 * not the runner: accepted, so a values file can be used as it is, and reported as ignored.
 */
export const CHART_ONLY_KEYS = [
  "argoRollouts",
  "automountServiceAccountToken",
  "clusterZone",
  "enableHolmesGPT",
  "enablePlatformPlaybooks",
  "enablePrometheusStack",
  "enableServiceMonitors",
  "enabledManagedConfiguration",
  "existingSecret",
  "forwarder",
  "fullnameOverride",
  "global",
  "grafanaRenderer",
  "holmes",
  "image",
  "isSmallCluster",
  "kube-prometheus-stack",
  "kubewatch",
  "lightActions",
  "monitorHelmReleases",
  "openshift",
  "platformPlaybooks",
  "playbookRepos",
  "playbooksPersistentVolume",
  "playbooksPersistentVolumeSize",
  "playbooksPersistentVolumeStorageClass",
  "rbac",
  "rsa",
  "runner",
  "runnerServiceAccount",
  "scaleAlertsProcessing",
  "service",
  "serviceAccount",
] as const;

/** Why some chart-only keys matter more than "ignored". */
export const CHART_KEY_NOTES: Partial<Record<(typeof CHART_ONLY_KEYS)[number], string>> = {
  playbookRepos: "Python playbook repositories do not apply: playbooks here are TypeScript modules built into the runner image",
  platformPlaybooks: "these need the Robusta UI",
  enablePlatformPlaybooks: "these need the Robusta UI",
};
