/**
 * dist/manifest.json: what a built runner carries, for people and tools that never run it. Its
 * playbooks with their triggers, the actions its modules define with their parameters' JSON
 * schemas, the kinds it watches, and the ClusterRole rules its playbooks need.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ActionRegistry, builtinActions, Engine, type AnyAction, type Cluster, type Logger, type PlaybookDefinition } from "@robusta-ts/sdk";
import { clusterRoleRules, rbacNeedsOf, writeActions } from "../rbac.js";

/** The manifest format's version; bumped on incompatible changes. */
export const MANIFEST_VERSION = 1;

const policyRuleSchema = z.object({
  apiGroups: z.array(z.string()),
  resources: z.array(z.string()),
  verbs: z.array(z.string()),
  resourceNames: z.array(z.string()).optional(),
});

/** What the bundle reports about its own playbooks (computed inside it, with its own SDK). */
export const playbooksManifestSchema = z.object({
  playbooks: z.array(
    z.object({
      name: z.string(),
      triggers: z.array(z.object({ name: z.string(), params: z.record(z.string(), z.unknown()) })),
      /** The actions a YAML-shaped playbook names; playbooks written in code call theirs from code. */
      actions: z.array(z.record(z.string(), z.unknown())).optional(),
      sinks: z.array(z.string()).optional(),
      stop: z.boolean().optional(),
    }),
  ),
  actions: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      /** The event class it runs on ("PodEvent", ...). */
      event: z.string(),
      /** JSON schema of its parameters as YAML writes them (snake_case). */
      params: z.record(z.string(), z.unknown()),
      /** The cluster writes it makes. */
      permissions: z.array(policyRuleSchema),
    }),
  ),
  watchedKinds: z.array(z.string()),
  customResources: z.array(z.string()),
  rbac: z.object({
    /** The ClusterRole rules the playbooks need (the runner's baseline reads included). */
    rules: z.array(policyRuleSchema),
    /** This build's actions that write to the cluster: what the chart's rbac.remediationActions may name. */
    writeActions: z.array(z.string()),
  }),
});

export type PlaybooksManifest = z.infer<typeof playbooksManifestSchema>;

/** dist/manifest.json. */
export const buildManifestSchema = playbooksManifestSchema.extend({
  manifestVersion: z.literal(MANIFEST_VERSION),
  /** The @robusta-ts/runtime version bundled. */
  runtimeVersion: z.string(),
  /** The playbook entry modules, relative to the project. */
  entries: z.array(z.string()),
  /** The runnable bundle and its source map, relative to the manifest. */
  runner: z.object({ file: z.string(), sourceMap: z.string(), bytes: z.number().int() }),
});

export type BuildManifest = z.infer<typeof buildManifestSchema>;

/** Reads and checks a manifest written by `robusta build`. */
export async function readManifest(file: string): Promise<BuildManifest> {
  const text = await readFile(file, "utf8");
  const parsed = buildManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`${file} is not a robusta build manifest (version ${MANIFEST_VERSION}): ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

/** Inspecting playbooks runs none: no cluster and no logs are needed. */
const NO_CLUSTER = new Proxy({} as Cluster, {
  get: () => () => Promise.reject(new Error("no cluster: the playbooks are only inspected")),
});
const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => SILENT };

/**
 * Describes playbooks and actions. Loading them into an engine checks them as the runner will
 * (unknown triggers, invalid parameters, duplicate names throw PlaybookLoadError here, at build time).
 */
export function describePlaybooks(playbooks: readonly PlaybookDefinition[], actions: readonly AnyAction[]): PlaybooksManifest {
  const registry = new ActionRegistry([...builtinActions, ...actions]);
  const engine = new Engine({ playbooks, actions: registry, cluster: NO_CLUSTER, logger: SILENT, clock: { now: () => new Date() }, defaultSinks: [] });
  const needs = rbacNeedsOf(engine, playbooks);
  const own = new ActionRegistry(actions);
  return {
    playbooks: playbooks.map(({ data }) => ({
      name: data.name,
      triggers: data.triggers.map((trigger) => ({ name: trigger.name, params: { ...trigger.params } })),
      ...(data.actions !== undefined && { actions: data.actions.map((spec) => ({ ...spec })) }),
      ...(data.sinks !== undefined && { sinks: [...data.sinks] }),
      ...(data.stop !== undefined && { stop: data.stop }),
    })),
    actions: own.names().map((name) => {
      const { definition } = own.get(name)!;
      return {
        name,
        description: definition.description,
        event: definition.event.name,
        // Parameters as YAML writes them; a refinement JSON schema cannot express is left open rather than failing the build.
        params: z.toJSONSchema(definition.params, { io: "input", unrepresentable: "any" }) as Record<string, unknown>,
        permissions: (definition.permissions ?? []).map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] })),
      };
    }),
    watchedKinds: [...needs.watchedKinds],
    customResources: [...needs.customResources],
    rbac: {
      rules: clusterRoleRules(needs, registry).map((rule) => ({
        apiGroups: [...rule.apiGroups],
        resources: [...rule.resources],
        verbs: [...rule.verbs],
        ...(rule.resourceNames !== undefined && { resourceNames: [...rule.resourceNames] }),
      })),
      writeActions: writeActions(own),
    },
  };
}
