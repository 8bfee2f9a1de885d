import type { Context } from "../../../context.js";
import type { KubernetesObject } from "../../../kubernetes/objects.js";

/**
 * The event's object with its name and namespace; undefined, and a warning, when the event
 * carries none (an alert that names no such resource, or one that is gone).
 */
export function eventObject<T extends KubernetesObject>(
  obj: T | undefined,
  ctx: Context,
  action: string,
  what: string,
): { obj: T; name: string; namespace: string } | undefined {
  const name = obj?.metadata?.name;
  if (!obj || !name) {
    ctx.logger.warn({}, `${action}: the event carries no ${what}`);
    return undefined;
  }
  return { obj, name, namespace: obj.metadata?.namespace ?? "default" };
}
