/**
 * Robusta's destination templates (`channel_override`, `webhook_override`, Zulip's
 * `topic_override`): `cluster_name`, `labels.foo`, `annotations.foo`, or composites such as
 * "$cluster_name-alerts-$labels.env-${annotations.kubernetes.io/service-name}". Label and
 * annotation keys are normalised (`/`, `.` and `-` become `_`) on both sides, as Robusta does, and
 * a template naming anything the finding lacks falls back to the default destination.
 */
import type { Finding } from "@robusta-ts/sdk";
import { z } from "zod";

const ONLY_VALUE = /^(labels\.[^$]+|annotations\.[^$]+|cluster_name)$/;
const COMPOSITE = /\$\{?(labels\.|annotations\.|cluster_name)/;
// ${labels.x}, ${annotations.x}, ${cluster_name}; or bare $labels.x / $annotations.x (word characters and dots) / $cluster_name.
const TOKEN = /\$\{(labels\.[^}]+|annotations\.[^}]+|cluster_name)\}|\$(labels\.[\w.]+|annotations\.[\w.]+|cluster_name)/g;

const normalise = (key: string): string => key.replace(/[/.-]/g, "_");

/** Why `template` is not a destination template, or undefined when it is one. */
export function overrideTemplateProblem(template: string): string | undefined {
  if (ONLY_VALUE.test(template) || COMPOSITE.test(template)) return undefined;
  return "must be 'cluster_name', 'labels.foo' or 'annotations.foo', or contain '$cluster_name', '$labels.foo' or '${annotations.foo}'";
}

/** A destination template parameter: a string that `overrideTemplateProblem` finds nothing wrong with. */
export const destinationTemplate = () =>
  z.string().superRefine((template, ctx) => {
    const problem = overrideTemplateProblem(template);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

/** What a template resolves to for `finding`, or `fallback` when it names a label or annotation the finding lacks. */
export function resolveOverride(template: string | undefined, fallback: string, finding: Finding, clusterName: string): string {
  if (!template) return fallback;
  // A bare reference names the whole key after the dot, dashes and slashes included.
  const source = ONLY_VALUE.test(template) ? `\${${template}}` : template;
  const labels = normalisedKeys(finding.subject.labels);
  const annotations = normalisedKeys(finding.subject.annotations);
  let missing = false;
  const resolved = source.replace(TOKEN, (_, braced: string | undefined, bare: string | undefined) => {
    const token = (braced ?? bare)!;
    if (token === "cluster_name") return clusterName;
    const [prefix, ...rest] = token.split(".");
    const value = (prefix === "labels" ? labels : annotations).get(normalise(rest.join(".")));
    if (value === undefined) missing = true;
    return value ?? "";
  });
  return missing ? fallback : resolved;
}

function normalisedKeys(values: Readonly<Record<string, string>>): Map<string, string> {
  return new Map(Object.entries(values).map(([key, value]) => [normalise(key), value]));
}
