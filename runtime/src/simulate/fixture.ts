/**
 * A simulation fixture: one saved event, in any of the three shapes the runner takes in, plus
 * optional keys that seed the in-memory cluster the playbooks read:
 *
 *   # the event: an Alertmanager webhook body (`alerts: [...]`), a kubewatch CloudEvent
 *   # (`data: {operation, kind, obj, ...}`, or a list of them), or an object change as the
 *   # runner's watch sees it (`operation: update`, `obj: {...}`, `oldObj: {...}`)
 *   cluster: [ ...Kubernetes objects... ]      # what enrichers get and list
 *   logs:                                      # container logs
 *     - { namespace: prod, pod: api-0, container: app, previous: "...", current: "..." }
 *   events: [ ...Kubernetes Event objects... ] # what pod_events_enricher and friends read
 *
 * The event's own object (`obj`) is put in the cluster too, unless it was deleted.
 */
import { z } from "zod";
import { parse as parseYaml } from "yaml";
import { alertEvents, alertmanagerWebhookSchema, type IncomingEvent, type KubernetesEventObject, type KubernetesObject } from "@robusta-ts/sdk";
import { changeFromCloudEvent, kubewatchCloudEventSchema } from "../intake/kubewatch.js";
import { ingest } from "../kubernetes/ingest.js";
import { apiVersionOf, builtinResource, type ServedResource } from "../kubernetes/resources.js";
import { formatPath } from "../server/errors.js";

/** A fixture that cannot be used; the message says what is wrong and where. */
export class FixtureError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "FixtureError";
  }
}

const object = z
  .object({
    kind: z.string().min(1, "must not be empty"),
    apiVersion: z.string().optional(),
    metadata: z.object({ name: z.string().min(1, "must not be empty"), namespace: z.string().optional() }).passthrough(),
  })
  .passthrough();

const seedSchema = z.object({
  cluster: z.array(object).default([]),
  logs: z
    .array(
      z.object({
        namespace: z.string().min(1),
        pod: z.string().min(1),
        container: z.string().min(1),
        current: z.string().optional(),
        previous: z.string().optional(),
      }).strict(),
    )
    .default([]),
  events: z.array(object).default([]),
});

/** An object change as the runner's watch produces it (runtime/src/kubernetes/resource-watch.ts). */
const changeSchema = z.object({
  operation: z.enum(["create", "update", "delete"]),
  obj: object,
  oldObj: object.optional(),
});

/** What the cluster starts with. */
export type FixtureSeed = z.output<typeof seedSchema>;

export type FixtureKind = "alertmanager" | "kubewatch" | "change";

export interface Fixture {
  readonly kind: FixtureKind;
  readonly events: IncomingEvent[];
  readonly seed: FixtureSeed;
}

const SHAPES =
  "an Alertmanager webhook body (with `alerts`), a kubewatch CloudEvent (with `data`) or a list of them, " +
  "or an object change (`operation: create|update|delete`, `obj`, optional `oldObj`)";

/** zod's first problem as "at PATH: message". */
function problem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.length > 0 ? `at ${formatPath(issue.path)}: ` : ""}${issue.message}`;
}

function parseAs<T extends z.ZodType>(schema: T, value: unknown, file: string, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new FixtureError(file, `not a valid ${what}: ${problem(result.error)}`);
  return result.data;
}

/** The watch's view of a kind: served where Kubernetes serves it, or where the object says. */
function resourceOf(obj: KubernetesObject): ServedResource {
  const kind = obj.kind!;
  const type = builtinResource(kind) ?? { kind, plural: `${kind.toLowerCase()}s`, namespaced: obj.metadata?.namespace !== undefined, locations: [] };
  const [group, version] = obj.apiVersion?.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  const location = obj.apiVersion ? { group: group!, version: version! } : (type.locations[0] ?? { group: "", version: "v1" });
  return { type, group: location.group, version: location.version, apiVersion: apiVersionOf(location.group, location.version) };
}

const VERB = { create: "Created", update: "Updated", delete: "Deleted" } as const;

/** The change event the watch would emit, through the same ingest (managedFields dropped, Secrets redacted). */
function changeEvent(change: z.output<typeof changeSchema>): IncomingEvent {
  const obj = structuredClone(change.obj) as KubernetesObject;
  const resource = resourceOf(obj);
  ingest(obj, resource);
  const oldObj = change.oldObj && ingest(structuredClone(change.oldObj) as KubernetesObject, resource);
  const namespace = obj.metadata?.namespace;
  return {
    source: "kubernetes",
    id: crypto.randomUUID(),
    operation: change.operation,
    kind: resource.type.kind,
    apiVersion: resource.apiVersion,
    obj,
    ...(change.operation === "update" && oldObj && { oldObj }),
    description: `A \`${resource.type.kind}\` ${namespace ? `in namespace \`${namespace}\` ` : ""}has been \`${VERB[change.operation]}\`: \`${obj.metadata?.name ?? ""}\``,
  };
}

/** Parses a fixture's text (JSON or YAML). */
export function parseFixture(text: string, file: string): Fixture {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new FixtureError(file, `not valid JSON or YAML: ${(error as Error).message}`);
  }
  if (Array.isArray(raw)) {
    // A batch of CloudEvents, as a batching forwarder posts to /api/handle.
    const batch = parseAs(z.array(kubewatchCloudEventSchema).min(1, "must hold at least one CloudEvent"), raw, file, "list of kubewatch CloudEvents");
    return { kind: "kubewatch", events: batch.map(changeFromCloudEvent), seed: { cluster: [], logs: [], events: [] } };
  }
  if (typeof raw !== "object" || raw === null) throw new FixtureError(file, `expected ${SHAPES}; got ${raw === null ? "an empty file" : typeof raw}`);
  const record = raw as Record<string, unknown>;
  const seed = parseAs(seedSchema, { cluster: record.cluster, logs: record.logs, events: record.events }, file, "fixture (cluster, logs or events)");
  if ("alerts" in record) {
    const payload = parseAs(alertmanagerWebhookSchema, record, file, "Alertmanager webhook body");
    return { kind: "alertmanager", events: alertEvents(payload), seed };
  }
  if ("data" in record) {
    const event = parseAs(kubewatchCloudEventSchema, record, file, "kubewatch CloudEvent");
    return { kind: "kubewatch", events: [changeFromCloudEvent(event)], seed };
  }
  if ("operation" in record || "obj" in record) {
    return { kind: "change", events: [changeEvent(parseAs(changeSchema, record, file, "object change"))], seed };
  }
  throw new FixtureError(file, `expected ${SHAPES}; found the keys ${Object.keys(record).join(", ") || "(none)"}`);
}

/** The objects the cluster starts with: the seeded ones, then the event's own (the newest state wins). */
export function seedObjects(fixture: Fixture): KubernetesObject[] {
  const own = fixture.events.flatMap((event) => (event.source === "kubernetes" && "operation" in event && event.operation !== "delete" ? [event.obj as KubernetesObject] : []));
  return [...(fixture.seed.cluster as KubernetesObject[]), ...own];
}

/** The Kubernetes Events the cluster starts with. */
export const seedEvents = (fixture: Fixture): KubernetesEventObject[] => fixture.seed.events as unknown as KubernetesEventObject[];
