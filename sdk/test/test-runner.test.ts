import { describe, expect, it } from "vitest";
import { definePlaybook, file, markdown, onJobFailure, onPodCrashLoop, onPrometheusAlert } from "@robusta-ts/sdk";
import { createTestRunner, fixtures, findingMatchers, InMemoryCluster } from "@robusta-ts/sdk/testing";
import "@robusta-ts/sdk/testing/vitest";

const crashReport = definePlaybook({
  name: "crash-report",
  triggers: [onPodCrashLoop({ restartCount: 2, rateLimit: 3600 })],
  run: async (event, ctx) => {
    const pod = event.pod;
    ctx.addFinding({ title: `Crashing pod ${pod.metadata?.name}`, aggregationKey: "CrashLoop", severity: "HIGH" });
    ctx.addEnrichment([file(`${pod.metadata?.name}.log`, await ctx.cluster.logs({ namespace: pod.metadata?.namespace ?? "", name: pod.metadata?.name ?? "", container: "app" }))], { title: "Logs" });
  },
});

const alertNote = definePlaybook({
  name: "alert-note",
  triggers: [onPrometheusAlert({ status: "all" })],
  sinks: ["pager"],
  run: (event, ctx) => ctx.addEnrichment([markdown(`alert ${event.alertName} is ${event.status}`)], { title: "Note" }),
});

describe("createTestRunner", () => {
  it("runs a crash loop through the playbooks and captures the finding for the default sink", async () => {
    const cluster = new InMemoryCluster();
    const healthy = fixtures.pod({ name: "web-0", namespace: "prod" });
    const crashing = fixtures.crashLoopingPod(healthy, { restartCount: 3 });
    cluster.apply(crashing).setLogs("prod", "web-0", "app", { current: "boot\npanic\n" });
    const runner = createTestRunner({ playbooks: [crashReport], cluster });

    const findings = await runner.emit(fixtures.change("update", crashing, healthy));

    expect(findings).toContainFinding({ title: /web-0/, severity: "HIGH", enrichment: "Logs" });
    expect(findings[0]).toHaveBlock({ type: "file", filename: "web-0.log", contents: "boot\npanic\n" });
    expect(runner.sink().findings).toHaveLength(1);
    // The trigger's rate limit holds until the clock moves.
    expect(await runner.emit(fixtures.change("update", crashing, healthy))).toEqual([]);
    runner.clock.advance(3600 * 1000);
    expect(await runner.emit(fixtures.change("update", crashing, healthy))).toHaveLength(1);
  });

  it("receives Alertmanager payloads as the runner does: each alert, a re-send skipped, per sink", async () => {
    const runner = createTestRunner({ playbooks: [alertNote] });
    const firing = fixtures.alert({ name: "KubePodCrashLooping", fingerprint: "abc" });

    expect(await runner.receiveAlert(fixtures.alertmanagerPayload([firing]))).toEqual([]); // not for the default sink
    const [finding] = runner.sink("pager").findings;
    expect(finding).toHaveEnrichment("Note", [{ type: "markdown", text: "alert KubePodCrashLooping is firing" }]);

    await runner.receiveAlert(firing); // Alertmanager's re-send of the same state
    expect(runner.sink("pager").findings).toHaveLength(1);
    await runner.receiveAlert([{ ...firing, status: "resolved", endsAt: "2026-01-01T00:10:00Z" }]);
    expect(runner.sink("pager").findings.map((f) => f.status)).toEqual(["firing", "resolved"]);
  });

  it("refuses what Alertmanager would never send, saying what is wrong", async () => {
    const runner = createTestRunner({ playbooks: [alertNote] });
    await expect(runner.receiveAlert({ alerts: "none" } as never)).rejects.toThrow(/^not an Alertmanager webhook payload: .*alerts/);
  });

  it("records each playbook run, a failing one with its error, and goes on with the others", async () => {
    const failing = definePlaybook({
      name: "failing",
      triggers: [onPrometheusAlert({})],
      run: () => {
        throw new Error("no such thing");
      },
    });
    const runner = createTestRunner({ playbooks: [failing, alertNote] });
    await runner.receiveAlert(fixtures.alert({ name: "X" }));
    expect(runner.runs.map((run) => [run.playbook, run.outcome])).toEqual([
      ["failing", "failed"],
      ["alert-note", "ok"],
    ]);
    expect(runner.runs[0]!.error).toContain("no such thing");
    expect(runner.sink("pager").findings).toHaveLength(1);
  });
});

describe("fixtures for jobs and deployments", () => {
  it("build a failed Job that the job failure trigger fires on, and a running one it does not", async () => {
    const failures = definePlaybook({
      name: "job-failures",
      triggers: [onJobFailure({})],
      run: (event, ctx) => ctx.addFinding({ title: `Job ${event.job.metadata?.name} failed`, aggregationKey: "JobFailure" }),
    });
    const runner = createTestRunner({ playbooks: [failures] });
    const running = fixtures.job({ name: "report" });
    expect(await runner.emit(fixtures.change("update", running))).toEqual([]);
    expect(await runner.emit(fixtures.change("update", fixtures.job({ name: "report", state: "failed" }), running))).toContainFinding({ title: "Job report failed" });
  });

  it("build a Deployment with all its replicas available", () => {
    expect(fixtures.deployment({ name: "api", replicas: 3 })).toMatchObject({ kind: "Deployment", spec: { replicas: 3 }, status: { availableReplicas: 3 } });
  });
});

describe("finding matchers", () => {
  const finding = {
    title: "Crashing pod web-0",
    severity: "HIGH",
    status: "firing",
    aggregationKey: "CrashLoop",
    enrichments: [{ title: "Logs", annotations: {}, blocks: [{ type: "markdown", text: "hello" }] }],
  } as never;

  it("say what was expected and what the findings were", () => {
    const result = findingMatchers.toContainFinding([finding], { severity: "LOW" });
    expect(result.pass).toBe(false);
    expect(result.message()).toBe('expected a finding matching {"severity":"LOW"}; the findings were:\n  - "Crashing pod web-0" HIGH firing [CrashLoop] enrichments: "Logs"');
    expect(findingMatchers.toHaveEnrichment(finding, "Events").message()).toContain('its enrichments: "Logs"');
    expect(findingMatchers.toHaveBlock(finding, { type: "table" }).message()).toContain("its blocks: markdown");
  });

  it("match partially, with regular expressions and asymmetric matchers", () => {
    expect([finding]).toContainFinding({ title: expect.stringContaining("web"), aggregationKey: /^Crash/ });
    expect([finding]).not.toContainFinding({ title: /db-0/ });
    expect(finding).toHaveBlock({ type: "markdown", text: /hel+o/ });
  });
});
