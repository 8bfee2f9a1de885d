/**
 * The chart's default values, as charts/robusta-ts/values.yaml sets them (a test keeps the two
 * equal): `robusta manifests` starts from these, so it works wherever the CLI is installed.
 */
import type { ChartValues } from "./values-schema.js";

export const CHART_APP_VERSION = "0.1.0";

export const DEFAULT_VALUES: ChartValues = {
  clusterName: "",
  globalConfig: {},
  sinksConfig: [],
  alertRelabel: [],
  customPlaybooks: [],
  namedCustomPlaybooks: {},
  disabledPlaybooks: [],
  existingSecret: "",
  runner: {
    image: { repository: "", tag: "latest", pullPolicy: "IfNotPresent" },
    imagePullSecrets: [],
    resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "384Mi" } },
    podSecurityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
    securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    additional_env_vars: [],
    envFromSecret: "",
    nodeSelector: {},
    tolerations: [],
    affinity: {},
    podAnnotations: {},
    logLevel: "info",
  },
  forwarder: {
    enabled: false,
    image: { repository: "", tag: "", pullPolicy: "IfNotPresent" },
    resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "128Mi" } },
    nodeSelector: {},
    tolerations: [],
    affinity: {},
    podAnnotations: {},
  },
  rbac: { create: true, remediationActions: [], extraRules: [] },
  serviceAccount: { create: true, name: "", annotations: {} },
  service: { type: "ClusterIP", port: 80 },
  "kube-prometheus-stack": {
    enabled: false,
    alertmanager: {
      tplConfig: true,
      config: {
        global: { resolve_timeout: "5m" },
        route: {
          receiver: "robusta",
          group_by: ["..."],
          group_wait: "1s",
          group_interval: "1s",
          repeat_interval: "4h",
          routes: [{ receiver: "null", matchers: ['alertname = "Watchdog"'] }],
        },
        receivers: [
          { name: "null" },
          {
            name: "robusta",
            webhook_configs: [{ url: "http://{{ .Release.Name }}-runner.{{ .Release.Namespace }}.svc.cluster.local/api/alerts", send_resolved: true }],
          },
        ],
      },
    },
  },
};
