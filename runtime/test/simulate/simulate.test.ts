import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { simulate } from "../../src/cli/simulate.js";
import { UsageError } from "../../src/cli/usage-error.js";
import { alertPlaybook, tempPlaybooks, titleHelper, type TempPlaybooks } from "../dev/temp-playbooks.js";

const examples = fileURLToPath(new URL("../../../examples", import.meta.url));
const example = (name: string, ...rest: string[]) => join(examples, name, ...rest);

function capture() {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: "", err: "" };
  out.on("data", (chunk) => (text.out += chunk));
  err.on("data", (chunk) => (text.err += chunk));
  return { io: { out, err }, text };
}

async function run(...args: string[]) {
  const { io, text } = capture();
  const code = await simulate(args, io);
  return { code, ...text };
}

let temp: TempPlaybooks | undefined;
afterEach(async () => {
  await temp?.remove();
  temp = undefined;
});

describe("robusta simulate", () => {
  it("replays an object change (YAML) and prints the finding with what the enrichers read from the fixture", async () => {
    const { code, out, err } = await run(example("crash-loops", "fixtures", "crash-loop.yaml"), example("crash-loops", "playbooks"));
    expect(code).toBe(0);
    expect(out).toMatch(/Crashing pod api-7f9c6d8b5-abcde in namespace prod[\s\S]*CrashLoopBackOff {2}Error \(exit code 1\)/);
    expect(out).toContain("FATAL cannot read /etc/api/config.yaml");
    expect(out).toMatch(/Warning {2}BackOff/);
    expect(err).toContain("1 change event replayed: ran CrashLoops.crashLooping; 1 finding.");
  });

  it("replays a kubewatch CloudEvent as the runner's /api/handle takes it", async () => {
    const { code, out } = await run(example("crash-loops", "fixtures", "oom-kill.kubewatch.json"), example("crash-loops", "playbooks"));
    expect(code).toBe(0);
    expect(out).toMatch(/Pod cart-6c9d5f8b7-q4m8z in namespace shop OOMKilled results[\s\S]*cart {7}256Mi/);
    expect(out).toContain("WARN heap at 250Mi of 256Mi");
  });

  it("reads a list of CloudEvents, as a batching forwarder posts them, and redacts Secrets as the watch does", async () => {
    const oom = JSON.parse(await readFile(example("crash-loops", "fixtures", "oom-kill.kubewatch.json"), "utf8")) as Record<string, unknown>;
    temp = await tempPlaybooks({
      "batch.json": JSON.stringify([oom]),
      "secret.yaml": "operation: create\nobj: {apiVersion: v1, kind: Secret, metadata: {name: db, namespace: prod}, data: {password: aHVudGVyMg==}}\n",
      "index.ts": `import { definePlaybook, markdown, onKubernetesAnyResourceCreate } from "@robusta-ts/sdk";
export const show = definePlaybook({ name: "Show", triggers: [onKubernetesAnyResourceCreate({})], run(event, ctx) {
  ctx.addFinding({ title: "created " + event.obj.metadata?.name, aggregationKey: "show" });
  ctx.addEnrichment([markdown(JSON.stringify(event.obj))]);
} });
`,
    });
    const batch = await run(join(temp.dir, "batch.json"), example("crash-loops", "playbooks"));
    expect(batch.code).toBe(0);
    expect(batch.out).toContain("OOMKilled results");
    const secret = await run(join(temp.dir, "secret.yaml"), temp.dir);
    expect(secret.code).toBe(0);
    expect(secret.out).toContain("created db");
    expect(secret.out).toContain("[redacted]");
    expect(secret.out).not.toContain("aHVudGVyMg==");
  });

  it("replays an Alertmanager payload through the configuration's built-in and custom playbooks", async () => {
    const { code, out, err } = await run(
      example("crash-loops", "fixtures", "crash-looping-alert.json"),
      example("crash-loops", "playbooks"),
      "--config",
      example("crash-loops", "values.yaml"),
    );
    expect(code).toBe(0);
    expect(out).toMatch(/Pod demo\/web-0 is crash looping[\s\S]*ERROR migration 0042_add_index failed[\s\S]*Alert labels/);
    expect(err).toMatch(/ran .*KubePodCrashLooping, DefaultPrometheusAlertEnricher; 1 finding/);
  });

  it("names the sinks each finding is for when the configuration has several, sending to none", async () => {
    temp = await tempPlaybooks({
      "values.yaml": [
        "clusterName: laptop",
        "sinksConfig:",
        "  - webhook_sink: {name: hook, url: 'http://127.0.0.1:9/never-called'}",
        "  - console_sink: {name: console}",
        "",
      ].join("\n"),
    });
    const { code, out } = await run(example("alert-enrichment", "fixtures", "crash-looping-alert.json"), example("alert-enrichment", "playbooks"), "--config", join(temp.dir, "values.yaml"));
    expect(code).toBe(0);
    expect(out).toMatch(/^→ hook, console\n.*Pod demo\/web-0 is crash looping/m);
  });

  it("prints findings as JSON lines with --json", async () => {
    const { code, out } = await run(example("alert-enrichment", "fixtures", "crash-looping-resolved.json"), example("alert-enrichment", "playbooks"), "--json");
    expect(code).toBe(0);
    const lines = out.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ title: "[RESOLVED] Pod demo/web-1 is crash looping", status: "resolved", fingerprint: "868de90d7e7323d9" });
    expect(JSON.stringify(lines[0])).toContain("no longer crash-looping");
  });

  it("says which shapes it takes when the fixture is none of them", async () => {
    temp = await tempPlaybooks({ "odd.yaml": "kind: Pod\nmetadata: {name: x}\n" });
    const { code, err } = await run(join(temp.dir, "odd.yaml"), example("alert-enrichment", "playbooks"));
    expect(code).toBe(1);
    expect(err).toContain("odd.yaml: expected an Alertmanager webhook body (with `alerts`)");
    expect(err).toContain("found the keys kind, metadata");
  });

  it("names the field that is wrong in an Alertmanager payload", async () => {
    temp = await tempPlaybooks({ "bad.json": JSON.stringify({ alerts: [{ status: "burning", labels: {}, annotations: {}, startsAt: "2026-01-01T00:00:00Z" }] }) });
    const { code, err } = await run(join(temp.dir, "bad.json"), example("alert-enrichment", "playbooks"));
    expect(code).toBe(1);
    expect(err).toMatch(/bad\.json: not a valid Alertmanager webhook body: at alerts\[0\]\.status: /);
  });

  it("exits 1 and says why when a playbook fails, still printing the other findings", async () => {
    temp = await tempPlaybooks({ "index.ts": alertPlaybook("throw"), "title.ts": titleHelper("") });
    // The failing playbook, and the example's playbooks, which report the same alert.
    const { code, out, err } = await run(example("alert-enrichment", "fixtures", "crash-looping-alert.json"), temp.dir, example("alert-enrichment", "playbooks"));
    expect(code).toBe(1);
    expect(err).toContain("robusta: playbook Report (on_prometheus_alert) failed: the playbook broke");
    expect(out).toContain("KubePodCrashLooping");
  });

  it("refuses to run without a fixture or without playbooks", async () => {
    await expect(simulate([])).rejects.toThrow(UsageError);
    await expect(simulate([example("crash-loops", "fixtures", "crash-loop.yaml")])).rejects.toThrow(/name at least one playbook module/);
  });

  it("says when the fixture file cannot be read", async () => {
    temp = await tempPlaybooks({});
    await writeFile(join(temp.dir, "empty.yaml"), "");
    const missing = simulate([join(temp.dir, "missing.json"), example("alert-enrichment", "playbooks")]);
    await expect(missing).rejects.toThrow(/cannot read the fixture .*missing\.json: ENOENT/);
    const { code, err } = await run(join(temp.dir, "empty.yaml"), example("alert-enrichment", "playbooks"));
    expect(code).toBe(1);
    expect(err).toContain("got an empty file");
  });
});
