/**
 * Actions: named, parameterised steps a playbook runs. `defineAction` returns a function typed by
 * its event and parameters, callable from TypeScript (`await logsEnricher(event, ctx, { previous: true })`)
 * and, by its snake_case name, from YAML playbooks.
 */
import { z } from "zod";
import type { Context } from "../context.js";
import type { EventClass } from "../events/classes.js";
import type { BaseEvent } from "../events/model.js";
import { snakeKeys, type CamelKeys } from "../util/case.js";

/** What an action call came to. Actions never throw: a failure is logged, counted and returned. */
export type ActionOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** Any action parameter schema: an object of snake_case keys. */
export type ActionParamsSchema = z.ZodObject<z.ZodRawShape>;

/**
 * A Kubernetes RBAC rule (a ClusterRole's `rules` entry). Actions list the writes they make, so
 * the chart can grant write verbs only for the actions in use; reads are granted to every runner.
 */
export interface PermissionRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** What `defineAction` takes. */
export interface ActionDefinition<E extends BaseEvent, S extends ActionParamsSchema> {
  /** The YAML name, snake_case, unique: "logs_enricher". */
  readonly name: string;
  /** One paragraph for the reference docs. */
  readonly description: string;
  /** The event it needs: it can run on any trigger whose event satisfies this. */
  readonly event: EventClass<E>;
  /** Its parameters, snake_case. Keys of globalConfig with the same name are merged in (Robusta). */
  readonly params: S;
  /** The cluster writes it makes, as RBAC rules; omit for actions that only read. */
  readonly permissions?: readonly PermissionRule[];
  run(event: E, params: z.output<S>, ctx: Context): Promise<void> | void;
}

/** Parameters as a TypeScript caller writes them. */
export type ActionParams<S extends ActionParamsSchema> = CamelKeys<z.input<S>>;

/** An action: call it with an event, the context and (camelCase) parameters. */
export interface Action<E extends BaseEvent = BaseEvent, S extends ActionParamsSchema = ActionParamsSchema> {
  (event: E, ctx: Context, params?: ActionParams<S>): Promise<ActionOutcome>;
  readonly actionName: string;
  readonly definition: ActionDefinition<E, S>;
}

/**
 * Set by the engine on the contexts it creates, so action calls get the per-action timeout,
 * logging and error accounting. A context built by hand runs actions directly.
 */
export const ACTION_HOST = Symbol.for("robusta.action-host");

export interface ActionHost {
  runAction(name: string, run: () => Promise<void>): Promise<ActionOutcome>;
}

/** An action of any event and parameter type, for lists and registries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAction = Action<any, any>;

/** Thrown for invalid action parameters; the message names the action and each bad parameter. */
export class ActionParamsError extends Error {
  constructor(
    readonly action: string,
    readonly issues: readonly { path: string; message: string; segments: readonly PropertyKey[] }[],
  ) {
    super(`Invalid parameters for action ${action}: ${issues.map((i) => `${i.path || "(params)"}: ${i.message}`).join("; ")}`);
    this.name = "ActionParamsError";
  }
}

/** Validates parameters (snake_case), merging in the globalConfig keys the action declares. */
export function parseActionParams<S extends ActionParamsSchema>(
  definition: Pick<ActionDefinition<BaseEvent, S>, "name" | "params">,
  params: Readonly<Record<string, unknown>>,
  globalConfig: Readonly<Record<string, unknown>> = {},
): z.output<S> {
  const declared = Object.fromEntries(
    Object.keys(definition.params.shape)
      .filter((key) => globalConfig[key] !== undefined)
      .map((key) => [key, globalConfig[key]]),
  );
  const result = definition.params.strict().safeParse({ ...declared, ...params });
  if (!result.success) {
    throw new ActionParamsError(
      definition.name,
      result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message, segments: issue.path })),
    );
  }
  return result.data as z.output<S>;
}

/** Defines an action. */
export function defineAction<E extends BaseEvent, S extends ActionParamsSchema>(
  definition: ActionDefinition<E, S>,
): Action<E, S> {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.name)) {
    throw new Error(`Action name "${definition.name}" must be snake_case, like "logs_enricher".`);
  }
  const call = async (event: E, ctx: Context, params?: ActionParams<S>): Promise<ActionOutcome> => {
    const host = (ctx as Partial<Record<typeof ACTION_HOST, ActionHost>>)[ACTION_HOST];
    const execute = async (): Promise<void> => {
      const parsed = parseActionParams(definition, snakeKeys(params), ctx.config);
      await definition.run(event, parsed, ctx);
    };
    if (host) return host.runAction(definition.name, execute);
    await execute();
    return { ok: true };
  };
  return Object.assign(call, { actionName: definition.name, definition });
}

/** Whether a value is an action made by `defineAction`. */
export function isAction(value: unknown): value is AnyAction {
  return typeof value === "function" && "actionName" in value && "definition" in value;
}
