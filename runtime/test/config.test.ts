import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ActionRegistry, builtinActions, definePlaybook, onPodCrashLoop, type PlaybookDefinition } from "@robusta-ts/sdk";
import { BUILTIN_PLAYBOOKS, PRIORITY_BUILTIN_PLAYBOOKS, ROBUSTA_BUILTINS_NOT_YET_AVAILABLE } from "../src/config/builtin-playbooks.js";
import { ConfigError, parseConfig, type ConfigContext } from "../src/config/load-config.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/config/${name}`, import.meta.url));
const context = (extra: Partial<ConfigContext> = {}): ConfigContext => ({
  actions: new ActionRegistry(builtinActions),
  env: { SIGNING_KEY: "s3cret", FINDINGS_DIR: "/var/findings" },
  ...extra,
});
const names = (playbooks: readonly PlaybookDefinition[]) => playbooks.map((p) => p.data.name);
const BUILTIN_NAMES = [...PRIORITY_BUILTIN_PLAYBOOKS, ...BUILTIN_PLAYBOOKS].map((p) => p.name);

function issuesOf(text: string, ctx = context()): string[] {
  try {
    parseConfig(text, "values.yaml", ctx);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.line ?? "-"} ${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error("expected the configuration to be refused");
}

describe("the configuration file", () => {
  it("with nothing in it, runs Robusta's built-in playbooks and prints findings", () => {
    const config = parseConfig("", "values.yaml", context());
    expect(names(config.playbooks)).toEqual(BUILTIN_NAMES);
    expect(config.playbooks.map((p) => p.data.name)).toContain("CrashLoopBackOff");
    expect(config.sinks).toEqual([{ type: "console_sink", params: { name: "console", default: true, stop: false, dedup_interval: 0 } }]);
  });

  it("reads a Robusta values file as it is", async () => {
    const config = parseConfig(await readFile(fixture("robusta-values.yaml"), "utf8"), "robusta-values.yaml", context());
    expect(config.clusterName).toBe("prod-eu-1");
    expect(config.globalConfig).toMatchObject({ cluster_name: "prod-eu-1", signing_key: "s3cret", prometheus_url: "http://prometheus.monitoring:9090" });
    expect(config.sinks.map((s) => [s.type, s.params])).toEqual([
      ["console_sink", { name: "console", default: true, stop: false, dedup_interval: 0 }],
      ["file_sink", { name: "archive", file_name: "/var/findings/findings.jsonl", default: false, stop: false, dedup_interval: 0 }],
    ]);
    expect(config.alertRelabel).toEqual([{ source: "pod_name", target: "pod", operation: "add" }]);
    // Priority built-ins, then custom, then named, then built-ins; CrashLoopBackOff is replaced
    // in its built-in place by the custom one of that name; PodEvicted is disabled.
    const expected = [
      ...PRIORITY_BUILTIN_PLAYBOOKS.map((p) => p.name),
      "customPlaybooks[0]",
      "checkout-alerts",
      ...BUILTIN_PLAYBOOKS.map((p) => p.name).filter((name) => name !== "PodEvicted"),
    ];
    expect(names(config.playbooks)).toEqual(expected);
    const crashLoop = config.playbooks.find((p) => p.data.name === "CrashLoopBackOff")!.data;
    expect(crashLoop.triggers).toEqual([{ name: "on_pod_crash_loop", params: { restart_reason: "CrashLoopBackOff", restart_count: 5 } }]);
    expect(crashLoop.sinks).toEqual(["console", "archive"]);
    expect(config.warnings).toEqual(["isSmallCluster: a chart setting, ignored by the runner", "enablePrometheusStack: a chart setting, ignored by the runner", "runner: a chart setting, ignored by the runner"]);
  });

  it("reports every problem at once, each with its YAML path and line", async () => {
    const text = await readFile(fixture("broken.yaml"), "utf8");
    expect(issuesOf(text)).toEqual([
      "3 globalConfig.slack_token: environment variable NOT_SET_ANYWHERE is not set (referenced as {{ env.NOT_SET_ANYWHERE }})",
      "5 sinksConfig[0].slack_sink.slack_channel: required (string)",
      "31 customPlaybook: unknown setting",
      '11 customPlaybooks[0].triggers[0].on_pod_crashloop: unknown trigger "on_pod_crashloop"',
      "17 customPlaybooks[1].triggers[0].on_pod_crash_loop.restart_count: Invalid input: expected number, received string",
      "20 customPlaybooks[1].actions[0].logs_enricher.tail_lines: Invalid input: expected number, received string",
      "25 customPlaybooks[2].actions[0].logs_enricher: action logs_enricher needs a PodEvent, but trigger on_deployment_update (triggers[0]) gives a DeploymentChangeEvent",
      '30 customPlaybooks[3].actions[0].report_the_universe: unknown action "report_the_universe"',
    ]);
  });

  it("refuses a playbook's unknown sink, a malformed playbook, and a YAML syntax error", () => {
    expect(
      issuesOf(`
sinksConfig:
  - console_sink: {name: main}
customPlaybooks:
  - triggers: [{on_pod_update: {}}]
    actions: [{logs_enricher: {}}]
    sinks: [main, slack]
  - triggers: []
    actions: [{logs_enricher: {}}, {pod_events_enricher: {}, logs_enricher: {}}]
    stopp: true
`),
    ).toEqual([
      "8 customPlaybooks[1].triggers: a playbook needs at least one trigger",
      "9 customPlaybooks[1].actions[1]: name exactly one action, like {logs_enricher: {}}",
      "10 customPlaybooks[1].stopp: unknown setting",
      '7 customPlaybooks[0].sinks[1]: unknown sink "slack" (the sinks are: main)',
    ]);
    expect(issuesOf("customPlaybooks:\n  - triggers: [\n")[0]).toMatch(/^\d+ : /);
    expect(issuesOf("- just\n- a list\n")).toEqual(["- : the configuration must be a mapping of settings, like a Helm values file"]);
  });

  it("names the playbook twice used, and warns about a disabled name that matches nothing", () => {
    expect(
      issuesOf(`
customPlaybooks:
  - name: mine
    triggers: [{on_pod_update: {}}]
    actions: [{logs_enricher: {}}]
namedCustomPlaybooks:
  mine:
    triggers: [{on_pod_update: {}}]
    actions: [{logs_enricher: {}}]
`),
    ).toEqual(['7 namedCustomPlaybooks.mine.name: playbook name "mine" is also used by customPlaybooks[0]']);
    expect(
      issuesOf(`
builtinPlaybooks:
  - name: twice
    triggers: [{on_pod_update: {}}]
    actions: [{logs_enricher: {}}]
  - name: twice
    triggers: [{on_pod_update: {}}]
    actions: [{logs_enricher: {}}]
`),
    ).toEqual(['6 builtinPlaybooks[1].name: playbook name "twice" is also used by builtinPlaybooks[0]']);
    const config = parseConfig("disabledPlaybooks: [CrashLoopBackOf]\n", "values.yaml", context());
    expect(config.warnings).toEqual(['disabledPlaybooks[0]: no playbook is named "CrashLoopBackOf"']);
    expect(names(config.playbooks)).toContain("CrashLoopBackOff");
  });

  it("replaces the built-in lists when given, as Helm does, and disables playbooks written in code", () => {
    const code = definePlaybook({ name: "CodeCrashLoops", triggers: [onPodCrashLoop()], run: () => undefined });
    const config = parseConfig(
      `
builtinPlaybooks:
  - name: OnlyThis
    triggers: [{on_pod_crash_loop: {}}]
    actions: [{report_crash_loop: {}}]
priorityBuiltinPlaybooks: []
disabledPlaybooks: [CodeCrashLoops]
`,
      "values.yaml",
      context({ codePlaybooks: [code] }),
    );
    expect(names(config.playbooks)).toEqual(["OnlyThis"]);
    expect(names(parseConfig("", "values.yaml", context({ codePlaybooks: [code] })).playbooks)).toEqual([
      ...PRIORITY_BUILTIN_PLAYBOOKS.map((p) => p.name),
      "CodeCrashLoops",
      ...BUILTIN_PLAYBOOKS.map((p) => p.name),
    ]);
  });

  it("merges globalConfig into action parameters when checking them", () => {
    // logs_enricher's tail comes from globalConfig here: a bad value there is caught too.
    expect(issuesOf("globalConfig: {tail_lines: lots}\n")[0]).toMatch(/logs_enricher\.tail_lines: Invalid input: expected number, received string \(the value comes from globalConfig\)$/);
  });

  it("leaves out only those of Robusta's built-in playbooks whose actions are missing, in Robusta's order otherwise", () => {
    const registry = new ActionRegistry(builtinActions);
    for (const { name, needs } of ROBUSTA_BUILTINS_NOT_YET_AVAILABLE) {
      expect(needs.length, name).toBeGreaterThan(0);
      for (const action of needs) expect(registry.get(action), `${name} lists ${action}, which exists`).toBeUndefined();
    }
    // Every built-in one loads: each action exists and accepts the alert or change its triggers fire on.
    expect(names(parseConfig("", "values.yaml", context()).playbooks)).toEqual(BUILTIN_NAMES);
    expect(BUILTIN_NAMES.slice(0, 3)).toEqual(["CommonPrometheusAlertsSilencer", "MiniClustersPrometheusAlertsSilencer", "GKEProviderAlertsAlertsSilencer"]);
    expect(BUILTIN_NAMES.at(-2)).toBe("DefaultPrometheusAlertEnricher");
    // These need Jobs or pods of their own (KRR scans, a disk analyzer on the node).
    expect(ROBUSTA_BUILTINS_NOT_YET_AVAILABLE.map((p) => p.name)).toEqual(["KrrJobFailed", "NodeFSSpaceAlerts"]);
  });
});
