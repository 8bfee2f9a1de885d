import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ActionParamsError,
  ActionRegistry,
  EventClasses,
  builtinActions,
  collectActions,
  defineAction,
  eventRow,
  isAction,
  logsEnricher,
  parseActionParams,
  podEventsEnricher,
  type CoreEvent,
  type FileBlock,
  type MarkdownBlock,
  type Pod,
  type PodEvent,
  type TableBlock,
} from "../src/index.js";
import { InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";
import { TestContext } from "./support/test-context.js";

const podEvent = (pod?: Pod): PodEvent => ({ source: "manual", id: "event-1", pod });

describe("defineAction", () => {
  /** An action that records the parameters it ran with. */
  function recorder() {
    const seen: Record<string, unknown>[] = [];
    const action = defineAction({
      name: "record_params",
      description: "Records its parameters.",
      event: EventClasses.Base,
      params: z.object({
        max_lines: z.number().int().positive().default(100),
        container_name: z.string().optional(),
        cluster_name: z.string().optional(),
      }),
      run(_event, params) {
        seen.push({ ...params });
      },
    });
    return { action, seen };
  }

  it("passes camelCase parameters to run in snake_case, with the defaults filled in", async () => {
    const { action, seen } = recorder();
    const outcome = await action(podEvent(), new TestContext(), { containerName: "app" });
    expect(outcome).toEqual({ ok: true });
    expect(seen).toEqual([{ max_lines: 100, container_name: "app" }]);
  });

  it("exposes its name and definition", () => {
    const { action } = recorder();
    expect(action.actionName).toBe("record_params");
    expect(isAction(action)).toBe(true);
    expect(isAction(() => undefined)).toBe(false);
  });

  it("reports an invalid parameter, naming the action and the parameter", () => {
    const { action } = recorder();
    const parse = () => parseActionParams(action.definition, { max_lines: "ten" });
    expect(parse).toThrow(ActionParamsError);
    expect(parse).toThrow(/record_params/);
    expect(parse).toThrow(/max_lines/);
  });

  it("reports an unknown parameter, naming it", () => {
    const { action } = recorder();
    const parse = () => parseActionParams(action.definition, { max_line: 5 });
    expect(parse).toThrow(ActionParamsError);
    expect(parse).toThrow(/max_line/);
  });

  it("rejects a direct call with bad parameters, without running", async () => {
    const { action, seen } = recorder();
    // @ts-expect-error: maxLines is a number.
    await expect(action(podEvent(), new TestContext(), { maxLines: "ten" })).rejects.toThrow(ActionParamsError);
    // @ts-expect-error: maxLine is not a parameter.
    await expect(action(podEvent(), new TestContext(), { maxLine: 5 })).rejects.toThrow(/max_line/);
    expect(seen).toEqual([]);
  });

  it("merges in the globalConfig keys it declares, and only those", async () => {
    const { action, seen } = recorder();
    const ctx = new TestContext(new InMemoryCluster(), { cluster_name: "prod-eu", prometheus_url: "http://prom:9090" });
    await action(podEvent(), ctx);
    expect(seen).toEqual([{ max_lines: 100, cluster_name: "prod-eu" }]);
  });

  it("lets explicit parameters win over globalConfig", () => {
    const { action } = recorder();
    const parsed = parseActionParams(action.definition, { cluster_name: "explicit" }, { cluster_name: "global" });
    expect(parsed.cluster_name).toBe("explicit");
  });

  it("requires a snake_case name", () => {
    const define = (name: string) => () =>
      defineAction({ name, description: "", event: EventClasses.Base, params: z.object({}), run: () => undefined });
    expect(define("logsEnricher")).toThrow(/snake_case/);
    expect(define("logs-enricher")).toThrow(/snake_case/);
    expect(define("1st_action")).toThrow(/snake_case/);
    expect(define("logs_enricher_2")).not.toThrow();
  });
});

describe("ActionRegistry and collectActions", () => {
  const make = (name: string) =>
    defineAction({ name, description: "", event: EventClasses.Base, params: z.object({}), run: () => undefined });

  it("finds actions by name and lists the names sorted", () => {
    const zeta = make("zeta");
    const alpha = make("alpha");
    const registry = new ActionRegistry([zeta, alpha]);
    expect(registry.get("alpha")).toBe(alpha);
    expect(registry.get("missing")).toBeUndefined();
    expect(registry.names()).toEqual(["alpha", "zeta"]);
  });

  it("refuses two different actions with one name, but accepts the same one twice", () => {
    const first = make("twin");
    const registry = new ActionRegistry([first]);
    expect(() => registry.register(first)).not.toThrow();
    expect(() => registry.register(make("twin"))).toThrow(/twin/);
    expect(registry.get("twin")).toBe(first);
  });

  it("collects the actions among a module's exports, arrays included", () => {
    const a = make("a");
    const b = make("b");
    const c = make("c");
    const module = { a, list: [b, [c]], notAnAction: () => 1, value: 42 };
    expect(collectActions(module)).toEqual([a, b, c]);
  });

  it("ships the built-in actions by their Robusta names", () => {
    expect(new ActionRegistry(builtinActions).names()).toEqual(expect.arrayContaining(["logs_enricher", "pod_events_enricher", "report_crash_loop", "default_enricher"]));
  });
});

describe("logs_enricher", () => {
  const NS = "prod";
  const NAME = "api-1";

  function setup(pod: Pod = fixtures.pod({ name: NAME, namespace: NS })) {
    const cluster = new InMemoryCluster().apply(pod);
    const ctx = new TestContext(cluster);
    const run = async (params?: Parameters<typeof logsEnricher>[2], event: PodEvent = podEvent(pod)) => {
      await logsEnricher(event, ctx, params);
      return ctx;
    };
    return { cluster, ctx, run, pod };
  }

  const onlyFile = (ctx: TestContext): FileBlock => {
    expect(ctx.blocks).toHaveLength(1);
    const [block] = ctx.blocks;
    expect(block?.type).toBe("file");
    return block as FileBlock;
  };

  const onlyMarkdown = (ctx: TestContext): MarkdownBlock => {
    expect(ctx.blocks).toHaveLength(1);
    const [block] = ctx.blocks;
    expect(block?.type).toBe("markdown");
    return block as MarkdownBlock;
  };

  it("attaches the current log as <pod>.log, titled Logs, of type text_file", async () => {
    const { cluster, run } = setup();
    cluster.setLogs(NS, NAME, "app", { current: "started\nserving\n", previous: "crashed\n" });
    const ctx = await run();
    expect(onlyFile(ctx)).toMatchObject({ filename: "api-1.log", contents: "started\nserving\n", encoding: "utf8" });
    expect(ctx.enrichments[0]?.options).toMatchObject({ title: "Logs", enrichmentType: "text_file" });
  });

  it("attaches the previous instance's log with previous", async () => {
    const { cluster, run } = setup();
    cluster.setLogs(NS, NAME, "app", { current: "started\n", previous: "panic: nil map\n" });
    expect(onlyFile(await run({ previous: true })).contents).toBe("panic: nil map\n");
  });

  it("picks the crashing container among several by default", async () => {
    const base = fixtures.pod({ name: NAME, namespace: NS, containers: ["sidecar", "app"] });
    const { cluster, run } = setup(fixtures.crashLoopingPod(base, { container: "app" }));
    cluster.setLogs(NS, NAME, "sidecar", { current: "sidecar log\n" });
    cluster.setLogs(NS, NAME, "app", { current: "app log\n" });
    expect(onlyFile(await run()).contents).toBe("app log\n");
  });

  it("picks the first container when none is in trouble", async () => {
    const { cluster, run } = setup(fixtures.pod({ name: NAME, namespace: NS, containers: ["main", "sidecar"] }));
    cluster.setLogs(NS, NAME, "main", { current: "main log\n" });
    cluster.setLogs(NS, NAME, "sidecar", { current: "sidecar log\n" });
    expect(onlyFile(await run()).contents).toBe("main log\n");
  });

  it("does not take a completed init container for one in trouble", async () => {
    const base = fixtures.pod({ name: NAME, namespace: NS, containers: ["main"] });
    const withInit: Pod = {
      ...base,
      spec: { ...base.spec!, initContainers: [{ name: "migrate", image: "migrate:1" }] },
      status: {
        ...base.status,
        initContainerStatuses: [
          { name: "migrate", image: "migrate:1", imageID: "", ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } },
        ],
      },
    };
    const { cluster, run } = setup(withInit);
    cluster.setLogs(NS, NAME, "migrate", { current: "migrated\n" });
    cluster.setLogs(NS, NAME, "main", { current: "main log\n" });
    expect(onlyFile(await run()).contents).toBe("main log\n");
  });

  it("picks a crash-looping init container over main containers waiting for it", async () => {
    const base = fixtures.pod({ name: NAME, namespace: NS, containers: ["main"] });
    const blocked: Pod = {
      ...base,
      spec: { ...base.spec!, initContainers: [{ name: "migrate", image: "migrate:1" }] },
      status: {
        phase: "Pending",
        containerStatuses: [
          { name: "main", image: "app:1", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "PodInitializing" } } },
        ],
        initContainerStatuses: [
          { name: "migrate", image: "migrate:1", imageID: "", ready: false, restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } } },
        ],
      },
    };
    const { cluster, run } = setup(blocked);
    cluster.setLogs(NS, NAME, "migrate", { current: "migration failed\n" });
    cluster.setLogs(NS, NAME, "main", { current: "" });
    expect(onlyFile(await run()).contents).toBe("migration failed\n");
  });

  it("uses containerName when given", async () => {
    const base = fixtures.pod({ name: NAME, namespace: NS, containers: ["sidecar", "app"] });
    const { cluster, run } = setup(fixtures.crashLoopingPod(base, { container: "app" }));
    cluster.setLogs(NS, NAME, "sidecar", { current: "sidecar log\n" });
    cluster.setLogs(NS, NAME, "app", { current: "app log\n" });
    expect(onlyFile(await run({ containerName: "sidecar" })).contents).toBe("sidecar log\n");
  });

  it("keeps only the last tailLines lines", async () => {
    const { cluster, run } = setup();
    cluster.setLogs(NS, NAME, "app", { current: "one\ntwo\nthree\nfour\n" });
    expect(onlyFile(await run({ tailLines: 2 })).contents).toBe("three\nfour\n");
  });

  it("refuses an invalid regular expression before fetching anything", () => {
    expect(() => parseActionParams(logsEnricher.definition, { filter_regex: "([a-z" })).toThrow(/filter_regex: must be a valid regular expression/);
    expect(() => parseActionParams(logsEnricher.definition, { regex_replacer_patterns: [{ name: "x", regex: "*" }] })).toThrow(
      /regex_replacer_patterns\.0\.regex: must be a valid regular expression/,
    );
  });

  it("keeps only the lines matching filterRegex", async () => {
    const { cluster, run } = setup();
    cluster.setLogs(NS, NAME, "app", { current: "INFO start\nERROR db down\nINFO retry\nERROR gave up" });
    expect(onlyFile(await run({ filterRegex: "^ERROR" })).contents).toBe("ERROR db down\nERROR gave up");
  });

  it("redacts with asterisks of the same length by default", async () => {
    const { cluster, run } = setup();
    cluster.setLogs(NS, NAME, "app", { current: "login token=tok_a1b2c3 ok\nagain tok_zz\n" });
    const file = onlyFile(await run({ regexReplacerPatterns: [{ name: "token", regex: "tok_[a-z0-9]+" }] }));
    expect(file.contents).toBe(`login token=${"*".repeat("tok_a1b2c3".length)} ok\nagain ${"*".repeat("tok_zz".length)}\n`);
    expect(file.contents).not.toContain("tok_");
  });

  it("redacts with the pattern's name in NAMED style", async () => {
    const { cluster, run } = setup();
    cluster.setLogs(NS, NAME, "app", { current: "user=alice@example.com token=tok_a1b2c3\n" });
    const file = onlyFile(
      await run({
        regexReplacerPatterns: [
          { name: "token", regex: "tok_[a-z0-9]+" },
          { name: "email", regex: "[a-z]+@[a-z.]+" },
        ],
        regexReplacementStyle: "NAMED",
      }),
    );
    expect(file.contents).toBe("user=[email] token=[token]\n");
  });

  it("keeps the end of a long log, cut at a line, and says what was cut", async () => {
    const { cluster, run } = setup();
    const lines = Array.from({ length: 200 }, (_, i) => `line ${String(i).padStart(3, "0")} ${"x".repeat(40)}`);
    const log = lines.join("\n") + "\n";
    cluster.setLogs(NS, NAME, "app", { current: log });

    const file = onlyFile(await run({ maxLogFileLimitKb: 1 }));

    expect(Buffer.byteLength(file.contents)).toBeLessThanOrEqual(1024);
    expect(log.endsWith(file.contents)).toBe(true);
    expect(file.contents.endsWith(`${lines.at(-1)}\n`)).toBe(true);
    expect(lines).toContain(file.contents.split("\n")[0]); // starts with a whole line
    const cutBytes = Buffer.byteLength(log) - Buffer.byteLength(file.contents);
    expect(file.truncated).toContain(String(cutBytes));
  });

  it("keeps the end of a last line longer than the limit rather than attaching an empty file", async () => {
    const { cluster, run } = setup();
    const longLine = `{"msg":"${"y".repeat(3000)}"}`;
    cluster.setLogs(NS, NAME, "app", { current: `starting\n${longLine}\n` });

    const file = onlyFile(await run({ maxLogFileLimitKb: 1 }));

    expect(file.contents.trim()).not.toBe("");
    expect(`${longLine}\n`.endsWith(file.contents)).toBe(true);
    expect(file.truncated).toBeDefined();
  });

  it("does not mark a log that fits as truncated", async () => {
    const { cluster, run } = setup();
    cluster.setLogs(NS, NAME, "app", { current: "short\n" });
    expect(onlyFile(await run()).truncated).toBeUndefined();
  });

  it("adds a note instead of a file when the log is empty", async () => {
    const { cluster, run } = setup();
    cluster.setLogs(NS, NAME, "app", { current: "" });
    expect(onlyMarkdown(await run()).text).toMatch(/empty/);
  });

  it("adds a note when the filter leaves nothing", async () => {
    const { cluster, run } = setup();
    cluster.setLogs(NS, NAME, "app", { current: "INFO only\n" });
    expect(onlyMarkdown(await run({ filterRegex: "ERROR" })).text).toMatch(/empty/);
  });

  it("does nothing when the event carries no pod", async () => {
    const { run } = setup();
    const ctx = await run({}, podEvent());
    expect(ctx.enrichments).toEqual([]);
  });

  it("says so when the event carries no pod and warnOnMissingLabel is set", async () => {
    const { run } = setup();
    const ctx = await run({ warnOnMissingLabel: true }, podEvent());
    expect(onlyMarkdown(ctx).text).toMatch(/no pod/);
  });

  it("adds a note with the reason and logs a warning when the cluster fails", async () => {
    const { cluster, ctx, run } = setup();
    cluster.failOn("logs", new Error("connection refused"));
    await run();
    expect(onlyMarkdown(ctx).text).toContain("connection refused");
    const warnings = (ctx.logger as MemoryLogger).entries.filter((entry) => entry.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toContain("connection refused");
  });

  it("adds a note when the previous instance has no log", async () => {
    const { cluster, run } = setup();
    cluster.setLogs(NS, NAME, "app", { current: "started\n" });
    expect(onlyMarkdown(await run({ previous: true })).text).toMatch(/Could not fetch/);
  });
});

