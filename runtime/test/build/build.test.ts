/**
 * `robusta build` as a user runs it: a playbook project type-checked and bundled into
 * dist/runner.mjs, which then runs on its own, from a directory with no node_modules, as the
 * `robusta` CLI with the project's playbooks built in. Builds take seconds: one per describe.
 */
import { createRequire } from "node:module";
import { cp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildManifestSchema, type BuildManifest } from "../../src/toolchain/build/manifest.js";
import { bareCopy, exampleProject, makeProject, node, robusta, root, type Ran } from "./support.js";

const BUILD_TIMEOUT = 120_000;
const cleanup: string[] = [];
afterAll(async () => {
  await Promise.all(cleanup.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function manifestOf(outdir: string): Promise<BuildManifest> {
  return buildManifestSchema.parse(JSON.parse(await readFile(join(outdir, "manifest.json"), "utf8")));
}

describe("building examples/crash-loops", () => {
  let project: string;
  let built: Ran;
  let bare: string;

  beforeAll(async () => {
    project = await exampleProject("crash-loops");
    cleanup.push(project);
    built = await robusta(["build"], project);
    if (built.code === 0) {
      bare = await bareCopy(join(project, "dist"));
      cleanup.push(bare);
      await cp(join(root, "examples/crash-loops/values.yaml"), join(bare, "values.yaml"));
    }
  }, BUILD_TIMEOUT);

  it("type-checks, bundles into dist/ and says what it built", async () => {
    expect(built.stderr).toBe("");
    expect(built.code).toBe(0);
    expect(built.stdout).toContain("Type-checked (TypeScript");
    expect(built.stdout).toMatch(/Built dist\/runner\.mjs \(\d+\.\d MB; source map dist\/runner\.mjs\.map/);
    expect(built.stdout).toContain("playbooks: CrashLoops.crashLooping (on_pod_crash_loop), CrashLoops.oomKilled (on_pod_oom_killed)");
    expect(built.stdout).toContain("Wrote dist/manifest.json");
    for (const file of ["runner.mjs", "runner.mjs.map", "manifest.json"]) expect((await stat(join(project, "dist", file))).size).toBeGreaterThan(0);
  });

  it("writes a manifest of the playbooks, what they watch and the RBAC rules they need", async () => {
    const manifest = await manifestOf(join(project, "dist"));
    expect(manifest.entries).toEqual(["playbooks/index.ts"]);
    expect(manifest.runner).toMatchObject({ file: "runner.mjs", sourceMap: "runner.mjs.map" });
    expect(manifest.playbooks).toEqual([
      { name: "CrashLoops.crashLooping", triggers: [{ name: "on_pod_crash_loop", params: { restart_count: 2 } }] },
      { name: "CrashLoops.oomKilled", triggers: [{ name: "on_pod_oom_killed", params: {} }] },
    ]);
    expect(manifest.watchedKinds).toEqual(["Pod"]);
    expect(manifest.rbac.rules).toContainEqual({ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] });
    expect(manifest.rbac.rules).toContainEqual({ apiGroups: [""], resources: ["pods/log"], verbs: ["get"] });
    // Read-only: these playbooks change nothing.
    expect(manifest.rbac.rules.flatMap((rule) => rule.verbs).filter((verb) => !["get", "list", "watch"].includes(verb))).toEqual([]);
  });

  it("runs from a directory without node_modules: validate sees the built-in playbooks", async () => {
    expect(() => createRequire(join(bare, "x.js")).resolve("zod")).toThrow();
    const run = await node(["--enable-source-maps", "runner.mjs", "validate", "values.yaml"], bare);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^values\.yaml is valid: \d+ playbooks \(.*CrashLoops\.crashLooping, CrashLoops\.oomKilled.*\), 1 sink \(console\)/);
  });

  it("is the robusta CLI: help, and the commands that compile TypeScript say where to run them", async () => {
    const help = await node(["runner.mjs", "help"], bare);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: robusta <command>");
    const dev = await node(["runner.mjs", "dev"], bare);
    expect(dev.code).toBe(1);
    expect(dev.stderr).toContain("robusta dev is not part of a built runner: run it in the playbook project (npx robusta dev)");
  });

  it("loads every sink's library: a configuration with Slack, Teams, Kafka, mail, webhook and PagerDuty sinks validates", async () => {
    await writeFile(
      join(bare, "sinks.yaml"),
      [
        "clusterName: test-cluster",
        "sinksConfig:",
        "  - slack_sink: { name: slack, api_key: '{{ env.SLACK_API_KEY }}', slack_channel: alerts }",
        "  - ms_teams_sink: { name: teams, webhook_url: '{{ env.TEAMS_WEBHOOK_URL }}' }",
        "  - kafka_sink: { name: kafka, kafka_url: 'kafka:9092', topic: robusta-findings }",
        "  - mail_sink: { name: mail, mailto: 'mailtos://user:{{ env.MAIL_PASSWORD }}@smtp.example.com?from=robusta@example.com&to=oncall@example.com' }",
        "  - webhook_sink: { name: webhook, url: 'https://hooks.example.com/robusta' }",
        "  - pagerduty_sink: { name: pagerduty, api_key: '{{ env.PAGERDUTY_KEY }}' }",
        "",
      ].join("\n"),
    );
    const env = {
      ...process.env,
      SLACK_API_KEY: "xoxb-0000-test",
      TEAMS_WEBHOOK_URL: "https://teams.example.com/webhook",
      MAIL_PASSWORD: "secret",
      PAGERDUTY_KEY: "0123456789abcdef0123456789abcdef",
    };
    const run = await node(["runner.mjs", "validate", "sinks.yaml"], bare, env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("6 sinks (slack, teams, kafka, mail, webhook, pagerduty)");
  });

  it(
    "runs the demo scenario with its built-in playbooks",
    async () => {
      const run = await node(["runner.mjs", "demo"], bare);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("Crashing pod");
      expect(run.stdout).toMatch(/\d+ findings? from 4 steps/);
    },
    BUILD_TIMEOUT,
  );
});

describe("building examples/alert-enrichment, whose entry package.json names", () => {
  let project: string;
  let built: Ran;

  beforeAll(async () => {
    project = await makeProject(
      { "package.json": JSON.stringify({ name: "alerts", private: true, type: "module", robusta: { playbooks: "src/alerts.ts" } }) },
      "robusta-build-alerts-",
    );
    cleanup.push(project);
    await cp(join(root, "examples/alert-enrichment/playbooks/index.ts"), join(project, "src/alerts.ts"));
    built = await robusta(["build", project, "--no-typecheck", "--outdir", join(project, "out")], root);
  }, BUILD_TIMEOUT);

  it("bundles that entry, keeping the order of its playbooks array", async () => {
    expect(built.stderr).toBe("");
    expect(built.code).toBe(0);
    expect(built.stdout).not.toContain("Type-checked");
    const manifest = await manifestOf(join(project, "out"));
    expect(manifest.entries).toEqual(["src/alerts.ts"]);
    expect(manifest.playbooks.map((p) => p.name)).toEqual(["KubePodCrashLooping", "DefaultAlertLabels"]);
    expect(manifest.playbooks[0]?.triggers).toEqual([{ name: "on_prometheus_alert", params: { alert_name: "KubePodCrashLooping", status: "all" } }]);
  });
});

describe("a project with its own action", () => {
  let project: string;
  let built: Ran;

  beforeAll(async () => {
    project = await makeProject({
      "playbooks/index.ts": [
        'import { z } from "zod";',
        'import { defineAction, definePlaybook, EventClasses, onDeploymentUpdate } from "@robusta-ts/sdk";',
        "",
        "/** Scales a deployment down to zero. */",
        "export const scaleToZero = defineAction({",
        '  name: "scale_to_zero",',
        '  description: "Scales the deployment to zero replicas.",',
        "  event: EventClasses.Deployment,",
        '  params: z.object({ reason: z.string().describe("why, for the audit log"), dry_run: z.boolean().default(false) }),',
        '  permissions: [{ apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["patch"] }],',
        "  run() {},",
        "});",
        "",
        "export const watchRollouts = definePlaybook({",
        '  name: "WatchRollouts",',
        '  triggers: [onDeploymentUpdate({ namespacePrefix: "prod" })],',
        "  async run(event, ctx) {",
        '    await scaleToZero(event, ctx, { reason: "rollout" });',
        "  },",
        "});",
        "",
      ].join("\n"),
    });
    cleanup.push(project);
    built = await robusta(["build"], project);
  }, BUILD_TIMEOUT);

  it("lists the action with its parameters' JSON schema and its write permissions", async () => {
    expect(built.stderr).toBe("");
    expect(built.code).toBe(0);
    expect(built.stdout).toContain("actions:   scale_to_zero");
    expect(built.stdout).toContain("write actions: scale_to_zero");
    const manifest = await manifestOf(join(project, "dist"));
    expect(manifest.actions).toEqual([
      {
        name: "scale_to_zero",
        description: "Scales the deployment to zero replicas.",
        event: "DeploymentEvent",
        params: expect.objectContaining({
          type: "object",
          properties: { reason: { type: "string", description: "why, for the audit log" }, dry_run: { type: "boolean", default: false } },
          required: ["reason"],
        }),
        permissions: [{ apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["patch"] }],
      },
    ]);
    expect(manifest.watchedKinds).toEqual(["Deployment"]);
    expect(manifest.rbac.writeActions).toEqual(["scale_to_zero"]);
    expect(manifest.rbac.rules).toContainEqual({ apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "watch"] });
  });

  it("prints the chart's objects with its own action's writes granted, as robusta manifests does with the module", async () => {
    const run = await node(
      ["runner.mjs", "manifests", "--set", "clusterName=test", "--set", "runner.image.repository=registry.example/runner", "--set", "rbac.remediationActions={scale_to_zero}"],
      await bareCopy(join(project, "dist")),
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/resources:\n\s*- deployments\/scale\n\s*verbs:\n\s*- patch/);
  });
});

describe("what stops a build", () => {
  it(
    "a type error: tsc's diagnostic is printed and nothing is written",
    async () => {
      const project = await makeProject({
        "playbooks/index.ts": [
          'import { definePlaybook, onPodCrashLoop } from "@robusta-ts/sdk";',
          "export const broken = definePlaybook({",
          '  name: "Broken",',
          "  triggers: [onPodCrashLoop()],",
          "  run(event) {",
          "    const restarts: number = event.pod.metadata?.name;",
          "    return restarts;",
          "  },",
          "});",
          "",
        ].join("\n"),
      });
      cleanup.push(project);
      const run = await robusta(["build"], project);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/playbooks\/index\.ts\(6,11\): error TS2322: Type 'string \| undefined' is not assignable to type 'number'/);
      expect(run.stderr).toContain("robusta build: type errors (tsc -p tsconfig.json): fix them, or build anyway with --no-typecheck");
      await expect(stat(join(project, "dist/runner.mjs"))).rejects.toThrow();
    },
    BUILD_TIMEOUT,
  );

  it(
    "imports of test code from production code, each named with the file that imports it",
    async () => {
      const project = await makeProject({
        "playbooks/index.ts": [
          'import { definePlaybook, onPodCrashLoop } from "@robusta-ts/sdk";',
          'import { crashing } from "./util.js";',
          'import { sample } from "./sample.test.js";',
          "export const p = definePlaybook({ name: \"P\", triggers: [onPodCrashLoop()], run() { return [crashing, sample]; } });",
          "",
        ].join("\n"),
        "playbooks/util.ts": ['import { fixtures } from "@robusta-ts/sdk/testing";', 'import { expect } from "vitest";', "export const crashing = [fixtures, expect];", ""].join("\n"),
        "playbooks/sample.test.ts": "export const sample = 1;\n",
      });
      cleanup.push(project);
      const run = await robusta(["build", "--no-typecheck"], project);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        "playbooks/util.ts imports @robusta-ts/sdk/testing: the test harness is for tests only; move this code to test/ or import from @robusta-ts/sdk",
      );
      expect(run.stderr).toContain("playbooks/util.ts imports vitest: vitest is for tests only; move this code to test/");
      expect(run.stderr).toContain("playbooks/index.ts imports ./sample.test.js: test files are not part of the runner");
      await expect(stat(join(project, "dist/runner.mjs"))).rejects.toThrow();
    },
    BUILD_TIMEOUT,
  );

  it("legacy decorators, and a missing entry", async () => {
    const legacy = await makeProject({
      "tsconfig.json": JSON.stringify({ compilerOptions: { experimentalDecorators: true } }),
      "playbooks/index.ts": "export {};\n",
    });
    const empty = await makeProject({});
    cleanup.push(legacy, empty);
    const refused = await robusta(["build"], legacy);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('enables "experimentalDecorators". Robusta playbooks use standard decorators');
    const missing = await robusta(["build", "--no-typecheck"], empty);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("robusta build: the playbook entry playbooks/index.ts (the default; set another with --entry or package.json's robusta.playbooks) does not exist");
  });
});
