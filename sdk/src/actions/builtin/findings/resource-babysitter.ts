import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import type { KubernetesChangeEvent } from "../../../events/model.js";
import { diff, type FieldDiff } from "../../../findings/blocks.js";
import { subjectOf } from "../../../findings/defaults.js";
import { diffObjects } from "../../../kubernetes/diff.js";
import { defineAction } from "../../define.js";

/** Fields every update touches without anyone changing the resource. */
const NOISE = ["status", "metadata.resourceVersion", "metadata.managedFields", "metadata.generation"];

/**
 * The changes to report: the trigger's change_filters result when it has one, else the whole
 * object compared, noise left out. Creates and deletes carry none, as in Robusta.
 */
function changesOf(event: KubernetesChangeEvent): readonly FieldDiff[] {
  if (event.filteredDiffs) return event.filteredDiffs;
  if (event.operation !== "update") return [];
  return diffObjects(event.oldObj, event.obj, { ignore: NOISE, kind: event.kind });
}

/** "Updates to significant fields: …", counted as Robusta's KubernetesDiffBlock counts them. */
function describeChanges(diffs: readonly FieldDiff[]): string {
  const additions = diffs.filter((d) => d.old === undefined && d.new !== undefined).length;
  const deletions = diffs.filter((d) => d.old !== undefined && d.new === undefined).length;
  const changes = diffs.length - additions - deletions;
  return `Updates to significant fields: ${additions} additions, ${deletions} deletions, ${changes} changes.`;
}

/** resource_babysitter: a configuration-change finding, with what changed, for every change to the resource. */
export const resourceBabysitter = defineAction({
  name: "resource_babysitter",
  description:
    'Reports a change to a resource as a new finding "<name> <operation>d" ("web updated"): type CONF_CHANGE, not a failure, severity INFO, aggregation key ConfigurationChange/KubernetesResource/Change, with a "Kubernetes Manifest Change" diff of the changed fields. The fields are those the trigger\'s change_filters let through; without change_filters, the whole object is compared, leaving out status, resourceVersion, managedFields and generation. Updates that changed nothing else are not reported.',
  event: EventClasses.KubernetesChange,
  params: z.object({
    ignored_namespaces: z.array(z.string()).default([]).describe("Namespaces whose resources' changes are not reported."),
  }),
  run(event, params, ctx) {
    const name = event.obj.metadata?.name;
    if (!name) {
      ctx.logger.warn({ kind: event.kind }, "resource_babysitter: the changed object has no name");
      return;
    }
    const namespace = event.obj.metadata?.namespace;
    if (namespace !== undefined && params.ignored_namespaces.includes(namespace)) return;
    const diffs = changesOf(event);
    if (event.operation === "update" && diffs.length === 0) {
      ctx.logger.debug({ kind: event.kind, name, namespace }, "resource_babysitter: no significant change");
      return;
    }
    ctx.addFinding({
      title: `${name} ${event.operation}d`,
      ...(event.operation === "update" && { description: describeChanges(diffs) }),
      aggregationKey: "ConfigurationChange/KubernetesResource/Change",
      severity: "INFO",
      source: "KUBERNETES_API_SERVER",
      findingType: "CONF_CHANGE",
      failure: false,
      subject: subjectOf(event.obj, event.kind),
    });
    ctx.addEnrichment([diff({ kind: event.kind, name, ...(namespace !== undefined && { namespace }) }, diffs)], {
      title: "Kubernetes Manifest Change",
      enrichmentType: "diff",
      annotations: { operation: event.operation },
    });
  },
});
