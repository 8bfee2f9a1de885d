import type { Context } from "../../context.js";
import type { PodEvent } from "../../events/model.js";
import type { Pod } from "../../kubernetes/objects.js";

/** The event's pod with its name and namespace; undefined, and a warning, when it carries none (an alert without a pod label). */
export function eventPod(event: PodEvent, ctx: Context, action: string): { pod: Pod; name: string; namespace: string } | undefined {
  const pod = event.pod;
  const name = pod?.metadata?.name;
  if (!pod || !name) {
    ctx.logger.warn({}, `${action}: the event carries no pod`);
    return undefined;
  }
  return { pod, name, namespace: pod.metadata?.namespace ?? "default" };
}
