/**
 * What decorators record on playbook methods. Standard (TC39) decorators run once, when the
 * class is defined; they leave the method untouched and note its triggers here.
 */
import type { TriggerSpec } from "../triggers/trigger.js";

/** Options of one playbook, set with `@playbook({...})` or in `definePlaybook`. */
export interface PlaybookOptions {
  /** Defaults to "Class.method" for decorated methods. */
  name?: string;
  /** Send findings to these sinks instead of the default ones. */
  sinks?: readonly string[];
  /** Run no playbook after this one for the same event. */
  stop?: boolean;
}

export interface MethodMetadata {
  triggers: TriggerSpec[];
  options: PlaybookOptions;
}

const methods = new WeakMap<Function, MethodMetadata>();

/** The message for code compiled with TypeScript's legacy decorators. */
export const EXPERIMENTAL_DECORATORS_MESSAGE =
  "Robusta playbooks use standard decorators, but this code was compiled with TypeScript's legacy " +
  '"experimentalDecorators". Remove "experimentalDecorators" (and "emitDecoratorMetadata") from your tsconfig.json.';

function metadataFor(method: unknown, context: unknown, decorator: string): MethodMetadata {
  // Legacy decorators are called as (prototype, propertyKey, descriptor): no context object.
  if (typeof context !== "object" || context === null || !("kind" in context)) {
    throw new Error(EXPERIMENTAL_DECORATORS_MESSAGE);
  }
  const ctx = context as DecoratorContext;
  if (ctx.kind !== "method" || typeof method !== "function") {
    throw new Error(`${decorator} can only decorate a method of a playbook class, not a ${ctx.kind}.`);
  }
  if (ctx.static) throw new Error(`${decorator} cannot decorate static method ${String(ctx.name)}.`);
  let meta = methods.get(method);
  if (!meta) {
    meta = { triggers: [], options: {} };
    methods.set(method, meta);
  }
  return meta;
}

/** Called by trigger decorators. Decorators apply bottom-up; we keep the order they are written in. */
export function recordTrigger(method: unknown, context: unknown, spec: TriggerSpec): void {
  metadataFor(method, context, `@${spec.name}`).triggers.unshift(spec);
}

/** Called by `@playbook(...)`. */
export function recordOptions(method: unknown, context: unknown, options: PlaybookOptions): void {
  const meta = metadataFor(method, context, "@playbook");
  meta.options = { ...options, ...meta.options };
}

/** What was recorded on a method, if anything. */
export function methodMetadata(method: unknown): MethodMetadata | undefined {
  return typeof method === "function" ? methods.get(method) : undefined;
}
