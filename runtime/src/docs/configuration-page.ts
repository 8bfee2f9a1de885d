/**
 * docs/configuration.md: the prose is written here once; every table (settings, playbook entry,
 * sink types, built-in playbooks, chart-only values) is generated from the schemas and data the
 * runner itself uses, so the page cannot drift from what the runner accepts.
 */
import { BUILTIN_PLAYBOOKS, PRIORITY_BUILTIN_PLAYBOOKS, ROBUSTA_BUILTINS_NOT_YET_AVAILABLE } from "../config/builtin-playbooks.js";
import { CHART_KEY_NOTES, CHART_ONLY_KEYS, configFileSchema, playbookSchema, type PlaybookConfig } from "../config/schema.js";
import { SINK_TYPES } from "../sinks/sinks-config.js";
import { cell, HEADER, paramsTable } from "./markdown.js";

const code = (text: string) => `\`${text}\``;

const entries = (list: readonly Record<string, unknown>[]) =>
  list.map((entry) => {
    const [name, params] = Object.entries(entry)[0]!;
    const shown = params && Object.keys(params).length ? ` ${JSON.stringify(params).replace(/"([a-z_0-9]+)":/g, "$1: ")}` : "";
    return code(`${name}${shown}`);
  });

function builtinTable(list: readonly PlaybookConfig[]): string {
  const rows = list.map((p) => `| ${code(p.name!)} | ${entries(p.triggers).join("<br>")} | ${entries(p.actions).join("<br>")} | ${p.stop ? "yes" : ""} |`);
  return ["| name | triggers | actions | stop |", "| --- | --- | --- | --- |", ...rows, ""].join("\n");
}

const sinkList = () =>
  Object.entries(SINK_TYPES)
    .map(([type, sink]) => `- ${code(type)}: ${sink.description}`)
    .join("\n");

/** The settings table, with a playbook's type named rather than spelled out on each line. */
function settingsTable(): string {
  const playbookType = /\{name: string, triggers: list of object, actions: list of object, sinks: list of string, stop: boolean\}/g;
  return paramsTable(configFileSchema, code).replace(playbookType, "playbook").replace("| `namedCustomPlaybooks` | object |", "| `namedCustomPlaybooks` | map of name to playbook |");
}

