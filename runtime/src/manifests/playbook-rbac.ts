/**
 * The exact ClusterRole rules of a configuration: its playbooks (built-in, custom, and those of
 * the playbook modules) loaded into an engine, asked what they watch and which actions they name.
 */
import { ActionRegistry, builtinActions, Engine, type AnyAction, type Cluster, type Logger, type PlaybookDefinition } from "@robusta-ts/sdk";
import { parseConfig } from "../config/load-config.js";
import { clusterRoleRules, rbacNeedsOf, type PolicyRule, type RbacNeeds } from "../toolchain/rbac.js";

/** The engine only needs a cluster to run playbooks; computing what they need runs none. */
const NO_CLUSTER = new Proxy({} as Cluster, {
  get: () => () => Promise.reject(new Error("no cluster: the playbooks are only inspected")),
});
const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => SILENT };

export interface ConfigRbacInput {
  /** The runner's configuration file text (the runner keys of the Helm values). */
  readonly configText: string;
  /** Where it came from, for error messages. */
  readonly file: string;
  /** Playbooks and actions of the playbook modules. */
  readonly codePlaybooks?: readonly PlaybookDefinition[];
  readonly codeActions?: readonly AnyAction[];
  /** Write actions code playbooks call (rbac.remediationActions). */
  readonly remediationActions?: readonly string[];
}

/** What the configuration's playbooks need and the rules that grant it. Throws ConfigError for an invalid configuration. */
export function configRbac(input: ConfigRbacInput): { needs: RbacNeeds; rules: PolicyRule[] } {
  const actions = new ActionRegistry([...builtinActions, ...(input.codeActions ?? [])]);
  // Sink secrets come from the cluster's environment; their values do not matter here.
  const env = new Proxy({} as Record<string, string>, { get: (_target, name) => (typeof name === "string" ? "unset" : undefined) });
  const config = parseConfig(input.configText, input.file, { actions, codePlaybooks: input.codePlaybooks ?? [], env });
  const engine = new Engine({ playbooks: config.playbooks, actions, cluster: NO_CLUSTER, logger: SILENT, clock: { now: () => new Date() }, defaultSinks: [] });
  const found = rbacNeedsOf(engine, config.playbooks);
  const needs: RbacNeeds = { ...found, actions: [...new Set([...found.actions, ...(input.remediationActions ?? [])])] };
  return { needs, rules: clusterRoleRules(needs, actions) };
}
