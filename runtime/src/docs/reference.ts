/**
 * Reference pages generated from the schemas, so the docs never restate (and drift from) the
 * code: triggers, built-in actions and runner options. `npm run docs` writes them; a test checks
 * the committed pages are current.
 */
import { z } from "zod";
import * as sdk from "@robusta-ts/sdk";
import { builtinActions, changeFilters, eventParamNames, isManuallyTriggerable, kubernetesScope, TRIGGER_TYPES, type AnyAction, type TriggerType } from "@robusta-ts/sdk";
import { ENV, runtimeOptionsSchema } from "../options.js";
import { configurationPage } from "./configuration-page.js";
import { sinksReference } from "./sinks-page.js";
import { camel, cell, HEADER, paramsTable, typeOf, type JsonSchema } from "./markdown.js";

function triggerSection(type: TriggerType): string {
  return [
    `## ${type.name}`,
    "",
    type.description,
    "",
    `- TypeScript: \`@${camel(type.name)}(...)\`, or \`${camel(type.name)}(...)\` in \`definePlaybook\``,
    `- Event: \`${type.eventClass.name}\``,
    ...(type.kinds.length ? [`- Watches: ${type.kinds.join(", ")}`] : []),
    "",
    paramsTable(type.params, (key) => `\`${key}\``),
  ].join("\n");
}

/** The parameter types every Kubernetes trigger shares, explained once. */
function commonTypes(): string {
  const rule = kubernetesScope.shape.include.unwrap().element;
  return [
    "## Common parameter types",
    "",
    "### scope",
    "",
    "Fire only for what the rules include and do not exclude. `exclude` is checked first: an object matching any of its rules does not fire. With `include`, an object must match one of its rules. In `on_prometheus_alert`, rules have only `labels` and `annotations`, matched against the alert's.",
    "",
    paramsTable(kubernetesScope, (key) => `\`${key}\``),
    "### scope rule",
    "",
    "Every field given must match; a field that lists several values matches when one does.",
    "",
    paramsTable(rule, (key) => `\`${key}\``),
    "```yaml",
    "scope:",
    "  include:",
    "    - namespace: [prod, \"prod-.*\"]",
    "      labels: [\"tier=web, canary!=true\"]",
    "  exclude:",
    "    - attributes: [\"status.phase=Pending\"]",
    "```",
    "",
    "### change_filters",
    "",
    "Compare the object before and after an update, and fire only when something that matters changed. Creates and deletes always pass. The changes found are on the event as `filteredDiffs`.",
    "",
    paramsTable(changeFilters, (key) => `\`${key}\``),
  ].join("\n");
}

export function triggersReference(types: readonly TriggerType[] = TRIGGER_TYPES): string {
  return `${HEADER}# Triggers\n\nWhen a playbook runs. Each trigger has a YAML name and a TypeScript factory that doubles as a method decorator. Parameters are snake_case in YAML and camelCase in TypeScript (\`restart_count\` / \`restartCount\`).\n\n${commonTypes()}\n${types.map(triggerSection).join("\n")}`;
}

/** The name the SDK exports an action under: usually its name in camelCase (create_finding is createFindingAction). */
function exportName(action: AnyAction): string {
  return Object.entries(sdk).find(([, value]) => value === action)?.[0] ?? camel(action.actionName);
}

/** How to run an action by hand, or why it cannot be. */
function manualLine(action: AnyAction): string {
  const { name, event } = action.definition;
  if (!isManuallyTriggerable(event.name)) return "- By hand: no (it needs the event of its trigger)";
  const naming = eventParamNames(event.name).map((key) => `${key}=…`);
  return `- By hand: \`robusta trigger ${[name, ...naming].join(" ")}\``;
}

/** The cluster writes an action makes, as the RBAC verbs it needs. */
function writesLine(action: AnyAction): string[] {
  const rules = action.definition.permissions ?? [];
  if (rules.length === 0) return [];
  const grants = rules.map((rule) => `${rule.verbs.join("/")} ${rule.resources.map((r) => [rule.apiGroups.filter(Boolean).join("|"), r].filter(Boolean).join("/")).join(", ")}`);
  return [`- Writes (RBAC): ${grants.map((g) => `\`${g}\``).join("; ")}`];
}

function actionSection(action: AnyAction): string {
  const def = action.definition;
  return [
    `## ${def.name}`,
    "",
    def.description,
    "",
    `- TypeScript: \`await ${exportName(action)}(event, ctx, params?)\``,
    `- Needs: \`${def.event.name}\` (it runs on any trigger whose event is one)`,
    manualLine(action),
    ...writesLine(action),
    "",
    paramsTable(def.params, (key) => `\`${key}\``),
  ].join("\n");
}

export function actionsReference(actions: readonly AnyAction[] = builtinActions): string {
  const sorted = [...actions].sort((a, b) => a.actionName.localeCompare(b.actionName));
  return `${HEADER}# Built-in actions\n\nCallable from TypeScript, and by name from YAML playbooks. Parameters are snake_case in YAML and camelCase in TypeScript. Keys of \`globalConfig\` with a parameter's name are merged into that parameter. "By hand" shows how to run one with \`robusta trigger\` (or \`POST /api/trigger\`): \`name\`, \`namespace\` and \`kind\` name the object it runs on; add the action's parameters as \`key=value\`.\n\n${sorted.map(actionSection).join("\n")}`;
}

export function runnerOptionsReference(): string {
  const json = z.toJSONSchema(runtimeOptionsSchema, { io: "input" }) as JsonSchema;
  const envOf = (key: string) => Object.entries(ENV).find(([, [option]]) => option === key)?.[0];
  const rows = Object.entries(json.properties ?? {}).map(([key, prop]) => {
    const description = (prop.description ?? "").replace(/\s*\(env [A-Z_]+\)\.?$/, ".");
    const variable = envOf(key);
    return `| \`${key}\` | ${variable ? `\`${variable}\`` : ""} | ${cell(typeOf(prop))} | ${prop.default !== undefined ? `\`${JSON.stringify(prop.default)}\`` : ""} | ${cell(description)} |`;
  });
  return `${HEADER}# Runner options\n\nSet as environment variables (in the runner's container) or passed to \`new Runtime({ options })\`. Invalid values stop the runner with a message naming each option and variable.\n\n| option | environment variable | type | default | description |\n| --- | --- | --- | --- | --- |\n${rows.join("\n")}\n`;
}

/** Every generated page, by path relative to docs/. */
export function referencePages(): Record<string, string> {
  return {
    "reference/triggers.md": triggersReference(),
    "reference/actions.md": actionsReference(),
    "reference/runner-options.md": runnerOptionsReference(),
    "reference/sinks.md": sinksReference(),
    "configuration.md": configurationPage(),
  };
}
