import { afterEach, describe, expect, it } from "vitest";
import { defineAction, EventClasses, markdown } from "@robusta-ts/sdk";
import { InMemoryCluster, fixtures } from "@robusta-ts/sdk/testing";
import { z } from "zod";
import { parseAssignments, trigger } from "../src/cli/trigger.js";
import type { Runtime } from "../src/runtime.js";
import { CapturingSink, json, testRuntime } from "./helpers.js";

const pod = fixtures.crashLoopingPod(fixtures.pod({ name: "web-0", namespace: "prod" }));
const cluster = () => new InMemoryCluster().apply(pod).setLogs("prod", "web-0", "app", { current: "booting\npanic: nil map\n" });

async function post(runtime: Runtime, body: unknown) {
  const response = await runtime.app.request("/api/trigger", json(body));
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe("POST /api/trigger", () => {
  it("runs the action on the named pod, delivers its finding, and answers with it when asked", async () => {
    const { runtime, sink } = testRuntime({ cluster: cluster() });
    const { status, body } = await post(runtime, { action_name: "logs_enricher", action_params: { name: "web-0", namespace: "prod" }, sync_response: true });
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, action: "logs_enricher", outcome: "ok", sinks: ["capture"] });
    expect(body.findings).toHaveLength(1);
    expect(body.findings[0]).toMatchObject({ source: "MANUAL", subject: { name: "web-0", namespace: "prod", kind: "pod" } });
    expect(body.findings[0].enrichments[0].blocks[0]).toMatchObject({ type: "file", filename: "web-0.log", contents: "booting\npanic: nil map\n" });
    expect(sink.findings.map((f) => f.id)).toEqual([body.findings[0].id]);
  });

  it("answers only {success} without sync_response, and sends nowhere with no_sinks", async () => {
    const { runtime, sink } = testRuntime({ cluster: cluster() });
    const quiet = await post(runtime, { action_name: "logs_enricher", action_params: { name: "web-0", namespace: "prod" } });
    expect(quiet.body).toEqual({ success: true, action: "logs_enricher", outcome: "ok", sinks: ["capture"] });
    const dry = await post(runtime, { action_name: "logs_enricher", action_params: { name: "web-0", namespace: "prod" }, no_sinks: true, sync_response: true });
    expect(dry.body.sinks).toEqual([]);
    expect(dry.body.findings).toHaveLength(1);
    expect(sink.findings).toHaveLength(1);
  });

  it("sends to the sinks named, and refuses unknown ones", async () => {
    const other = new CapturingSink("audit", false);
    const { runtime, sink } = testRuntime({ cluster: cluster(), sinks: [new CapturingSink(), other] });
    expect((await post(runtime, { action_name: "logs_enricher", action_params: { name: "web-0", namespace: "prod" }, sinks: ["audit"] })).status).toBe(200);
    expect([sink.findings.length, other.findings.length]).toEqual([0, 1]);
    const refused = await post(runtime, { action_name: "logs_enricher", action_params: { name: "web-0", namespace: "prod" }, sinks: ["slack"] });
    expect(refused).toEqual({ status: 400, body: { success: false, error_code: "UNKNOWN_SINK", msg: "unknown sink slack; configured: capture, audit" } });
  });

  it("answers 4xx naming the problem: unknown action, bad parameters, missing object, bad body", async () => {
    const { runtime, sink } = testRuntime({ cluster: cluster() });
    const unknown = await post(runtime, { action_name: "logz_enricher" });
    expect([unknown.status, unknown.body.error_code]).toEqual([404, "ACTION_NOT_FOUND"]);
    const bad = await post(runtime, { action_name: "logs_enricher", action_params: { name: "web-0", namespace: "prod", previous: "yes" } });
    expect([bad.status, bad.body.error_code]).toEqual([400, "INVALID_PARAMS"]);
    expect(bad.body.issues).toEqual([{ path: "previous", message: expect.stringContaining("boolean") }]);
    const missing = await post(runtime, { action_name: "logs_enricher", action_params: { name: "web-9", namespace: "prod" } });
    expect(missing).toEqual({ status: 404, body: { success: false, error_code: "RESOURCE_NOT_FOUND", msg: "Pod prod/web-9 not found" } });
    const body = await post(runtime, { action: "logs_enricher" });
    expect([body.status, body.body.msg]).toEqual([400, expect.stringContaining("action_name")]);
    expect(sink.findings).toEqual([]);
  });

  it("answers 500 with the action's error when it fails, still delivering what it added", async () => {
    const halfDone = defineAction({
      name: "half_done",
      description: "Reports, then fails.",
      event: EventClasses.Base,
      params: z.object({}),
      run(_event, _params, ctx) {
        ctx.addEnrichment([markdown("evicted 2 of 3 pods")]);
        throw new Error("eviction of web-2 refused by a PodDisruptionBudget");
      },
    });
    const { runtime, sink } = testRuntime({ cluster: cluster(), actions: [halfDone] });
    const failed = await post(runtime, { action_name: "half_done" });
    expect(failed).toEqual({
      status: 500,
      body: { success: false, error_code: "ACTION_FAILED", msg: "eviction of web-2 refused by a PodDisruptionBudget", action: "half_done", outcome: "failed", sinks: ["capture"] },
    });
    expect(sink.findings[0]!.enrichments[0]!.blocks).toEqual([markdown("evicted 2 of 3 pods")]);
  });

  it("answers 500 naming the cause when the object cannot be read", async () => {
    const { runtime } = testRuntime({ cluster: cluster().failOn("get", new Error('pods "web-0" is forbidden: User "robusta" cannot get resource "pods"')) });
    const failed = await post(runtime, { action_name: "logs_enricher", action_params: { name: "web-0", namespace: "prod" } });
    expect(failed).toEqual({
      status: 500,
      body: { success: false, error_code: "ACTION_FAILED", msg: 'could not run logs_enricher: pods "web-0" is forbidden: User "robusta" cannot get resource "pods"' },
    });
    expect(await runtime.metrics.registry.getSingleMetricAsString("robusta_intake_events_total")).toContain('endpoint="trigger",result="failed"} 1');
  });

  it("bounds what the action attaches by the runner's limits", async () => {
    const long = Array.from({ length: 400 }, (_, i) => `line ${i}`).join("\n") + "\n";
    const { runtime } = testRuntime({ cluster: new InMemoryCluster().apply(pod).setLogs("prod", "web-0", "app", { current: long }), options: { maxFileKb: 1 } });
    const { body } = await post(runtime, { action_name: "logs_enricher", action_params: { name: "web-0", namespace: "prod" }, sync_response: true });
    const log = body.findings[0].enrichments[0].blocks[0];
    expect(Buffer.byteLength(log.contents)).toBeLessThanOrEqual(1024);
    expect(log.contents.endsWith("line 399\n")).toBe(true);
    expect(log.truncated).toMatch(/cut to keep the last 1 KB/);
  });

  it("counts manual runs with the other action runs", async () => {
    const { runtime } = testRuntime({ cluster: cluster() });
    await post(runtime, { action_name: "logs_enricher", action_params: { name: "web-0", namespace: "prod" } });
    expect(await runtime.metrics.registry.getSingleMetricAsString("robusta_action_runs_total")).toContain('action="logs_enricher",outcome="ok"} 1');
  });
});

