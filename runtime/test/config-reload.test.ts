import { mkdtemp, readFile, rename, rm, symlink, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { ActionRegistry, builtinActions, type Finding } from "@robusta-ts/sdk";
import { fixtures, InMemoryCluster, MemoryLogger } from "@robusta-ts/sdk/testing";
import { waitFor } from "../../test/support/wait-for.js";
import { validate } from "../src/cli/validate.js";
import { ConfigReloader, setupOf, SinkSet } from "../src/config/config-reloader.js";
import { FileWatcher } from "../src/config/file-watcher.js";
import { parseConfig, type ConfigContext } from "../src/config/load-config.js";
import { Runtime } from "../src/runtime.js";

const context: ConfigContext = { actions: new ActionRegistry(builtinActions), env: {} };

/** Only the playbook under test: the built-in lists are emptied. */
const config = (playbooks: string, sinks = "  - file_sink: {name: out, file_name: FILE}") => `
priorityBuiltinPlaybooks: []
builtinPlaybooks: []
sinksConfig:
${sinks}
customPlaybooks:
${playbooks}
`;

const crashLoopReport = `
  - name: crash-report
    triggers: [{on_pod_crash_loop: {rate_limit: 0}}]
    actions: [{pod_events_enricher: {}}]
`;
const podUpdates = `
  - name: every-update
    triggers: [{on_pod_update: {}}]
    actions: [{pod_events_enricher: {}}]
`;

let dir: string;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function started(text: string) {
  dir = await mkdtemp(join(tmpdir(), "robusta-reload-"));
  const findingsFile = join(dir, "findings.jsonl");
  const withFile = (t: string) => t.replaceAll("FILE", findingsFile);
  const cluster = new InMemoryCluster();
  const crashing = fixtures.crashLoopingPod();
  const quiet = fixtures.pod({ name: "quiet" });
  cluster.apply(crashing, quiet);
  cluster.addEvents(
    fixtures.warningEvent(crashing, "BackOff", "Back-off restarting failed container"),
    fixtures.warningEvent(quiet, "Unhealthy", "Readiness probe failed"),
  );
  const logger = new MemoryLogger();
  const sinks = new SinkSet(() => ({ clusterName: "test", logger: new MemoryLogger() }));
  const first = parseConfig(withFile(text), "values.yaml", context);
  const built = sinks.build(first.sinks);
  built.commit();
  const runtime = new Runtime({ ...setupOf(first, context, built.sinks), cluster, logger, options: { host: "127.0.0.1", port: 0 } });
  const reloader = new ConfigReloader({ file: "values.yaml", context, runtime, sinks, logger, metrics: runtime.metrics });
  const findings = async (): Promise<Finding[]> =>
    (await readFile(findingsFile, "utf8").catch(() => "")).split("\n").filter(Boolean).map((line) => JSON.parse(line) as Finding);
  const crashEvent = () => fixtures.change("update", crashing, fixtures.pod());
  const quietEvent = () => fixtures.change("update", quiet, quiet);
  return { runtime, reloader, logger, findings, crashEvent, quietEvent, withFile };
}

describe("reloading the configuration", () => {
  it("switches to a valid new configuration", async () => {
    const { runtime, reloader, findings, crashEvent, quietEvent, withFile } = await started(config(crashLoopReport));
    runtime.submit(crashEvent(), quietEvent());
    await runtime.idle();
    expect(await findings()).toHaveLength(1);

    expect(await reloader.apply(withFile(config(podUpdates)))).toBe(true);
    expect(runtime.engine.playbookNames).toEqual(["every-update"]);
    runtime.submit(crashEvent(), quietEvent());
    await runtime.idle();
    // The new playbook fires on both updates; the crash-loop one no longer runs.
    expect(await findings()).toHaveLength(3);
    expect(await runtime.metrics.registry.getSingleMetricAsString("robusta_config_reloads_total")).toContain('result="ok"} 1');
    await runtime.close();
  });

  it("keeps the last good configuration running when the new one is invalid, and says why", async () => {
    const { runtime, reloader, logger, findings, crashEvent, withFile } = await started(config(crashLoopReport));
    const broken = config(`
  - name: crash-report
    triggers: [{on_pod_crash_loop: {restart_count: several}}]
    actions: [{pod_events_enricher: {}}]
`);
    expect(await reloader.apply(withFile(broken))).toBe(false);
    const refusal = logger.entries.find((e) => e.message.startsWith("configuration change refused"));
    expect(refusal?.fields.problems).toEqual([
      "values.yaml:9 customPlaybooks[0].triggers[0].on_pod_crash_loop.restart_count: Invalid input: expected number, received string",
    ]);
    expect(await runtime.metrics.registry.getSingleMetricAsString("robusta_config_last_reload_successful")).toMatch(/ 0$/m);

    runtime.submit(crashEvent());
    await runtime.idle();
    expect(runtime.engine.playbookNames).toEqual(["crash-report"]);
    expect(await findings()).toHaveLength(1);
    await runtime.close();
  });

  it("keeps an unchanged sink and closes one the new configuration dropped", async () => {
    const closed: string[] = [];
    const sinks = new SinkSet(() => ({ clusterName: "test", logger: new MemoryLogger() }));
    const a = parseConfig(config(podUpdates, "  - console_sink: {name: one}\n  - console_sink: {name: two, default: false}"), "v", context);
    const first = sinks.build(a.sinks);
    first.commit();
    for (const sink of first.sinks) Object.assign(sink, { close: async () => void closed.push(sink.name) });
    const b = parseConfig(config(podUpdates, "  - console_sink: {name: one}"), "v", context);
    const second = sinks.build(b.sinks);
    expect(second.sinks[0]).toBe(first.sinks[0]);

    const runtime = new Runtime({ ...setupOf(a, context, first.sinks), cluster: new InMemoryCluster(), logger: new MemoryLogger() });
    runtime.reload(setupOf(b, context, second.sinks));
    await waitFor("the dropped sink to close", () => closed.includes("two"));
    expect(closed).toEqual(["two"]);
  });
});

describe("watching the configuration file", () => {
  it("reloads when a mounted Secret's content is swapped in, once per real change", async () => {
    // Kubernetes mounts a Secret as <dir>/values.yaml -> ..data/values.yaml, and updates it by
    // pointing ..data at a new directory.
    dir = await mkdtemp(join(tmpdir(), "robusta-watch-"));
    await mkdir(join(dir, "..v1"));
    await writeFile(join(dir, "..v1", "values.yaml"), "clusterName: one\n");
    await symlink("..v1", join(dir, "..data"));
    await symlink(join("..data", "values.yaml"), join(dir, "values.yaml"));
    const seen: string[] = [];
    const watcher = new FileWatcher({ file: join(dir, "values.yaml"), debounceMs: 20, logger: new MemoryLogger(), onChange: (text) => void seen.push(text) });
    watcher.start("clusterName: one\n");

    await mkdir(join(dir, "..v2"));
    await writeFile(join(dir, "..v2", "values.yaml"), "clusterName: two\n");
    await symlink("..v2", join(dir, "..data_tmp"));
    await rename(join(dir, "..data_tmp"), join(dir, "..data"));
    await waitFor("the change", () => seen.length > 0);
    expect(seen).toEqual(["clusterName: two\n"]);

    await watcher.stop();
  });

  it("reloads a plain file edited in place, but not when its content stays the same", async () => {
    dir = await mkdtemp(join(tmpdir(), "robusta-watch-"));
    const file = join(dir, "values.yaml");
    await writeFile(file, "clusterName: one\n");
    const seen: string[] = [];
    const watcher = new FileWatcher({ file, debounceMs: 20, logger: new MemoryLogger(), onChange: (text) => void seen.push(text) });
    watcher.start("clusterName: one\n");
    await writeFile(file, "clusterName: one\n");
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for a wrong reload to happen
    await writeFile(file, "clusterName: two\n");
    await waitFor("the change", () => seen.length > 0);
    await watcher.stop();
    expect(seen).toEqual(["clusterName: two\n"]);
  });
});

describe("robusta validate", () => {
  const run = async (text: string) => {
    dir = await mkdtemp(join(tmpdir(), "robusta-validate-"));
    const file = join(dir, "values.yaml");
    await writeFile(file, text);
    const out = new PassThrough();
    const err = new PassThrough();
    const code = await validate({ file, modules: [], out, err });
    const read = (stream: PassThrough) => (stream.read() as Buffer | null)?.toString().replaceAll(file, "values.yaml") ?? "";
    return { code, out: read(out), err: read(err) };
  };

  it("prints every problem with its line and path, and exits 1", async () => {
    const result = await run("customPlaybooks:\n  - triggers: [{on_pod_crash_loop: {restart_count: x}}]\n    actions: [{logs_enricher: {previous: maybe}}]\nsinksConfg: []\n");
    expect(result.code).toBe(1);
    expect(result.err.split("\n")).toEqual([
      "values.yaml:4 sinksConfg: unknown setting",
      "values.yaml:2 customPlaybooks[0].triggers[0].on_pod_crash_loop.restart_count: Invalid input: expected number, received string",
      "values.yaml:3 customPlaybooks[0].actions[0].logs_enricher.previous: Invalid input: expected boolean, received string",
      "values.yaml: 3 problems",
      "",
    ]);
  });

  it("accepts the example repository's configuration with its playbook module", async () => {
    const example = fileURLToPath(new URL("../../examples/crash-loops/", import.meta.url));
    const out = new PassThrough();
    const code = await validate({ file: join(example, "values.yaml"), modules: [join(example, "playbooks")], out, err: new PassThrough() });
    expect(code).toBe(0);
    const said = String(out.read());
    expect(said).toContain("CrashLoops.crashLooping");
    expect(said).not.toContain("CrashLoopBackOff,");
  });

  it("says what will run, and exits 0", async () => {
    const result = await run("clusterName: prod\nkubewatch: {}\nbuiltinPlaybooks: []\npriorityBuiltinPlaybooks: []\n");
    expect(result).toEqual({
      code: 0,
      out: "values.yaml is valid: 0 playbooks (), 1 sink (console)\n",
      err: "warning: values.yaml: kubewatch: a chart setting, ignored by the runner\n",
    });
  });
});
