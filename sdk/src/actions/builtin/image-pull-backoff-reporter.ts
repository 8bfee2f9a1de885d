import { z } from "zod";
import { EventClasses } from "../../events/classes.js";
import { markdown, table, type Block } from "../../findings/blocks.js";
import { subjectOf } from "../../findings/defaults.js";
import { eventRow, type EventRow } from "../../kubernetes/events.js";
import type { ContainerStatus, KubernetesEventObject, Pod } from "../../kubernetes/objects.js";
import { allContainerStatuses } from "../../triggers/pod-health.js";
import { errorMessage } from "../../util/timeout.js";
import { defineAction } from "../define.js";
import { eventPod } from "./event-pod.js";

/** Why an image cannot be pulled, as far as the kubelet's message tells. */
export type ImagePullFailure = "not_found" | "not_authorized" | "timeout" | "unknown";

// Checked in order: registries answer "pull access denied, repository does not exist or may require
// authorization" for both, so the authorization patterns come first.
const FAILURE_PATTERNS: readonly [RegExp, ImagePullFailure][] = [
  [/pull access denied|insufficient_scope|unauthorized|authentication required|failed to authorize|403 Forbidden|requested access to the resource is denied|Permission "[^"]*" denied/i, "not_authorized"],
  [/failed to resolve reference .*(not found|no such host)|manifest unknown|manifest for .* not found|repository .* not found|: not found$/i, "not_found"],
  [/timeout exceeded|i\/o timeout|context deadline exceeded/i, "timeout"],
];

/** Classifies the error of a kubelet "Failed to pull image" message. */
export function classifyImagePullError(message: string): ImagePullFailure {
  return FAILURE_PATTERNS.find(([pattern]) => pattern.test(message))?.[1] ?? "unknown";
}

/** What a person reads for each classified failure: the reason and the fix (Robusta's wording). */
const EXPLANATION: Record<Exclude<ImagePullFailure, "unknown">, { reason: string; fix: string }> = {
  not_found: { reason: "Image not found", fix: "Make sure the image repository, image name and image tag are correct." },
  not_authorized: {
    reason: "Unauthorized",
    fix: "The repo is access protected. Make sure to configure the correct image pull secrets: https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry",
  },
  timeout: { reason: "Timeout", fix: "If this does not resolve after a few minutes, make sure the image repository is responding." },
};

/** Waiting reasons of a container that cannot pull its image. */
export const BACKOFF_REASONS = new Set(["ImagePullBackOff", "ErrImagePull"]);

/**
 * The error of the most recent kubelet Warning about pulling `image`, without the
 * `Failed to pull image "<image>": rpc error: code = ... desc = ` prefix.
 */
function pullError(rows: readonly EventRow[], images: readonly string[]): string | undefined {
  const prefixes = images.map((image) => `Failed to pull image "${image}": `);
  const latest = rows
    .filter((row) => row.type === "Warning" && prefixes.some((prefix) => row.message.startsWith(prefix)))
    .sort((a, b) => Date.parse(b.time) - Date.parse(a.time))[0];
  if (!latest) return undefined;
  const rest = latest.message.slice(latest.message.indexOf('": ') + 3);
  return rest.replace(/^rpc error: code = \w+ desc = /, "");
}

/** A pulling container's table (container, image, and the reason and fix when known) and its unclassified error. */
export function containerBlocks(pod: Pod, status: ContainerStatus, rows: readonly EventRow[]): { table: Block; error?: Block } {
  const specImage = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === status.name)?.image;
  const image = specImage ?? status.image;
  const error = pullError(rows, [...new Set([image, status.image].filter((i): i is string => !!i))]);
  const failure = error === undefined ? undefined : classifyImagePullError(error);
  const explained = failure === undefined || failure === "unknown" ? undefined : EXPLANATION[failure];
  return {
    table: table([
      ["Container", status.name],
      ["Image", image ?? null],
      ...(explained ? [["Reason", explained.reason], ["Fix", explained.fix]] : []),
    ]),
    ...(failure === "unknown" && { error: markdown(`*Error message:* ${status.name}:\n${error}`) }),
  };
}

/** image_pull_backoff_reporter: a finding for a pod that cannot pull an image, with why. */
export const imagePullBackoffReporter = defineAction({
  name: "image_pull_backoff_reporter",
  description:
    'Reports a pod that cannot pull an image as a new HIGH finding, "Failed to pull at least one image in pod <pod> in namespace <namespace>" (aggregation key ImagePullBackoff). For each container in ImagePullBackOff or ErrImagePull: its image and, from the kubelet\'s Warning events, why: image not found, unauthorized, timeout, or the error message itself.',
  event: EventClasses.Pod,
  params: z.object({
    rate_limit: z
      .number()
      .int()
      .nonnegative()
      .default(3600)
      .describe("Accepted as in Robusta, which ignores it here: the on_image_pull_backoff trigger does the rate limiting."),
  }),
  async run(event, _params, ctx) {
    const found = eventPod(event, ctx, "image_pull_backoff_reporter");
    if (!found) return;
    const { pod, name, namespace } = found;
    const pulling = allContainerStatuses(pod).filter((status) => BACKOFF_REASONS.has(status.state?.waiting?.reason ?? ""));
    if (pulling.length === 0) {
      ctx.logger.info({ pod: `${namespace}/${name}` }, "image_pull_backoff_reporter: no container of the pod is failing to pull its image");
      return;
    }
    let events: KubernetesEventObject[] = [];
    try {
      events = await ctx.cluster.events({ kind: "Pod", name, namespace });
    } catch (error) {
      // The finding is still worth sending: the containers and images are known.
      ctx.logger.warn({ pod: `${namespace}/${name}`, reason: errorMessage(error) }, "could not list the pod's events");
    }
    const rows = events.map(eventRow);
    ctx.addFinding({
      title: `Failed to pull at least one image in pod ${name} in namespace ${namespace}`,
      aggregationKey: "ImagePullBackoff",
      severity: "HIGH",
      source: "KUBERNETES_API_SERVER",
      subject: subjectOf(pod, "Pod"),
    });
    const blocks = pulling.map((status) => containerBlocks(pod, status, rows));
    // Robusta's layout: the tables, then the error messages it could not classify.
    ctx.addEnrichment([...blocks.map((b) => b.table), ...blocks.flatMap((b) => (b.error ? [b.error] : []))], {
      title: "Container ImagePullBackoff Information",
      enrichmentType: "image_pull_backoff_info",
    });
  },
});
