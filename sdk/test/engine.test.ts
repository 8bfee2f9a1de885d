import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ActionRegistry,
  builtinActions,
  defineAction,
  definePlaybook,
  Engine,
  EventClasses,
  logsEnricher,
  markdown,
  onPodCrashLoop,
  onPodUpdate,
  onPrometheusAlert,
  PlaybookLoadError,
  podEventsEnricher,
  type EngineOptions,
  type PlaybookDefinition,
} from "../src/index.js";
import { alertEvent } from "../src/events/alertmanager.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";

const note = defineAction({
  name: "note",
  description: "Adds a markdown line.",
  event: EventClasses.Base,
  params: z.object({ text: z.string() }),
  run: (_event, params, ctx) => ctx.addEnrichment([markdown(params.text)]),
});

function engine(playbooks: PlaybookDefinition[], options: Partial<EngineOptions> = {}) {
  const logger = new MemoryLogger();
  const cluster = new InMemoryCluster();
  const e = new Engine({
    playbooks,
    actions: new ActionRegistry([...builtinActions, note]),
    cluster,
    logger,
    clock: new FakeClock(),
    defaultSinks: ["main"],
    ...options,
  });
  return { engine: e, logger, cluster };
}

const healthy = fixtures.pod({ name: "web-0", namespace: "demo" });
const update = () => fixtures.change("update", { ...healthy, metadata: { ...healthy.metadata, resourceVersion: "2" } }, healthy);
const texts = (result: Awaited<ReturnType<Engine["handle"]>>, sink = "main") =>
  (result.findings.get(sink) ?? []).map((f) => f.enrichments.flatMap((e) => e.blocks.map((b) => (b.type === "markdown" ? b.text : b.type))));

const say = (name: string, text: string, extra: Partial<Parameters<typeof definePlaybook>[0]> = {}) =>
  definePlaybook({ name, triggers: [onPodUpdate()], run: (_e, ctx) => ctx.addEnrichment([markdown(text)]), ...extra });

