/**
 * The Kubernetes permissions a runner needs for a given set of playbooks: read access for what its
 * triggers watch and what the runner and its actions read, and write verbs only for the actions in
 * use that change the cluster (each action's `permissions`). `robusta manifests`, the Helm chart's
 * defaults and `robusta build`'s manifest all come from here.
 */
import type { ActionRegistry, Engine, PlaybookDefinition } from "@robusta-ts/sdk";
import { DEFAULT_KINDS } from "../kubernetes/index.js";
import { builtinResource } from "../kubernetes/resources.js";
import { RATE_LIMITS_CONFIGMAP, SCHEDULED_JOBS_CONFIGMAP } from "../state/names.js";

/** One rule of a ClusterRole (or Role), as Kubernetes writes it. */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

/** What decides the rules: the playbooks' triggers and the actions they run. */
export interface RbacNeeds {
  /** Built-in kinds the triggers watch ("Pod", "Deployment", ...). */
  readonly watchedKinds: readonly string[];
  /** Custom resources the triggers watch ("group/version/plural"). */
  readonly customResources: readonly string[];
  /** The names of the actions the playbooks run. */
  readonly actions: readonly string[];
  /** Whether a Helm release trigger is in use (the runner then reads Helm's release Secrets). */
  readonly helmReleases: boolean;
}

/** Raised for an action name no registry knows (a typo in `rbac.remediationActions`, say). */
export class UnknownActionError extends Error {
  constructor(readonly action: string) {
    super(`unknown action "${action}": no built-in or playbook action has this name, so its permissions are unknown`);
    this.name = "UnknownActionError";
  }
}

const READ = ["get", "list", "watch"] as const;

/**
 * Kinds every runner reads, whatever its triggers: alert resolution (pod, deployment, daemonset,
 * statefulset, job labels), owner chains, events and logs of the subject, namespace labels for
 * routing, the provider detection (nodes), and the read-only built-in actions (services, HPAs,
 * cron jobs, API services). Read-only: get and list.
 */
export const ALWAYS_READ_KINDS: readonly string[] = [
  "Pod",
  "Node",
  "Namespace",
  "Service",
  "Deployment",
  "ReplicaSet",
  "DaemonSet",
  "StatefulSet",
  "Job",
  "CronJob",
  "HorizontalPodAutoscaler",
  "Event",
  "APIService",
];

/**
 * What the engine's playbooks need. Playbooks written in code call their actions from code, which
 * no one can list ahead of time: `playbooks` (the YAML ones, e.g. customPlaybooks) add the actions
 * they name; the write actions code playbooks use are named in the chart's rbac.remediationActions.
 */
export function rbacNeedsOf(engine: Engine, playbooks: readonly PlaybookDefinition[] = []): RbacNeeds {
  const actions = playbooks.flatMap(({ data }) => (data.actions ?? []).flatMap((spec) => Object.keys(spec)));
  return {
    watchedKinds: unique([...engine.watchedKinds, ...(engine.watchesAnyKind ? DEFAULT_KINDS : [])]),
    customResources: unique(engine.watchedCustomResources),
    actions: unique(actions),
    helmReleases: engine.playbooksOnSource("helm").length > 0,
  };
}

/** The rules of a kind: at every group it may be served under (discovery picks one at run time). */
function kindRules(kind: string, verbs: readonly string[]): PolicyRule[] {
  const type = builtinResource(kind);
  if (!type) throw new Error(`unknown Kubernetes kind "${kind}": the runner cannot watch or read it`);
  return unique(type.locations.map((l) => l.group)).map((group) => ({ apiGroups: [group], resources: [type.plural], verbs }));
}

/** "group/version/plural" (Robusta's form; the core group is written as an empty string) to a rule. */
function customResourceRule(spec: string): PolicyRule {
  const parts = spec.split("/");
  if (parts.length !== 3 || !parts[2]) throw new Error(`custom resource "${spec}" must be written group/version/plural, e.g. argoproj.io/v1alpha1/rollouts`);
  return { apiGroups: [parts[0]!], resources: [parts[2]], verbs: [...READ] };
}

