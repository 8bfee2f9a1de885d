import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { chartFiles } from "../../src/manifests/chart-files.js";
import { CHART_APP_VERSION, DEFAULT_VALUES, mergeValues, validateValues } from "../../src/manifests/index.js";

const charts = fileURLToPath(new URL("../../../charts/", import.meta.url));
const chart = join(charts, "robusta-ts");
const templates = join(chart, "templates");
const read = (path: string) => readFileSync(path, "utf8");
const valuesYaml = YAML.parse(read(join(chart, "values.yaml"))) as Record<string, unknown>;
const templateText = readdirSync(templates)
  .map((f) => read(join(templates, f)))
  .join("\n");

/** Subtrees the templates pass on whole (toYaml, pick, dependencies), not leaf by leaf. */
const PASSED_WHOLE = [
  "clusterName", "globalConfig", "sinksConfig", "alertRelabel", "customPlaybooks", "namedCustomPlaybooks", "disabledPlaybooks", // pick → the config Secret
  "runner.imagePullSecrets", "runner.resources", "runner.podSecurityContext", "runner.securityContext", "runner.additional_env_vars",
  "runner.nodeSelector", "runner.tolerations", "runner.affinity", "runner.podAnnotations",
  "forwarder.resources", "forwarder.nodeSelector", "forwarder.tolerations", "forwarder.affinity", "forwarder.podAnnotations",
  "forwarder.image", // chosen whole with ternary
  "rbac.extraRules", "serviceAccount.annotations",
  "kube-prometheus-stack", // the dependency's values
];

/** Every path of `.Values.a.b` and `$var.a.b` (with $var := .Values.x) in the templates. */
function referencedPaths(): Set<string> {
  const paths = new Set<string>();
  for (const [, path] of templateText.matchAll(/\.Values((?:\.[A-Za-z_][\w]*)+)/g)) paths.add(path!.slice(1));
  for (const [, path] of templateText.matchAll(/index \.Values "([^"]+)"/g)) paths.add(path!);
  const aliases = [...templateText.matchAll(/\{\{-? (\$\w+) := \.Values\.([\w.]+) \}\}/g)];
  for (const [, alias, target] of aliases) {
    for (const [, rest] of templateText.matchAll(new RegExp(`\\${alias}((?:\\.[A-Za-z_]\\w*)+)`, "g"))) paths.add(`${target}${rest}`);
  }
  return paths;
}

function leaves(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([key, inner]) => leaves(inner, prefix ? `${prefix}.${key}` : key));
  }
  return [prefix];
}

function existsIn(values: unknown, path: string): boolean {
  let at: unknown = values;
  for (const part of path.split(".")) {
    if (!at || typeof at !== "object" || !(part in at)) return false;
    at = (at as Record<string, unknown>)[part];
  }
  return true;
}

describe("the Helm chart", () => {
  it("references only values that values.yaml defines", () => {
    expect([...referencedPaths()]).toEqual(expect.arrayContaining(["runner.image.repository", "runner.logLevel", "service.port", "rbac.remediationActions", "kube-prometheus-stack"]));
    const missing = [...referencedPaths()].filter((path) => !existsIn(valuesYaml, path));
    expect(missing).toEqual([]);
  });

  it("uses every value of values.yaml", () => {
    const used = referencedPaths();
    const unused = leaves(valuesYaml).filter(
      (leaf) => !PASSED_WHOLE.some((whole) => leaf === whole || leaf.startsWith(`${whole}.`)) && ![...used].some((path) => leaf === path || leaf.startsWith(`${path}.`)),
    );
    expect(unused).toEqual([]);
  });

  it("has values.yaml equal to the defaults robusta manifests starts from, and valid", () => {
    expect(valuesYaml).toEqual(DEFAULT_VALUES);
    expect(() => validateValues(valuesYaml, "values.yaml")).not.toThrow();
  });

  it("accepts the example values files and the examples' runner configurations", () => {
    const files = [
      ...readdirSync(join(chart, "examples")).map((f) => join(chart, "examples", f)),
      fileURLToPath(new URL("../../../examples/crash-loops/values.yaml", import.meta.url)),
    ];
    for (const file of files) {
      expect(() => validateValues(mergeValues(valuesYaml, YAML.parse(read(file))), file), file).not.toThrow();
    }
  });

  it("refuses a misspelt value, naming it", () => {
    expect(() => validateValues(mergeValues(valuesYaml, { runner: { imag: {} } }), "test")).toThrow(/runner.*imag/s);
    expect(() => validateValues(mergeValues(valuesYaml, { service: { port: "eighty" } }), "test")).toThrow(/service\.port/);
  });

  it("includes only templates it defines, and every one it defines (the generated RBAC rules too)", () => {
    const defined = [...templateText.matchAll(/define "([^"]+)"/g)].map((m) => m[1]);
    const included = new Set([...templateText.matchAll(/include "([^"]+)"/g)].map((m) => m[1]));
    expect(defined).toContain("robusta-ts.stateRules");
    expect([...included].filter((name) => !defined.includes(name))).toEqual([]);
    expect(defined.filter((name) => !included.has(name))).toEqual([]);
  });

  it("has its generated files up to date (npm run docs)", () => {
    for (const [path, text] of Object.entries(chartFiles())) expect(read(join(charts, path)), path).toBe(text);
  });

  it("declares kube-prometheus-stack as an optional dependency routed to the runner", () => {
    const meta = YAML.parse(read(join(chart, "Chart.yaml")));
    expect(meta.apiVersion).toBe("v2");
    // `robusta manifests` labels its objects with the same app.kubernetes.io/version as the chart.
    expect(meta.appVersion).toBe(CHART_APP_VERSION);
    expect(meta.dependencies).toContainEqual(expect.objectContaining({ name: "kube-prometheus-stack", condition: "kube-prometheus-stack.enabled" }));
    const receivers = (valuesYaml["kube-prometheus-stack"] as { alertmanager: { config: { receivers: { webhook_configs?: { url: string; send_resolved: boolean }[] }[] } } }).alertmanager.config.receivers;
    expect(receivers.flatMap((r) => r.webhook_configs ?? [])).toEqual([
      { url: "http://{{ .Release.Name }}-runner.{{ .Release.Namespace }}.svc.cluster.local/api/alerts", send_resolved: true },
    ]);
  });

  it("has NOTES.txt with the Alertmanager receiver snippet", () => {
    const notes = read(join(templates, "NOTES.txt"));
    expect(notes).toContain("svc.cluster.local");
    expect(notes).toContain("/api/alerts");
    expect(notes).toContain("send_resolved: true");
    expect(notes).toContain("group_by: ['...']");
  });
});

describe("a whole values file of this chart, given to the runner", () => {
  it("is accepted by `robusta validate` and `run --config`: the chart's own keys are reported as ignored", async () => {
    const { parseConfig } = await import("../../src/config/load-config.js");
    const { ActionRegistry, builtinActions } = await import("@robusta-ts/sdk");
    const text = read(join(chart, "values.yaml")).replace('clusterName: ""', "clusterName: prod");
    const config = parseConfig(text, "values.yaml", { actions: new ActionRegistry(builtinActions), env: {} });
    expect(config.warnings).toEqual(expect.arrayContaining(["rbac: a chart setting, ignored by the runner", "serviceAccount: a chart setting, ignored by the runner"]));
  });
});
