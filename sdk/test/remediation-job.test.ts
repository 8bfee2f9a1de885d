import { describe, expect, it } from "vitest";
import { alertHandlingJob, type FileBlock, type Job, type MarkdownBlock } from "../src/index.js";
import { alertEvent } from "../src/events/alertmanager.js";
import { InMemoryCluster, fixtures } from "../src/testing/index.js";
import { JobCluster } from "./support/remediation-fixtures.js";
import { TestContext } from "./support/test-context.js";

const highCpu = () =>
  alertEvent(fixtures.alert({ name: "HighCPU", labels: { pod: "web-0", namespace: "shop", node: "node-1", team: "core" } }));

const createdJobs = async (cluster: InMemoryCluster) => (await cluster.list("Job")) as Job[];

describe("alert_handling_job", () => {
  it("creates a Job named after the alert, with the alert as environment variables", async () => {
    const cluster = new InMemoryCluster();
    await alertHandlingJob(highCpu(), new TestContext(cluster), {
      image: "busybox:1.36",
      command: ["sh", "-c", "echo $ALERT_NAME"],
      env: [{ name: "MODE", value: "fix" }],
      waitForCompletion: false,
      serviceAccount: "fixer",
      backoffLimit: 1,
      activeDeadlineSeconds: 600,
    });
    const [job] = await createdJobs(cluster);
    expect(job?.metadata?.name).toMatch(/^highcpu-[0-9a-f]{6}$/);
    expect(cluster.writes).toEqual([{ verb: "create", kind: "Job", name: job?.metadata?.name, namespace: "default" }]);
    expect(job).toMatchObject({
      apiVersion: "batch/v1",
      metadata: { namespace: "default" },
      spec: {
        backoffLimit: 1,
        activeDeadlineSeconds: 600,
        ttlSecondsAfterFinished: 120,
        template: { spec: { restartPolicy: "OnFailure", serviceAccountName: "fixer" } },
      },
    });
    const container = job?.spec?.template.spec?.containers[0];
    expect(container).toMatchObject({ name: "highcpu", image: "busybox:1.36", command: ["sh", "-c", "echo $ALERT_NAME"] });
    expect(container?.env).toEqual([
      { name: "ALERT_NAME", value: "HighCPU" },
      { name: "ALERT_STATUS", value: "firing" },
      { name: "ALERT_OBJ_KIND", value: "pod" },
      { name: "ALERT_OBJ_NAME", value: "web-0" },
      { name: "ALERT_OBJ_NAMESPACE", value: "shop" },
      { name: "ALERT_OBJ_NODE", value: "node-1" },
      { name: "MODE", value: "fix" },
      { name: "ALERT_LABEL_ALERTNAME", value: "HighCPU" },
      { name: "ALERT_LABEL_SEVERITY", value: "warning" },
      { name: "ALERT_LABEL_POD", value: "web-0" },
      { name: "ALERT_LABEL_NAMESPACE", value: "shop" },
      { name: "ALERT_LABEL_NODE", value: "node-1" },
      { name: "ALERT_LABEL_TEAM", value: "core" },
    ]);
  });

  it("makes a given name DNS-1123 valid, short enough and unique", async () => {
    const cluster = new InMemoryCluster();
    const params = { image: "busybox", command: ["true"], name: `Fix_The DB!!-${"x".repeat(80)}`, namespace: "ops", waitForCompletion: false };
    await alertHandlingJob(highCpu(), new TestContext(cluster), params);
    await alertHandlingJob(highCpu(), new TestContext(cluster), params);
    const names = (await createdJobs(cluster)).map((j) => j.metadata?.name ?? "");
    expect(new Set(names).size).toBe(2);
    for (const name of names) {
      expect(name).toMatch(/^fix-the-db-x+-[0-9a-f]{6}$/);
      expect(name.length).toBeLessThanOrEqual(63);
    }
    const container = (await createdJobs(cluster))[0]?.spec?.template.spec?.containers[0]?.name ?? "";
    expect(container).toMatch(/^fix-the-db-x+$/);
    expect(container.length).toBeLessThanOrEqual(63);
  });

  it("passes env entries that read a secret through as Kubernetes has them", async () => {
    const cluster = new InMemoryCluster();
    const secretRef = { secretKeyRef: { name: "creds", key: "token" } };
    await alertHandlingJob(highCpu(), new TestContext(cluster), { image: "busybox", command: ["true"], env: [{ name: "TOKEN", valueFrom: secretRef }], waitForCompletion: false });
    expect((await createdJobs(cluster))[0]?.spec?.template.spec?.containers[0]?.env).toContainEqual({ name: "TOKEN", valueFrom: secretRef });
  });

  it("with notify, waits and reports the job's status and its pod's log", async () => {
    const cluster = new JobCluster("Complete", "restarted the cache\n");
    const ctx = new TestContext(cluster);
    await alertHandlingJob(highCpu(), ctx, { image: "busybox", command: ["true"], notify: true });
    const name = (await createdJobs(cluster))[0]?.metadata?.name;
    expect(ctx.enrichments.map((e) => e.options.title)).toEqual(["Alert handling job", "Logs"]);
    expect((ctx.enrichments[0]?.blocks[0] as MarkdownBlock).text).toBe(`*Created Job from alert*: \`default/${name}\`\n*Status:* Succeeded`);
    expect(ctx.enrichments[1]?.blocks[0]).toMatchObject({ type: "file", filename: "job-runner-logs.txt", contents: "restarted the cache\n" } satisfies Partial<FileBlock>);
  });

  it("without notify, adds nothing to the finding", async () => {
    const cluster = new JobCluster("Complete", "ok\n");
    const ctx = new TestContext(cluster);
    await alertHandlingJob(highCpu(), ctx, { image: "busybox", command: ["true"] });
    expect(await createdJobs(cluster)).toHaveLength(1);
    expect(ctx.enrichments).toEqual([]);
  });

  it("reports a failed job with its log, then fails", async () => {
    const cluster = new JobCluster("Failed", "cannot reach the cache\n");
    const ctx = new TestContext(cluster);
    await expect(alertHandlingJob(highCpu(), ctx, { image: "busybox", command: ["false"], notify: true })).rejects.toThrow(
      /Job default\/highcpu-[0-9a-f]{6} failed: BackoffLimitExceeded: Job has reached the specified backoff limit/,
    );
    expect((ctx.enrichments[0]?.blocks[0] as MarkdownBlock).text).toContain("*Status:* Failed (BackoffLimitExceeded: Job has reached the specified backoff limit)");
    expect(ctx.enrichments[1]?.blocks[0]).toMatchObject({ type: "file", contents: "cannot reach the cache\n" });
  });

  it("gives up after completion_timeout, saying so", async () => {
    const cluster = new JobCluster("never");
    const ctx = new TestContext(cluster);
    await expect(alertHandlingJob(highCpu(), ctx, { image: "busybox", command: ["sleep", "1000"], notify: true, completionTimeout: 1 })).rejects.toThrow(
      /did not finish within 1 s/,
    );
    expect(ctx.enrichments).toHaveLength(1);
    expect((ctx.enrichments[0]?.blocks[0] as MarkdownBlock).text).toContain("*Status:* Timed out after 1 s, could not fetch output.");
  });

  it("stops waiting when the run is aborted", async () => {
    const cluster = new JobCluster("never");
    const ctx = new TestContext(cluster);
    const controller = new AbortController();
    (ctx as { signal: AbortSignal }).signal = controller.signal;
    const run = alertHandlingJob(highCpu(), ctx, { image: "busybox", command: ["sleep", "1000"] });
    controller.abort(new Error("action timed out"));
    await expect(run).rejects.toThrow(/Stopped waiting for Job default\/highcpu-[0-9a-f]{6}: action timed out/);
  });

  it("fails, naming the job, when the API refuses to create it", async () => {
    const cluster = new InMemoryCluster().failOn("create", new Error("jobs.batch is forbidden"));
    await expect(alertHandlingJob(highCpu(), new TestContext(cluster), { image: "busybox", command: ["true"] })).rejects.toThrow(
      /Could not create job default\/highcpu-[0-9a-f]{6}: jobs.batch is forbidden/,
    );
  });
});
