/**
 * Two ways to write a playbook, one result. A class whose methods carry trigger decorators:
 *
 *   export class CrashLoops extends Playbook {
 *     @onPodCrashLoop({ restartCount: 3 })
 *     async report(event: PodEvent, ctx: Context) { await logsEnricher(event, ctx); }
 *   }
 *
 * or an object: `definePlaybook({ name, triggers: [onPodCrashLoop()], run(event, ctx) {...} })`.
 * Both become `PlaybookDefinition`s whose `data` is plain, versioned and JSON-serialisable.
 */
import type { Context } from "../context.js";
import type { BaseEvent } from "../events/model.js";
import type { EventOf, Trigger, TriggerSpec } from "../triggers/trigger.js";
import { methodMetadata, recordOptions, type PlaybookOptions } from "./metadata.js";

export type { PlaybookOptions } from "./metadata.js";

/** The version of the registry data format. */
export const REGISTRY_VERSION = 1;

/** An action named in a YAML playbook: `{ logs_enricher: { previous: true } }`. */
export type ActionSpec = Readonly<Record<string, Readonly<Record<string, unknown>> | null>>;

/** A playbook as plain data: Robusta's YAML shape, with the triggers as `{ name, params }`. */
export interface PlaybookData {
  readonly name: string;
  readonly triggers: readonly TriggerSpec[];
  /** Actions by name, for playbooks configured in YAML; absent for playbooks written in code. */
  readonly actions?: readonly ActionSpec[];
  readonly sinks?: readonly string[];
  readonly stop?: boolean;
}

/** A playbook ready to load: its data and, for playbooks written in code, the function to run. */
export interface PlaybookDefinition {
  readonly data: PlaybookData;
  readonly run?: (event: BaseEvent, ctx: Context) => unknown;
}

/** The registry's serialisable form: what `robusta build` writes into its manifest. */
export interface RegistryData {
  readonly version: typeof REGISTRY_VERSION;
  readonly playbooks: readonly PlaybookData[];
}

/** Base class of playbook classes. Each method with a trigger decorator is one playbook. */
export abstract class Playbook {}

/** Sets the name, sinks or stop flag of a decorated playbook method. */
export function playbook(options: PlaybookOptions) {
  return (method: (...args: never[]) => unknown, context: ClassMethodDecoratorContext): void =>
    recordOptions(method, context, options);
}

/** A playbook as an object. `run`'s event is the union of what its triggers produce. */
export interface PlaybookObject<T extends readonly Trigger[]> extends PlaybookOptions {
  name: string;
  triggers: T;
  /** A function-typed property, not a method, so the event parameter is checked strictly. */
  run: (event: EventOf<T>, ctx: Context) => unknown;
}

const DEFINITION = Symbol.for("robusta.playbook-definition");

function dataOf(name: string, triggers: readonly TriggerSpec[], options: PlaybookOptions): PlaybookData {
  if (triggers.length === 0) throw new Error(`Playbook ${name} has no trigger.`);
  return {
    name,
    triggers: [...triggers],
    ...(options.sinks !== undefined && { sinks: [...options.sinks] }),
    ...(options.stop !== undefined && { stop: options.stop }),
  };
}

/** Defines a playbook as an object. */
export function definePlaybook<const T extends readonly Trigger[]>(playbook: PlaybookObject<T>): PlaybookDefinition {
  const run = playbook.run.bind(playbook) as (event: BaseEvent, ctx: Context) => unknown;
  const data = dataOf(playbook.name, playbook.triggers.map((trigger) => trigger.spec), playbook);
  return Object.freeze({ data, run, [DEFINITION]: true });
}

/** Whether a value is a playbook class. */
export function isPlaybookClass(value: unknown): value is new () => Playbook {
  return typeof value === "function" && value.prototype instanceof Playbook;
}

/** Whether a value is the result of `definePlaybook`. */
export function isPlaybookDefinition(value: unknown): value is PlaybookDefinition {
  return typeof value === "object" && value !== null && DEFINITION in value;
}

/** The playbooks of a playbook class, one per decorated method (inherited ones included). */
export function playbooksOfClass(cls: new () => Playbook): PlaybookDefinition[] {
  const instance = new cls();
  const seen = new Set<string>();
  const found: PlaybookDefinition[] = [];
  for (let proto = cls.prototype; proto && proto !== Playbook.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === "constructor" || seen.has(key)) continue;
      seen.add(key);
      const method = Object.getOwnPropertyDescriptor(proto, key)?.value;
      const meta = methodMetadata(method);
      // A method with @playbook but no trigger is refused by dataOf: it would never run.
      if (!meta) continue;
      const data = dataOf(meta.options.name ?? `${cls.name}.${key}`, meta.triggers, meta.options);
      const run = (method as (event: BaseEvent, ctx: Context) => unknown).bind(instance);
      found.push(Object.freeze({ data, run, [DEFINITION]: true }));
    }
  }
  return found;
}

/**
 * Every playbook among a module's exports: playbook classes, `definePlaybook` results, and arrays
 * of either. A module namespace lists its exports alphabetically, so a module that cares about
 * order exports a `playbooks` array: then only that array is read, in its order.
 */
export function collectPlaybooks(exports: Readonly<Record<string, unknown>> | readonly unknown[]): PlaybookDefinition[] {
  const ordered = !Array.isArray(exports) && Array.isArray((exports as Record<string, unknown>).playbooks);
  const values = Array.isArray(exports) ? exports : ordered ? [(exports as Record<string, unknown>).playbooks] : Object.values(exports);
  const seen = new Set<unknown>();
  const walk = (value: unknown): PlaybookDefinition[] => {
    if (seen.has(value)) return [];
    seen.add(value);
    if (isPlaybookClass(value)) return playbooksOfClass(value);
    if (isPlaybookDefinition(value)) return [value];
    if (Array.isArray(value)) return value.flatMap(walk);
    return [];
  };
  return values.flatMap(walk);
}

/** The serialisable registry of a set of playbooks. */
export function registryData(playbooks: readonly PlaybookDefinition[]): RegistryData {
  return { version: REGISTRY_VERSION, playbooks: playbooks.map((p) => p.data) };
}