/** The ClusterRole rules for `needs`, least privilege, merged and sorted so the output is stable. */
export function clusterRoleRules(needs: RbacNeeds, actions: ActionRegistry): PolicyRule[] {
  const rules: PolicyRule[] = [
    ...ALWAYS_READ_KINDS.flatMap((kind) => kindRules(kind, ["get", "list"])),
    { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
    ...needs.watchedKinds.flatMap((kind) => kindRules(kind, READ)),
    ...needs.customResources.map(customResourceRule),
    // Helm's release records are Secrets in every namespace, listed by label; values are redacted on arrival.
    ...(needs.helmReleases ? [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }] : []),
    ...needs.actions.flatMap((name) => {
      const action = actions.get(name);
      if (!action) throw new UnknownActionError(name);
      return action.definition.permissions ?? [];
    }),
  ];
  return mergeRules(rules);
}

/**
 * The rules of the Role in the runner's own namespace: the ConfigMaps that keep its state across
 * restarts. Creating cannot be limited by name; reading and patching is, to those two ConfigMaps.
 */
export function stateRoleRules(): PolicyRule[] {
  return [
    { apiGroups: [""], resources: ["configmaps"], verbs: ["create"] },
    { apiGroups: [""], resources: ["configmaps"], resourceNames: [RATE_LIMITS_CONFIGMAP, SCHEDULED_JOBS_CONFIGMAP], verbs: ["get", "patch"] },
  ];
}

/** The names of the actions whose permissions include a write: what rbac.remediationActions may name. */
export function writeActions(actions: ActionRegistry): string[] {
  return actions.names().filter((name) => (actions.get(name)?.definition.permissions ?? []).length > 0);
}

const VERB_ORDER = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
const verbRank = (verb: string) => (VERB_ORDER.includes(verb) ? VERB_ORDER.indexOf(verb) : VERB_ORDER.length);

/**
 * One rule per (group, resource, resourceNames) with the union of its verbs, then resources with
 * the same group, verbs and names gathered into one rule. Sorted by group, then resources.
 */
export function mergeRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const verbsOf = new Map<string, { group: string; resource: string; names: readonly string[]; verbs: Set<string> }>();
  for (const rule of rules) {
    const names = [...(rule.resourceNames ?? [])].sort();
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        const key = JSON.stringify([group, resource, names]);
        const entry = verbsOf.get(key) ?? { group, resource, names, verbs: new Set<string>() };
        for (const verb of rule.verbs) entry.verbs.add(verb);
        verbsOf.set(key, entry);
      }
    }
  }
  const gathered = new Map<string, { group: string; resources: string[]; verbs: string[]; names: readonly string[] }>();
  for (const { group, resource, names, verbs } of verbsOf.values()) {
    const sorted = [...verbs].sort((a, b) => verbRank(a) - verbRank(b) || a.localeCompare(b));
    const key = JSON.stringify([group, sorted, names]);
    const entry = gathered.get(key) ?? { group, resources: [], verbs: sorted, names };
    entry.resources.push(resource);
    gathered.set(key, entry);
  }
  return [...gathered.values()]
    .map(({ group, resources, verbs, names }) => ({
      apiGroups: [group],
      resources: resources.sort(),
      verbs,
      ...(names.length > 0 && { resourceNames: names }),
    }))
    .sort((a, b) => a.apiGroups[0]!.localeCompare(b.apiGroups[0]!) || a.resources.join().localeCompare(b.resources.join()) || a.verbs.join().localeCompare(b.verbs.join()));
}

/** Whether a rule grants any verb that changes the cluster. */
export function isWriteRule(rule: PolicyRule): boolean {
  return rule.verbs.some((verb) => !(READ as readonly string[]).includes(verb));
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