describe("the playbook loop", () => {
  it("runs matching playbooks in configured order, all adding to one finding per sink", async () => {
    const { engine: e } = engine([say("first", "one"), say("second", "two"), say("third", "three")]);
    const result = await e.handle(update());
    expect(result.runs.map((r) => r.playbook)).toEqual(["first", "second", "third"]);
    expect(texts(result)).toEqual([["one", "two", "three"]]);
    expect(result.findings.get("main")?.[0]?.title).toBe("Update to Pod web-0");
  });

  it("runs a playbook once, for its first trigger that fires", async () => {
    const seen: string[] = [];
    const pb = definePlaybook({
      name: "twice",
      triggers: [onPodUpdate({ namePrefix: "nomatch" }), onPodUpdate({ namespacePrefix: "de" }), onPodUpdate()],
      run: (event) => void seen.push(event.operation),
    });
    const result = await engine([pb]).engine.handle(update());
    expect(seen).toEqual(["update"]);
    expect(result.runs).toHaveLength(1);
  });

  it("skips playbooks whose triggers do not fire, and reports nothing for an event no playbook wants", async () => {
    const { engine: e } = engine([say("other-ns", "x", { triggers: [onPodUpdate({ namespacePrefix: "prod" })] })]);
    const result = await e.handle(update());
    expect(result.runs).toEqual([]);
    expect(result.findings.size).toBe(0);
    expect((await e.handle(alertEvent(fixtures.alert({ name: "Any" })))).runs).toEqual([]);
  });

  it("stops after a playbook marked stop", async () => {
    const result = await engine([say("a", "a", { stop: true }), say("b", "b")]).engine.handle(update());
    expect(result.runs.map((r) => r.playbook)).toEqual(["a"]);
  });

  it("stops later actions and playbooks when an action stops processing, keeping what was added before", async () => {
    const silencer = defineAction({
      name: "silencer",
      description: "Stops processing.",
      event: EventClasses.Base,
      params: z.object({}),
      run: (_e, _p, ctx) => ctx.stopProcessing(),
    });
    const pb = definePlaybook({
      name: "silenced",
      triggers: [onPodUpdate()],
      async run(event, ctx) {
        await note(event, ctx, { text: "before" });
        await silencer(event, ctx);
        const after = await note(event, ctx, { text: "after" });
        ctx.addEnrichment([markdown(after.ok ? "after ran" : `after skipped: ${after.error}`)]);
      },
    });
    const result = await engine([pb, say("later", "later")]).engine.handle(update());
    expect(texts(result)).toEqual([["before", "after skipped: processing was stopped by an earlier action"]]);
    expect(result.runs.map((r) => r.playbook)).toEqual(["silenced"]);
    expect(result.runs[0]?.actions.map((a) => [a.action, a.outcome])).toEqual([
      ["note", "ok"],
      ["silencer", "ok"],
      ["note", "skipped"],
    ]);
  });

  it("isolates a throwing playbook: it is recorded and logged, and the others still run", async () => {
    const broken = definePlaybook({ name: "broken", triggers: [onPodUpdate()], run: () => { throw new Error("boom"); } });
    const { engine: e, logger } = engine([broken, say("fine", "fine")]);
    const result = await e.handle(update());
    expect(result.runs.map((r) => [r.playbook, r.outcome, r.error])).toEqual([
      ["broken", "failed", "boom"],
      ["fine", "ok", undefined],
    ]);
    expect(texts(result)).toEqual([["fine"]]);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: "error", message: "playbook failed", fields: expect.objectContaining({ playbook: "broken", reason: "boom" }) }));
  });

  it("isolates a failing action: the playbook goes on with its next action", async () => {
    const failing = defineAction({
      name: "failing",
      description: "Throws.",
      event: EventClasses.Base,
      params: z.object({}),
      run: () => { throw new Error("cannot reach Prometheus"); },
    });
    const pb = definePlaybook({
      name: "pb",
      triggers: [onPodUpdate()],
      async run(event, ctx) {
        const outcome = await failing(event, ctx);
        expect(outcome).toEqual({ ok: false, error: "cannot reach Prometheus" });
        await note(event, ctx, { text: "still here" });
      },
    });
    const result = await engine([pb]).engine.handle(update());
    expect(texts(result)).toEqual([["still here"]]);
    expect(result.runs[0]?.actions.map((a) => a.outcome)).toEqual(["failed", "ok"]);
  });

  it("abandons an action that exceeds the action timeout, and a playbook that exceeds its own", async () => {
    const hangs = defineAction({
      name: "hangs",
      description: "Never finishes.",
      event: EventClasses.Base,
      params: z.object({}),
      run: () => new Promise<void>(() => {}),
    });
    const slowAction = definePlaybook({
      name: "slow-action",
      triggers: [onPodUpdate()],
      async run(event, ctx) {
        await hangs(event, ctx);
        ctx.addEnrichment([markdown("went on")]);
      },
    });
    const stuck = definePlaybook({
      name: "stuck",
      triggers: [onPodUpdate()],
      run: (_e, ctx) => new Promise<void>(() => setTimeout(() => ctx.addEnrichment([markdown("too late")]), 60)),
    });
    const { engine: e, logger } = engine([slowAction, stuck, say("after", "after")], { actionTimeoutMs: 20, playbookTimeoutMs: 30 });
    const result = await e.handle(update());
    expect(result.runs.map((r) => [r.playbook, r.outcome])).toEqual([
      ["slow-action", "ok"],
      ["stuck", "timed_out"],
      ["after", "ok"],
    ]);
    expect(result.runs[0]?.actions).toEqual([expect.objectContaining({ action: "hangs", outcome: "timed_out", error: "action hangs timed out after 20 ms" })]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    // What the stuck playbook added after its run ended never reaches the findings.
    expect(texts(result)).toEqual([["went on", "after"]]);
    expect(logger.entries.some((entry) => entry.message.includes("added after the playbook run ended"))).toBe(true);
  });

  it("sends a playbook's findings to its own sinks instead of the default ones", async () => {
    const result = await engine([say("default", "d"), say("paged", "p", { sinks: ["pager"] })]).engine.handle(update());
    expect([...result.findings.keys()]).toEqual(["main", "pager"]);
    expect(texts(result, "main")).toEqual([["d"]]);
    expect(texts(result, "pager")).toEqual([["p"]]);
  });

  it("gives each sink its own copy of a finding, with each enrichment once", async () => {
    const both = definePlaybook({
      name: "both",
      sinks: ["a", "b"],
      triggers: [onPodUpdate()],
      run(_e, ctx) {
        ctx.addEnrichment([markdown("one")]);
        ctx.addEnrichment([markdown("two")]);
      },
    });
    const result = await engine([both]).engine.handle(update());
    expect(texts(result, "a")).toEqual([["one", "two"]]);
    expect(texts(result, "b")).toEqual([["one", "two"]]);
    const [a, b] = [result.findings.get("a")![0]!, result.findings.get("b")![0]!];
    expect(a.id).toBe(b.id);
    expect(a).not.toBe(b);
    expect(a.enrichments[0]).not.toBe(b.enrichments[0]);
  });

  it("makes a new finding the target of later enrichments (Robusta's add_finding)", async () => {
    const pb = definePlaybook({
      name: "new-finding",
      triggers: [onPodUpdate()],
      run(_e, ctx) {
        ctx.addEnrichment([markdown("on default")]);
        ctx.addFinding({ title: "Specific", aggregationKey: "Specific", severity: "HIGH" });
        ctx.addEnrichment([markdown("on specific")]);
      },
    });
    const findings = (await engine([pb]).engine.handle(update())).findings.get("main") ?? [];
    expect(findings.map((f) => [f.title, f.enrichments.length])).toEqual([
      ["Specific", 1],
      ["Update to Pod web-0", 1],
    ]);
  });
});

