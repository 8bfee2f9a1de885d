/**
 * The chart's objects as plain Kubernetes objects, made from validated values: what `robusta
 * manifests` prints. Kept object for object with charts/robusta-ts/templates (same names, labels
 * and specs); the chart's tests check the two agree where they can without Helm.
 */
import { createHash } from "node:crypto";
import YAML from "yaml";
import type { PolicyRule } from "../toolchain/rbac.js";
import { CONFIG_DIR, CONFIG_KEY, FORWARDER_PORT, labelsOf, namesOf, RUNNER_PORT, selectorLabels, type Release } from "./names.js";
import { RUNNER_CONFIG_KEYS, type ChartValues } from "./values-schema.js";

/** A Kubernetes object as YAML writes it. */
export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;

export interface RenderInput {
  readonly values: ChartValues;
  readonly release: Release;
  readonly appVersion: string;
  /** The ClusterRole's rules (read-only defaults, or computed from the playbooks), before extraRules. */
  readonly clusterRules: readonly PolicyRule[];
  /** The Role's rules in the release namespace (the state ConfigMaps). */
  readonly stateRules: readonly PolicyRule[];
}

/** The runner's configuration file, as the config Secret holds it: the runner keys of the values. */
export function runnerConfigText(values: ChartValues): string {
  const picked = Object.fromEntries(RUNNER_CONFIG_KEYS.filter((key) => values[key] !== undefined).map((key) => [key, values[key]]));
  return YAML.stringify(picked);
}

const imageOf = ({ repository, tag }: { repository: string; tag: string }) => (tag ? `${repository}:${tag}` : repository);
/** The runner image's entry point (see the scaffold's Dockerfile); the subcommand comes in args. */
const COMMAND = ["node", "--enable-source-maps", "/app/runner.mjs"];

function probes(port: string) {
  return {
    livenessProbe: { httpGet: { path: "/healthz", port }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: "/readyz", port }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
  };
}

/** Scheduling fields, present only when set (as the chart's `with` blocks). */
function scheduling(v: { nodeSelector: object; tolerations: unknown[]; affinity: object }) {
  return {
    ...(Object.keys(v.nodeSelector).length > 0 && { nodeSelector: v.nodeSelector }),
    ...(v.tolerations.length > 0 && { tolerations: v.tolerations }),
    ...(Object.keys(v.affinity).length > 0 && { affinity: v.affinity }),
  };
}