describe("robusta trigger", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });

  it("reads key=value arguments as YAML values", () => {
    expect(parseAssignments(["name=web-0", "tail_lines=50", "previous=true", 'id="0042"', "included_types=[Warning, Normal]", "empty="])).toEqual({
      name: "web-0",
      tail_lines: 50,
      previous: true,
      id: "0042",
      included_types: ["Warning", "Normal"],
      empty: "",
    });
    expect(() => parseAssignments(["tail_lines"])).toThrow('"tail_lines" is not key=value');
  });

  it("runs an action on a runner and prints its findings", async () => {
    const started = testRuntime({ cluster: cluster() });
    runtime = started.runtime;
    const { url } = await runtime.listen();
    let printed = "";
    const code = await trigger({ action: "logs_enricher", assignments: ["name=web-0", "namespace=prod", "tail_lines=1"], url, noSinks: true, json: false }, (text) => (printed += text));
    expect(code).toBe(0);
    expect(printed).toContain("logs_enricher: done; 1 finding sent nowhere");
    expect(printed).toContain("panic: nil map");
    expect(printed).not.toContain("booting");
    expect(started.sink.findings).toEqual([]);
  });

  it("prints why a run was refused and exits 1", async () => {
    runtime = testRuntime({ cluster: cluster() }).runtime;
    const { url } = await runtime.listen();
    let printed = "";
    const code = await trigger({ action: "logs_enricher", assignments: ["name=web-0", "namespace=prod", "tail_lines=many"], url, noSinks: false, json: false }, (text) => (printed += text));
    expect(code).toBe(1);
    expect(printed).toMatch(/^logs_enricher: Invalid parameters for action logs_enricher/);
    expect(printed).toContain("  tail_lines: ");
  });

  it("says when the runner cannot be reached", async () => {
    await expect(trigger({ action: "logs_enricher", assignments: [], url: "http://127.0.0.1:9", noSinks: false, json: false })).rejects.toThrow(
      /cannot reach the runner at http:\/\/127\.0\.0\.1:9/,
    );
  });
});