export function configurationPage(): string {
  return `${HEADER}# Configuration

The runner reads one YAML file with the names of Robusta's Helm values: \`globalConfig\`,
\`sinksConfig\`, \`customPlaybooks\`, \`namedCustomPlaybooks\`, \`builtinPlaybooks\`,
\`disabledPlaybooks\`, \`alertRelabel\`. An existing Robusta values file can be given as it is
(see [Moving from Robusta](#moving-from-robusta)).

\`\`\`sh
robusta run --config values.yaml playbooks/         # or set PLAYBOOKS_CONFIG_FILE_PATH
robusta validate values.yaml playbooks/             # check it, without a cluster
\`\`\`

The playbook modules named on the command line (TypeScript playbooks and actions) are part of the
check: a YAML playbook may name their actions, and \`disabledPlaybooks\` may name their playbooks.

\`\`\`yaml
clusterName: prod-eu-1
globalConfig:
  prometheus_url: http://prometheus.monitoring:9090
sinksConfig:
  - console_sink:
      name: console
  - file_sink:
      name: archive
      file_name: "{{ env.FINDINGS_DIR }}/findings.jsonl"
      default: false
customPlaybooks:
  - name: CrashLoopBackOff            # replaces the built-in playbook of that name
    triggers:
      - on_pod_crash_loop:
          restart_reason: CrashLoopBackOff
          restart_count: 5
    actions:
      - report_crash_loop: {}
    sinks: [console, archive]
disabledPlaybooks: [PodEvicted]
\`\`\`

## Settings

${settingsTable()}
## Playbooks

Each entry of \`customPlaybooks\`, of \`builtinPlaybooks\` and \`priorityBuiltinPlaybooks\`, and
each value of \`namedCustomPlaybooks\`:

${paramsTable(playbookSchema, code)}
Triggers are listed in [reference/triggers.md](reference/triggers.md), actions in
[reference/actions.md](reference/actions.md). In YAML, both use snake_case names and parameters.

Playbooks run in this order, and all playbooks fired by one event add to the same findings:
\`priorityBuiltinPlaybooks\`, the playbooks of the TypeScript modules, \`customPlaybooks\`,
\`namedCustomPlaybooks\`, \`builtinPlaybooks\`. A playbook with the name of a built-in playbook
takes its place in that order. A playbook without a name is named after its place, such as
\`customPlaybooks[2]\`. \`stop: true\` ends the run for that event after the playbook.

### What is checked

Everything, before anything runs, and every problem is reported at once with its YAML path and
line:

- unknown settings (a typo such as \`customPlaybook\`), and malformed entries;
- unknown triggers and actions, and each one's parameters, against its schema;
- that each action accepts the event of every trigger of its playbook (\`logs_enricher\` needs a
  pod, so it cannot follow \`on_deployment_update\`);
- parameters that come from \`globalConfig\`: a key of \`globalConfig\` with the name of an action
  parameter is merged into it, as in Robusta, so its value must suit that parameter;
- sink names a playbook uses, and sinks named twice;
- \`{{ env.VAR }}\` references to variables that are not set.

\`\`\`text
$ robusta validate values.yaml
values.yaml:4 sinksConfg: unknown setting
values.yaml:2 customPlaybooks[0].triggers[0].on_pod_crash_loop.restart_count: Invalid input: expected number, received string
values.yaml:3 customPlaybooks[0].actions[0].logs_enricher.previous: Invalid input: expected boolean, received string
values.yaml: 3 problems
\`\`\`

\`robusta validate\` exits with 1 when there is a problem, so CI can run it on the values before
they are deployed. \`robusta run\` refuses to start with the same messages.

### Reloading

The runner watches the file (and its directory: a mounted Secret or ConfigMap changes by a symlink
swap). When the content changes, the new configuration is checked as a whole. If it is valid, it
replaces the running one: events already being handled finish with the old one, unchanged sinks
are kept, and dropped ones are closed. If it is invalid, **the runner keeps running the last good
configuration**, logs every problem, and sets the metric
\`robusta_config_last_reload_successful\` to 0 (\`robusta_config_reloads_total{result="invalid"}\`
counts refusals). Robusta, by contrast, crash-loops on a bad configuration.

## Secrets: \`{{ env.VAR }}\`

As in Robusta, \`{{ env.NAME }}\` in string values of \`globalConfig\`, of sink parameters and of
action parameters is replaced by the environment variable \`NAME\`. Set it from a Secret in the
runner's container (\`valueFrom.secretKeyRef\`), so tokens stay out of values files. A variable
that is not set is an error, not an empty string.

## Sinks

Each entry of \`sinksConfig\` is \`{<type>: {name, ...}}\`. With no \`sinksConfig\`, findings are
printed on standard output (a \`console_sink\` named \`console\`). The types:

${sinkList()}

Their parameters are in [reference/sinks.md](reference/sinks.md); setting each up is in
[sinks.md](sinks.md), and routing findings between them in [routing.md](routing.md).

## Built-in playbooks

On unless replaced or disabled. \`priorityBuiltinPlaybooks\` (run first; they silence noise):

${builtinTable(PRIORITY_BUILTIN_PLAYBOOKS)}
\`builtinPlaybooks\` (run last; \`DefaultPrometheusAlertEnricher\` adds the labels of every alert):

${builtinTable(BUILTIN_PLAYBOOKS)}
To turn one off, list its name in \`disabledPlaybooks\`. To change one, write a playbook with its
name in \`customPlaybooks\` or \`namedCustomPlaybooks\`. Giving \`builtinPlaybooks\` or
\`priorityBuiltinPlaybooks\` replaces the whole list, as a list in Helm values does.

## Moving from Robusta

1. Run \`robusta validate\` on the values file you give Helm (for example the
   \`generated_values.yaml\` of \`robusta gen-config\`, merged with your own). Chart settings that
   configure Kubernetes objects rather than the runner are accepted and reported as ignored:
   ${CHART_ONLY_KEYS.map(code).join(", ")}.
2. Fix what it reports. The most common differences:
   - Sink types: this runner has ${Object.keys(SINK_TYPES).map(code).join(", ")}; a sink type it does not
     have yet is reported as unknown.
   - Actions written in Python (\`playbookRepos\`) do not carry over. Write them as TypeScript
     actions in a playbook module (see [writing-playbooks.md](writing-playbooks.md)); YAML playbooks
     can then name them as before.
   - \`namedCustomPlaybooks\` always run here. (Robusta's chart renders them only when
     \`customPlaybooks\` is not empty.)
   - \`disabledPlaybooks\` works on every playbook, built-in or not, and a name that matches no
     playbook is reported as a warning.
3. Move secrets into \`{{ env.VAR }}\` references if they are not already.
${Object.entries(CHART_KEY_NOTES)
  .map(([key, note]) => `\nNote on ${code(key)}: ${note}.`)
  .join("")}

Robusta's built-in playbooks that are not built in here yet (each needs an action this runner
does not have yet; their alerts still get \`DefaultPrometheusAlertEnricher\`):

| name | needs |
| --- | --- |
${ROBUSTA_BUILTINS_NOT_YET_AVAILABLE.map((p) => `| ${code(p.name)} | ${cell(p.needs.map(code).join(", "))} |`).join("\n")}
`;
}
