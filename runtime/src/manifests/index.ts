/** `robusta manifests`' parts: values, the chart's objects, and the chart's generated files. */
import { mergeRules, stateRoleRules, type PolicyRule } from "../toolchain/rbac.js";
import { forwarderRules } from "./chart-rbac.js";
import { CHART_APP_VERSION } from "./defaults.js";
import { configRbac, type ConfigRbacInput } from "./playbook-rbac.js";
import { renderObjects, runnerConfigText, type KubeObject } from "./render.js";
import type { Release } from "./names.js";
import type { ChartValues } from "./values-schema.js";

export { chartValuesJsonSchema, chartValuesSchema, RUNNER_CONFIG_KEYS, type ChartValues } from "./values-schema.js";
export { loadValues, mergeValues, parseSet, validateValues, ValuesError } from "./values.js";
export { renderObjects, runnerConfigText, toYamlDocuments, type KubeObject } from "./render.js";
export { rbacTemplate } from "./chart-rbac.js";
export { DEFAULT_VALUES, CHART_APP_VERSION } from "./defaults.js";
export { namesOf, type Release } from "./names.js";

/** The exact ClusterRole for the values' playbooks (and the modules'), with the forwarder's watches when it runs. */
export function exactClusterRules(values: ChartValues, code: Pick<ConfigRbacInput, "codePlaybooks" | "codeActions"> = {}): PolicyRule[] {
  // Sinks do not bear on permissions, and their secrets are only in the cluster: stand-ins of the same names keep playbooks' sink names valid.
  const sinksConfig = values.sinksConfig.map((sink) => ({ console_sink: { name: String((Object.values(sink)[0] as { name?: unknown } | null)?.name ?? "") } }));
  const { rules } = configRbac({ configText: runnerConfigText({ ...values, sinksConfig }), file: "values", ...code, remediationActions: values.rbac.remediationActions });
  return mergeRules([...rules, ...(values.forwarder.enabled ? forwarderRules() : [])]);
}

/** The chart's objects with RBAC computed from the playbooks. */
export function manifestObjects(values: ChartValues, release: Release, code: Pick<ConfigRbacInput, "codePlaybooks" | "codeActions"> = {}): KubeObject[] {
  return renderObjects({ values, release, appVersion: CHART_APP_VERSION, clusterRules: exactClusterRules(values, code), stateRules: stateRoleRules() });
}