describe("alerts", () => {
  it("hands alert playbooks the pod its labels name, read from the cluster once per alert", async () => {
    const seen: (string | undefined)[] = [];
    const pb = (name: string) =>
      definePlaybook({ name, triggers: [onPrometheusAlert({ alertName: "KubePodCrashLooping" })], run: (event) => void seen.push(event.pod?.status?.phase) });
    const { engine: e, cluster } = engine([pb("a"), pb("b")]);
    cluster.apply(healthy);
    let reads = 0;
    const get = cluster.get.bind(cluster);
    cluster.get = ((...args: Parameters<typeof get>) => (reads++, get(...args))) as typeof cluster.get;
    await e.handle(alertEvent(fixtures.alert({ name: "KubePodCrashLooping", labels: { namespace: "demo", pod: "web-0" } })));
    expect(seen).toEqual(["Running", "Running"]);
    expect(reads).toBe(1);
  });

  it("resolves the node of an `instance` IP:PORT label by its address", async () => {
    let node: string | undefined;
    const pb = definePlaybook({ name: "n", triggers: [onPrometheusAlert()], run: (event) => void (node = event.node?.metadata?.name) });
    const { engine: e, cluster } = engine([pb]);
    cluster.apply({ apiVersion: "v1", kind: "Node", metadata: { name: "node-7" }, status: { addresses: [{ type: "InternalIP", address: "10.1.2.3" }] } });
    await e.handle(alertEvent(fixtures.alert({ name: "HostHighCpuLoad", labels: { instance: "10.1.2.3:9100", job: "node-exporter" } })));
    expect(node).toBe("node-7");
  });

  it("still runs the playbooks when reading an object the alert names fails, and logs why", async () => {
    const pb = definePlaybook({
      name: "enrich",
      triggers: [onPrometheusAlert()],
      async run(event, ctx) {
        await logsEnricher(event, ctx, { warnOnMissingLabel: true });
      },
    });
    const { engine: e, cluster, logger } = engine([pb]);
    cluster.failOn("get", new Error("apiserver unavailable"));
    const result = await e.handle(alertEvent(fixtures.alert({ name: "X", labels: { namespace: "demo", pod: "web-0" } })));
    expect(texts(result)).toEqual([["Cannot fetch logs: this event names no pod."]]);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: "warn", fields: expect.objectContaining({ reason: "apiserver unavailable" }) }));
  });
});

