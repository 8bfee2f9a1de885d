/** on_kubernetes_warning_event and its per-operation variants: Warning Events about any object. */
import { z } from "zod";
import { EventClasses } from "../events/classes.js";
import type { EventChangeEvent, Operation } from "../events/model.js";
import type { CoreEvent, EventsV1Event, KubernetesEventObject } from "../kubernetes/objects.js";
import { changeOf, kubernetesParams } from "./kubernetes.js";
import type { TriggerType } from "./trigger.js";

const operation = z.enum(["create", "update", "delete"]);

const params = kubernetesParams
  .extend({
    rate_limit: z.number().int().nonnegative().default(3600).describe("Fire at most once in this many seconds per reason and object (0: no limit)."),
    exclude: z.array(z.string()).default([]).describe("Do not fire when the reason or message contains any of these (case-insensitive)."),
    include: z.array(z.string()).default([]).describe("Fire only when the reason or message contains one of these (case-insensitive); empty: all."),
  })
  .strict();

const allParams = params.extend({ operations: z.array(operation).default(["create", "update", "delete"]).describe("Which changes of the Event to fire on.") }).strict();

/** What the Event is about, whichever API version it came from. */
function regardingOf(event: KubernetesEventObject) {
  return (event as EventsV1Event).regarding ?? (event as CoreEvent).involvedObject;
}

function warningFires(
  incoming: Parameters<TriggerType["fires"]>[0],
  p: z.output<typeof params>,
  operations: readonly Operation[],
  env: Parameters<TriggerType["fires"]>[2],
): EventChangeEvent | undefined {
  const event = changeOf<EventChangeEvent>(incoming, "Event", operations, p);
  if (!event || event.obj.type !== "Warning") return undefined;
  const about = regardingOf(event.obj);
  if (!about?.name) return undefined;
  const content = `${event.obj.reason ?? ""} ${(event.obj as EventsV1Event).note ?? (event.obj as CoreEvent).message ?? ""}`.toLowerCase();
  if (p.exclude.some((word) => content.includes(word.toLowerCase()))) return undefined;
  if (p.include.length > 0 && !p.include.some((word) => content.includes(word.toLowerCase()))) return undefined;
  const key = `WarningEventTrigger_${env.playbook}/${event.obj.reason ?? ""}:${about.namespace ?? ""}/${about.kind ?? ""}/${about.name}`;
  return env.markAndTest(key, p.rate_limit) ? event : undefined;
}

const description = (what: string) =>
  `Fires when a Warning Event ${what} (about any object), filtered by include/exclude words of its reason and message. Rate-limited per reason and object.`;

export const onKubernetesWarningEventType: TriggerType<"on_kubernetes_warning_event", typeof allParams, EventChangeEvent> = {
  name: "on_kubernetes_warning_event",
  description: description("is created, updated or deleted (see operations)"),
  source: "kubernetes",
  kinds: ["Event"],
  eventClass: EventClasses.EventChange,
  params: allParams,
  fires: (incoming, p, env) => warningFires(incoming, p, p.operations, env),
};

const variant = <Op extends Operation>(op: Op): TriggerType<`on_kubernetes_warning_event_${Op}`, typeof params, EventChangeEvent> => ({
  name: `on_kubernetes_warning_event_${op}`,
  description: description(`is ${op === "create" ? "created" : op === "update" ? "updated" : "deleted"}`),
  source: "kubernetes",
  kinds: ["Event"],
  eventClass: EventClasses.EventChange,
  params,
  fires: (incoming, p, env) => warningFires(incoming, p, [op], env),
});

export const onKubernetesWarningEventCreateType = variant("create");
export const onKubernetesWarningEventUpdateType = variant("update");
export const onKubernetesWarningEventDeleteType = variant("delete");
