/**
 * Robusta's templating of titles, descriptions, buttons and markdown: Python's
 * `string.Template.safe_substitute` with dotted names, over an event's subject.
 */
import type { BaseEvent, PrometheusAlertEvent } from "../../../events/model.js";
import type { FindingSubject } from "../../../findings/finding.js";
import { eventSubject } from "./event-subject.js";

/** Values by placeholder name: "name", "labels.app", "annotations.owner", ... */
export type TemplateVariables = Readonly<Record<string, string>>;

/** What Robusta shows for a subject field the event does not have. */
const MISSING = "<missing>";

const prefixed = (prefix: string, values: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [`${prefix}.${key}`, value]));

/**
 * The variables of an event: `$name`, `$kind`, `$namespace`, `$node` (and `$container` when
 * known) of its subject, `${labels.x}` and `${annotations.y}` of the subject, and for an alert
 * its own labels and annotations by bare name (`$alertname`, `$pod`), which subject fields override.
 */
export function templateVariables(event: BaseEvent, subject: FindingSubject = eventSubject(event).subject): TemplateVariables {
  const alert = event.source === "prometheus" ? (event as PrometheusAlertEvent) : undefined;
  return {
    ...alert?.labels,
    ...alert?.annotations,
    name: subject.name ?? MISSING,
    kind: subject.subjectType ?? MISSING,
    namespace: subject.namespace ?? MISSING,
    node: subject.node ?? MISSING,
    ...(subject.container !== undefined && { container: subject.container }),
    ...prefixed("labels", subject.labels),
    ...prefixed("annotations", subject.annotations),
  };
}

/**
 * `$$`, `${braced.name}` (label keys may hold "-", "/" and dots), or `$dotted.name`. A bare
 * name's dots continue it only before a letter or digit, so "$name." ends a sentence.
 */
const PLACEHOLDER = /\$(?:(\$)|\{([_a-z][-_a-z0-9./]*)\}|([_a-z][_a-z0-9]*(?:\.[_a-z0-9]+)*))/gi;

const lookup = (variables: TemplateVariables, key: string) => (Object.hasOwn(variables, key) ? variables[key] : undefined);

/** A bare dotted name's value: the longest known prefix, the rest kept ("$namespace.svc" → "prod.svc"). */
function bareValue(variables: TemplateVariables, name: string): string | undefined {
  const parts = name.split(".");
  for (let n = parts.length; n > 0; n--) {
    const value = lookup(variables, parts.slice(0, n).join("."));
    if (value !== undefined) return [value, ...parts.slice(n)].join(".");
  }
  return undefined;
}

/**
 * Substitutes `variables` into `template`. `$$` is a literal `$`; an unknown placeholder is left
 * as written, or replaced by `missing` when given.
 */
export function renderTemplate(template: string, variables: TemplateVariables, options: { missing?: string } = {}): string {
  return template.replace(PLACEHOLDER, (match, escaped?: string, braced?: string, bare?: string) => {
    if (escaped) return "$";
    const value = braced !== undefined ? lookup(variables, braced) : bareValue(variables, bare ?? "");
    return value ?? options.missing ?? match;
  });
}

/** Renders `template` with the variables of `event`. */
export function renderEventTemplate(template: string, event: BaseEvent, options: { missing?: string } = {}): string {
  return renderTemplate(template, templateVariables(event), options);
}
