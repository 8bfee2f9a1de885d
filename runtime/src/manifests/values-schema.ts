/**
 * The Helm chart's values (charts/robusta-ts/values.yaml): one schema for `robusta manifests`, the
 * chart's values.schema.json (generated from it) and `robusta gen-config`. The runner's own keys
 * (clusterName, sinksConfig, customPlaybooks, ...) are only shaped here; the runner's configuration
 * schema checks them in full.
 */
import { z } from "zod";

const quantity = z.union([z.string(), z.number()]);
const resources = z
  .object({ requests: z.record(z.string(), quantity).optional(), limits: z.record(z.string(), quantity).optional() })
  .strict()
  .describe("Container resources (requests, limits).");
const object = z.record(z.string(), z.unknown());
const stringMap = z.record(z.string(), z.string());

const image = (what: string) =>
  z
    .object({
      repository: z.string().describe(what),
      tag: z.string().describe("Image tag."),
      pullPolicy: z.enum(["Always", "IfNotPresent", "Never"]).describe("Image pull policy."),
    })
    .strict();

const policyRule = z
  .object({
    apiGroups: z.array(z.string()),
    resources: z.array(z.string()),
    verbs: z.array(z.string()).min(1),
    resourceNames: z.array(z.string()).optional(),
  })
  .strict();

/** The runner configuration keys, written into the config Secret as the runner's values.yaml. */
export const RUNNER_CONFIG_KEYS = [
  "clusterName",
  "globalConfig",
  "sinksConfig",
  "alertRelabel",
  "customPlaybooks",
  "namedCustomPlaybooks",
  "priorityBuiltinPlaybooks",
  "builtinPlaybooks",
  "disabledPlaybooks",
] as const;

export const chartValuesSchema = z
  .object({
    clusterName: z.string().describe("The cluster's name, shown on every finding. Required."),
    globalConfig: object.describe("Settings every action may read (prometheus_url, ...)."),
    sinksConfig: z.array(object).describe('Where findings go; secrets as "{{ env.NAME }}" from runner.additional_env_vars or runner.envFromSecret.'),
    alertRelabel: z.array(object).describe("Rules applied to the labels of every incoming alert."),
    customPlaybooks: z.array(object).describe("Playbooks in YAML, run before the built-in ones."),
    namedCustomPlaybooks: object.describe("Playbooks in YAML by name."),
    priorityBuiltinPlaybooks: z.array(object).optional().describe("Replaces the priority built-in playbooks; absent: the defaults."),
    builtinPlaybooks: z.array(object).optional().describe("Replaces the built-in playbooks; absent: the defaults."),
    disabledPlaybooks: z.array(z.string()).describe("Names of playbooks not to run."),
    existingSecret: z.string().describe("A Secret with a values.yaml key holding the runner's configuration, used instead of the one made from these values."),
    runner: z
      .object({
        image: image("Your runner image (built by robusta build and your CI). Required."),
        imagePullSecrets: z.array(z.object({ name: z.string() }).strict()),
        resources,
        podSecurityContext: object,
        securityContext: object,
        additional_env_vars: z.array(object).describe("Extra environment variables (Kubernetes EnvVar), e.g. sink secrets with valueFrom.secretKeyRef."),
        envFromSecret: z.string().describe("A Secret whose keys all become environment variables."),
        nodeSelector: stringMap,
        tolerations: z.array(object),
        affinity: object,
        podAnnotations: stringMap,
        logLevel: z.enum(["debug", "info", "warn", "error", "silent"]),
      })
      .strict(),
    forwarder: z
      .object({
        enabled: z.boolean().describe("Run a separate forwarder Deployment that watches the cluster and posts changes to the runner."),
        image: image("The forwarder's image; empty: the runner's image."),
        resources,
        nodeSelector: stringMap,
        tolerations: z.array(object),
        affinity: object,
        podAnnotations: stringMap,
      })
      .strict(),
    rbac: z
      .object({
        create: z.boolean().describe("Create the ClusterRole, Role and their bindings."),
        remediationActions: z.array(z.string()).describe("Actions that change the cluster your playbooks use (delete_pod, rollout_restart, cordon, ...): their write rules are added."),
        extraRules: z.array(policyRule).describe("Rules appended to the ClusterRole."),
      })
      .strict(),
    serviceAccount: z
      .object({
        create: z.boolean(),
        name: z.string().describe("Empty: <release>-runner."),
        annotations: stringMap,
      })
      .strict(),
    service: z.object({ type: z.enum(["ClusterIP", "NodePort", "LoadBalancer"]), port: z.number().int().min(1).max(65535) }).strict(),
    "kube-prometheus-stack": z.object({ enabled: z.boolean() }).passthrough().describe("The optional kube-prometheus-stack dependency; its Alertmanager routes to the runner."),
    global: object.optional().describe("Helm's global values, passed to dependencies."),
  })
  .strict();

export type ChartValues = z.output<typeof chartValuesSchema>;

/** values.schema.json: the JSON Schema Helm checks values against. */
export function chartValuesJsonSchema(): object {
  return z.toJSONSchema(chartValuesSchema, { target: "draft-7", io: "input" });
}