/** Every object of the chart, in apply order. */
export function renderObjects(input: RenderInput): KubeObject[] {
  const { values, release, appVersion } = input;
  if (!values.clusterName) throw new Error("clusterName is required: the cluster's name, shown on every finding");
  if (!values.runner.image.repository) throw new Error("runner.image.repository is required: your runner image, built by `robusta build` and your CI");
  const names = namesOf(release, values.serviceAccount.name);
  const ns = release.namespace;
  const runnerLabels = labelsOf(release, "runner", appVersion);
  const meta = (name: string, labels = runnerLabels) => ({ name, namespace: ns, labels });
  const objects: KubeObject[] = [];

  if (values.serviceAccount.create) {
    objects.push({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { ...meta(names.serviceAccount), ...(Object.keys(values.serviceAccount.annotations).length > 0 && { annotations: values.serviceAccount.annotations }) },
    });
  }
  const configText = runnerConfigText(values);
  if (!values.existingSecret) {
    objects.push({ apiVersion: "v1", kind: "Secret", metadata: meta(names.configSecret), type: "Opaque", stringData: { [CONFIG_KEY]: configText } });
  }
  if (values.rbac.create) {
    const subjects = [{ kind: "ServiceAccount", name: names.serviceAccount, namespace: ns }];
    objects.push(
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: names.clusterRole, labels: runnerLabels }, rules: [...input.clusterRules, ...values.rbac.extraRules] },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: names.clusterRole, labels: runnerLabels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: names.clusterRole },
        subjects,
      },
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta(names.role), rules: [...input.stateRules] },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: meta(names.role),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: names.role },
        subjects,
      },
    );
  }
  objects.push({
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(names.runner),
    spec: { type: values.service.type, selector: selectorLabels(release, "runner"), ports: [{ name: "http", port: values.service.port, targetPort: "http", protocol: "TCP" }] },
  });

  const runner = values.runner;
  // A change of configuration rolls the pod (the runner also reloads a changed file by itself).
  const checksum = createHash("sha256").update(values.existingSecret || configText).digest("hex");
  objects.push({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(names.runner),
    spec: {
      replicas: 1,
      // One runner at a time: two would both run scheduled playbooks and both write the state ConfigMaps.
      strategy: { type: "Recreate" },
      selector: { matchLabels: selectorLabels(release, "runner") },
      template: {
        metadata: { labels: runnerLabels, annotations: { "checksum/config": checksum, ...runner.podAnnotations } },
        spec: {
          serviceAccountName: names.serviceAccount,
          ...(runner.imagePullSecrets.length > 0 && { imagePullSecrets: runner.imagePullSecrets }),
          securityContext: runner.podSecurityContext,
          containers: [
            {
              name: "runner",
              image: imageOf(runner.image),
              imagePullPolicy: runner.image.pullPolicy,
              command: COMMAND,
              args: ["run"],
              ports: [{ name: "http", containerPort: RUNNER_PORT, protocol: "TCP" }],
              env: [
                { name: "PORT", value: String(RUNNER_PORT) },
                { name: "PLAYBOOKS_CONFIG_FILE_PATH", value: `${CONFIG_DIR}/${CONFIG_KEY}` },
                { name: "INSTALLATION_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                { name: "LOG_LEVEL", value: runner.logLevel },
                // The forwarder watches instead; watching here too would report each change twice.
                ...(values.forwarder.enabled ? [{ name: "ROBUSTA_WATCH_CLUSTER", value: "false" }] : []),
                ...runner.additional_env_vars,
              ],
              ...(runner.envFromSecret && { envFrom: [{ secretRef: { name: runner.envFromSecret } }] }),
              ...probes("http"),
              resources: runner.resources,
              securityContext: runner.securityContext,
              volumeMounts: [
                { name: "config", mountPath: CONFIG_DIR, readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "config", secret: { secretName: values.existingSecret || names.configSecret } },
            { name: "tmp", emptyDir: {} },
          ],
          ...scheduling(runner),
        },
      },
    },
  });

  const forwarder = values.forwarder;
  if (forwarder.enabled) {
    const labels = labelsOf(release, "forwarder", appVersion);
    const image = forwarder.image.repository ? forwarder.image : runner.image;
    objects.push({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(names.forwarder, labels),
      spec: {
        replicas: 1,
        strategy: { type: "Recreate" },
        selector: { matchLabels: selectorLabels(release, "forwarder") },
        template: {
          metadata: { labels, ...(Object.keys(forwarder.podAnnotations).length > 0 && { annotations: forwarder.podAnnotations }) },
          spec: {
            serviceAccountName: names.serviceAccount,
            ...(runner.imagePullSecrets.length > 0 && { imagePullSecrets: runner.imagePullSecrets }),
            securityContext: runner.podSecurityContext,
            containers: [
              {
                name: "forwarder",
                image: imageOf(image),
                imagePullPolicy: image.pullPolicy,
                command: COMMAND,
                args: ["forwarder", "--runner-url", `http://${names.runner}.${ns}.svc.cluster.local:${values.service.port}`, "--port", String(FORWARDER_PORT)],
                ports: [{ name: "http", containerPort: FORWARDER_PORT, protocol: "TCP" }],
                env: [{ name: "LOG_LEVEL", value: runner.logLevel }],
                ...probes("http"),
                resources: forwarder.resources,
                securityContext: runner.securityContext,
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: {} }],
            ...scheduling(forwarder),
          },
        },
      },
    });
  }
  return objects;
}

/** Multi-document YAML for `kubectl apply -f -`. */
export function toYamlDocuments(objects: readonly KubeObject[]): string {
  return objects.map((object) => `---\n${YAML.stringify(object, { aliasDuplicateObjects: false })}`).join("");
}
