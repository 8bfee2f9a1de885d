import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ActionRegistry,
  builtinActions,
  defineAction,
  Engine,
  EventClasses,
  ManualTriggerError,
  markdown,
  type ManualRunRequest,
} from "../src/index.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";

const echoKind = defineAction({
  name: "echo_kind",
  description: "Says what it runs on.",
  event: EventClasses.Resource,
  params: z.object({}),
  run: (event, _p, ctx) => ctx.addEnrichment([markdown(`${event.obj?.kind} ${event.obj?.metadata?.name}`)]),
});
const onPodChange = defineAction({ name: "on_pod_change_only", description: "Needs a change.", event: EventClasses.PodChange, params: z.object({}), run: () => undefined });
const namedRestart = defineAction({
  name: "named_restart",
  description: "Declares name itself.",
  event: EventClasses.Base,
  params: z.object({ name: z.string(), namespace: z.string().default("default") }),
  run: (_e, p, ctx) => ctx.addEnrichment([markdown(`restart ${p.namespace}/${p.name}`)]),
});
const failing = defineAction({
  name: "always_fails",
  description: "Fails after adding a note.",
  event: EventClasses.Base,
  params: z.object({}),
  run: (_e, _p, ctx) => {
    ctx.addEnrichment([markdown("partial report")]);
    throw new Error("the API said no");
  },
});

function engine(cluster = new InMemoryCluster()) {
  return new Engine({
    playbooks: [],
    actions: new ActionRegistry([...builtinActions, echoKind, onPodChange, namedRestart, failing]),
    cluster,
    logger: new MemoryLogger(),
    clock: new FakeClock(),
    defaultSinks: ["main"],
  });
}

async function refusal(request: ManualRunRequest, cluster?: InMemoryCluster): Promise<ManualTriggerError> {
  const error = await engine(cluster).runAction(request).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ManualTriggerError);
  return error as ManualTriggerError;
}

describe("Engine.runAction (manual triggering)", () => {
  const pod = fixtures.crashLoopingPod(fixtures.pod({ name: "web-0", namespace: "prod" }));

  it("reads the named pod and runs a pod action on it; its finding is about that pod", async () => {
    const cluster = new InMemoryCluster().apply(pod).setLogs("prod", "web-0", "app", { current: "line 1\nline 2\n" });
    const result = await engine(cluster).runAction({ action: "logs_enricher", params: { name: "web-0", namespace: "prod", tail_lines: 1 } });
    expect(result.run.outcome).toBe("ok");
    const [finding] = result.findings.get("main")!;
    expect(finding).toMatchObject({ source: "MANUAL", subject: { name: "web-0", namespace: "prod", subjectType: "pod" } });
    expect(finding!.enrichments[0]).toMatchObject({ title: "Logs", blocks: [{ type: "file", filename: "web-0.log", contents: "line 2\n" }] });
  });

  it("sends findings to the sinks asked for", async () => {
    const result = await engine().runAction({ action: "named_restart", params: { name: "api" }, sinks: ["ops", "audit"] });
    expect([...result.findings.keys()]).toEqual(["ops", "audit"]);
  });

  it("runs resource actions on any kind named by kind, name and namespace", async () => {
    const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api", namespace: "prod" } };
    const result = await engine(new InMemoryCluster().apply(deployment)).runAction({ action: "echo_kind", params: { kind: "Deployment", name: "api", namespace: "prod" } });
    expect(result.findings.get("main")![0]!.enrichments[0]!.blocks).toEqual([markdown("Deployment api")]);
  });

  it("passes name and namespace on to an action that declares them", async () => {
    const result = await engine().runAction({ action: "named_restart", params: { name: "api", namespace: "prod" } });
    expect(result.findings.get("main")![0]!.enrichments[0]!.blocks).toEqual([markdown("restart prod/api")]);
  });

  it("refuses an unknown action, listing the known ones", async () => {
    const error = await refusal({ action: "logs_enrichr" });
    expect(error.code).toBe("ACTION_NOT_FOUND");
    expect(error.message).toContain('unknown action "logs_enrichr"');
    expect(error.message).toContain("logs_enricher");
  });

  it("refuses bad parameters, naming each, before reading the cluster", async () => {
    const cluster = new InMemoryCluster().apply(pod).failOn("get", new Error("must not be called"));
    const error = await refusal({ action: "logs_enricher", params: { name: "web-0", namespace: "prod", tail_lines: "ten", colour: "red" } }, cluster);
    expect(error.code).toBe("INVALID_PARAMS");
    expect(error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["tail_lines", "(params)"]));
    expect(error.message).toMatch(/colour/);
  });

  it("refuses a missing name, and an object that does not exist", async () => {
    expect((await refusal({ action: "logs_enricher", params: { namespace: "prod" } })).issues).toEqual([{ path: "name", message: "required: the Pod to run on" }]);
    const missing = await refusal({ action: "logs_enricher", params: { name: "web-9", namespace: "prod" } });
    expect([missing.code, missing.message]).toEqual(["RESOURCE_NOT_FOUND", "Pod prod/web-9 not found"]);
    expect((await refusal({ action: "echo_kind", params: { name: "api" } })).issues[0]!.path).toBe("kind");
  });

  it("refuses actions that need a change, an alert or a schedule", async () => {
    const error = await refusal({ action: "on_pod_change_only", params: { name: "web-0", namespace: "prod" } });
    expect(error.code).toBe("NOT_MANUALLY_TRIGGERABLE");
    expect((await refusal({ action: "default_enricher" })).code).toBe("NOT_MANUALLY_TRIGGERABLE");
  });

  it("reports a failing action with its error, keeping what it added before failing", async () => {
    const result = await engine().runAction({ action: "always_fails" });
    expect(result.run).toMatchObject({ outcome: "failed", error: "the API said no" });
    expect(result.findings.get("main")![0]!.enrichments[0]!.blocks).toEqual([markdown("partial report")]);
  });
});