describe("playbooks configured by name (YAML)", () => {
  const yaml = (actions: PlaybookDefinition["data"]["actions"], triggers = [{ name: "on_pod_crash_loop", params: {} }]): PlaybookDefinition => ({
    data: { name: "from-yaml", triggers, actions },
  });

  it("runs the named actions in order with their parameters", async () => {
    const { engine: e, cluster } = engine([yaml([{ note: { text: "first" } }, { logs_enricher: { previous: true } }, { note: { text: "last" } }])]);
    const crashing = fixtures.crashLoopingPod(healthy);
    cluster.apply(crashing).setLogs("demo", "web-0", "app", { previous: "panic\n" });
    const result = await e.handle(fixtures.change("update", crashing, healthy));
    expect(texts(result)).toEqual([["first", "file", "last"]]);
  });

  it("refuses to load, naming playbook, trigger and action, when an action cannot take the trigger's event", () => {
    const nodeOnly = defineAction({ name: "node_only", description: "Needs a node.", event: EventClasses.Node, params: z.object({}), run() {} });
    expect(() =>
      new Engine({
        playbooks: [yaml([{ node_only: {} }])],
        actions: new ActionRegistry([nodeOnly]),
        cluster: new InMemoryCluster(),
        logger: new MemoryLogger(),
        clock: new FakeClock(),
        defaultSinks: [],
      }),
    ).toThrow("playbook from-yaml, actions[0].node_only: action node_only needs a NodeEvent, but trigger on_pod_crash_loop (triggers[0]) gives a PodChangeEvent");
  });

  it("lists every load problem at once, each with where it is", () => {
    try {
      engine([
        yaml([{ no_such_action: {} }, { note: { txt: "typo" } }], [
          { name: "on_pod_crash_loops", params: {} },
          { name: "on_pod_crash_loop", params: { restart_count: "three" } },
        ]),
      ]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PlaybookLoadError);
      expect((error as PlaybookLoadError).problems).toEqual([
        'playbook from-yaml, triggers[0].on_pod_crash_loops: unknown trigger "on_pod_crash_loops"',
        "playbook from-yaml, triggers[1].on_pod_crash_loop.restart_count: Invalid input: expected number, received string",
        'playbook from-yaml, actions[0].no_such_action: unknown action "no_such_action"',
        "playbook from-yaml, actions[1].note.text: Invalid input: expected string, received undefined",
        'playbook from-yaml, actions[1].note: Unrecognized key: "txt"',
      ]);
    }
  });

  it("refuses two playbooks with one name", () => {
    expect(() => engine([say("same", "a"), say("same", "b")])).toThrow("playbook same: two playbooks have this name");
  });

  it("knows which kinds its triggers need watched", () => {
    const alertOnly = definePlaybook({ name: "alert", triggers: [onPrometheusAlert()], run() {} });
    expect(engine([alertOnly]).engine.watchedKinds).toEqual([]);
    expect(engine([alertOnly, definePlaybook({ name: "pods", triggers: [onPodCrashLoop()], run() {} })]).engine.watchedKinds).toEqual(["Pod"]);
  });
});

describe("a pod event enriched end to end", () => {
  it("adds the events table of the pod to the default finding", async () => {
    const pb = definePlaybook({ name: "events", triggers: [onPodUpdate()], run: (event, ctx) => podEventsEnricher(event, ctx) });
    const { engine: e, cluster } = engine([pb]);
    cluster.addEvents(fixtures.warningEvent(healthy, "Unhealthy", "Readiness probe failed"));
    const [finding] = (await e.handle(update())).findings.get("main") ?? [];
    expect(finding?.enrichments[0]).toMatchObject({ title: "Pod events", enrichmentType: "k8s_events" });
  });
});