describe("pod_events_enricher", () => {
  const target = fixtures.pod({ name: "api-1", namespace: "prod" });
  const other = fixtures.pod({ name: "api-2", namespace: "prod" });
  const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, "0")}Z`;
  const warning = (reason: string, second: number) => fixtures.warningEvent(target, reason, `${reason} happened`, { time: at(second) });
  const normal = (reason: string, second: number) => ({ ...warning(reason, second), type: "Normal" });

  async function enrich(events: Parameters<InMemoryCluster["addEvents"]>, params?: Parameters<typeof podEventsEnricher>[2]) {
    const cluster = new InMemoryCluster().apply(target).addEvents(...events);
    const ctx = new TestContext(cluster);
    await podEventsEnricher(podEvent(target), ctx, params);
    return ctx;
  }

  const onlyTable = (ctx: TestContext): TableBlock => {
    expect(ctx.blocks).toHaveLength(1);
    expect(ctx.blocks[0]?.type).toBe("table");
    return ctx.blocks[0] as TableBlock;
  };
  const reasons = (table: TableBlock) => table.rows.map((row) => row[table.headers.indexOf("reason")]);

  it("lists the pod's events, oldest first and newest last", async () => {
    const ctx = await enrich([warning("Second", 20), warning("First", 10), warning("Third", 30)]);
    expect(reasons(onlyTable(ctx))).toEqual(["First", "Second", "Third"]);
    expect(ctx.enrichments[0]?.options).toMatchObject({ enrichmentType: "k8s_events" });
  });

  it("shows only events about this pod", async () => {
    const ctx = await enrich([warning("Mine", 10), fixtures.warningEvent(other, "Theirs", "not mine", { time: at(11) })]);
    expect(reasons(onlyTable(ctx))).toEqual(["Mine"]);
  });

  it("orders by instant when timestamps come with different precisions", async () => {
    const precise = { ...warning("Later", 10), eventTime: "2026-01-01T00:00:10.900000Z" };
    const coarse = { ...warning("Earlier", 10), eventTime: "2026-01-01T00:00:10.1Z" };
    expect(reasons(onlyTable(await enrich([precise, coarse])))).toEqual(["Earlier", "Later"]);
  });

  it("keeps the most recent maxEvents", async () => {
    const events = [1, 2, 3, 4, 5].map((n) => warning(`E${n}`, n));
    expect(reasons(onlyTable(await enrich(events, { maxEvents: 2 })))).toEqual(["E4", "E5"]);
  });

  it("filters by includedTypes", async () => {
    const events = [normal("Pulled", 1), warning("BackOff", 2), normal("Started", 3)];
    expect(reasons(onlyTable(await enrich(events, { includedTypes: ["Warning"] })))).toEqual(["BackOff"]);
    expect(reasons(onlyTable(await enrich(events)))).toEqual(["Pulled", "BackOff", "Started"]);
  });

  it("renders core/v1 and events.k8s.io/v1 events alike", async () => {
    const core: CoreEvent = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "api-1.core", namespace: "prod" },
      involvedObject: { kind: "Pod", name: "api-1", namespace: "prod" },
      type: "Warning",
      reason: "BackOff",
      message: "Back-off restarting failed container",
      firstTimestamp: at(1),
      lastTimestamp: at(40),
      count: 7,
    };
    const v1 = fixtures.warningEvent(target, "Unhealthy", "Liveness probe failed", { time: at(20) });

    expect(eventRow(core)).toEqual({ type: "Warning", reason: "BackOff", message: "Back-off restarting failed container", time: at(40), count: 7 });
    expect(eventRow(v1)).toMatchObject({ type: "Warning", reason: "Unhealthy", message: "Liveness probe failed", count: 1 });

    const table = onlyTable(await enrich([core, v1]));
    const message = table.headers.indexOf("message");
    expect(reasons(table)).toEqual(["Unhealthy", "BackOff"]);
    expect(table.rows[0]?.[message]).toBe("Liveness probe failed");
    expect(String(table.rows[1]?.[message])).toContain("Back-off restarting failed container");
    expect(String(table.rows[1]?.[message])).toContain("7");
  });

  it("prefers the series' last observation for a repeated events.k8s.io/v1 event", () => {
    const repeated = { ...warning("BackOff", 1), series: { count: 12, lastObservedTime: "2026-01-01T00:05:00.000000Z" } };
    expect(eventRow(repeated)).toMatchObject({ time: "2026-01-01T00:05:00.000000Z", count: 12 });
  });

  it("adds nothing when the pod has no events", async () => {
    expect((await enrich([])).enrichments).toEqual([]);
    expect((await enrich([warning("Pulled", 1)], { includedTypes: ["Normal"] })).enrichments).toEqual([]);
  });

  it("adds nothing when the event carries no pod", async () => {
    const ctx = new TestContext(new InMemoryCluster().addEvents(warning("BackOff", 1)));
    await podEventsEnricher(podEvent(), ctx);
    expect(ctx.enrichments).toEqual([]);
  });
});
