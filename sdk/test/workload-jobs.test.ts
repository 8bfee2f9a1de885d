import { describe, expect, it } from "vitest";
import { jobEventsEnricher, jobInfoEnricher, jobPodEnricher, type FileBlock, type Job, type JobEvent, type TableBlock } from "../src/index.js";
import { InMemoryCluster, fixtures } from "../src/testing/index.js";
import { TestContext } from "./support/test-context.js";
import { NS, alertNamingNothing, job, podOf, clusterWith } from "./support/workload-fixtures.js";

const jobEvent = (obj?: Job): JobEvent => ({ source: "manual", id: "event-1", job: obj });

describe("job_info_enricher", () => {
  it('adds a "Job information" table of a failed job: status, completions, failures, duration, containers', async () => {
    const failed = job("backup", {
      completions: 1,
      status: {
        startTime: "2026-01-01T00:00:00Z",
        failed: 5,
        conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastTransitionTime: "2026-01-01T00:02:05Z" }],
      },
    });
    const ctx = new TestContext();
    await jobInfoEnricher(jobEvent(failed), ctx);
    const [table] = ctx.blocks as TableBlock[];
    expect(table).toMatchObject({ name: "Job information", headers: ["description", "value"] });
    expect(table?.rows).toEqual([
      ["status", "Failed"],
      ["message", "Job has reached the specified backoff limit"],
      ["completions", "0/1"],
      ["failures", "5"],
      ["backoffLimit", "4"],
      ["duration", "2026-01-01T00:00:00Z - 2026-01-01T00:02:05Z (2m 5s)"],
      ["containers", "------------------"],
      ["name", "backup"],
      ["image", "registry.example/backup:2"],
      ["cpu (request/limit)", "0.5/None"],
      ["memory MB (request/limit)", "256/512"],
    ]);
  });

  it("calls a job with active pods Running, not yet ended", async () => {
    const ctx = new TestContext();
    await jobInfoEnricher(jobEvent(job("backup")), ctx);
    const { rows } = ctx.blocks[0] as TableBlock;
    expect(rows[0]).toEqual(["status", "Running"]);
    expect(rows).toContainEqual(["duration", "2026-01-01T00:00:00Z - None"]);
  });

  it("adds nothing, with a warning, for an alert that names no job", async () => {
    const ctx = new TestContext();
    await jobInfoEnricher(alertNamingNothing(), ctx);
    expect(ctx.enrichments).toEqual([]);
    expect(ctx.logger.entries).toContainEqual(expect.objectContaining({ level: "warn", message: "job_info_enricher: the event carries no job" }));
  });
});

describe("job_events_enricher", () => {
  it('adds the job\'s events as a "Job events" table', async () => {
    const backup = job("backup");
    const ctx = new TestContext(new InMemoryCluster().addEvents(fixtures.warningEvent(backup, "BackoffLimitExceeded", "Job has reached the specified backoff limit")));
    await jobEventsEnricher(jobEvent(backup), ctx);
    expect(ctx.enrichments[0]?.options).toEqual({ title: "Job events", enrichmentType: "k8s_events" });
    expect(ctx.blocks[0]).toMatchObject({ name: "Job events", rows: [["Warning", "BackoffLimitExceeded", expect.any(String), "Job has reached the specified backoff limit"]] });
  });
});

describe("job_pod_enricher", () => {
  const backup = job("backup");
  const older = podOf(backup, "backup-old", { startTime: "2026-01-01T00:00:00Z" });
  const latest = podOf(backup, "backup-new", { startTime: "2026-01-01T00:01:00Z" });
  const cluster = () =>
    clusterWith(older, latest)
      .setLogs(NS, "backup-old", "app", { current: "old run\n" })
      .setLogs(NS, "backup-new", "app", { current: "dump failed: disk full\n" })
      .addEvents(fixtures.warningEvent(latest, "BackOff", "Back-off restarting failed container"), fixtures.warningEvent(older, "Other", "not this pod"));

  it("adds the events and the log of the job's latest pod", async () => {
    const ctx = new TestContext(cluster());
    await jobPodEnricher(jobEvent(backup), ctx);
    expect(ctx.blocks[0]).toMatchObject({ name: "Job pod events", rows: [["Warning", "BackOff", expect.any(String), "Back-off restarting failed container"]] });
    const log = ctx.enrichments.find((e) => e.options.title === "Logs");
    expect(log?.options.enrichmentType).toBe("text_file");
    expect(log?.blocks[0]).toMatchObject({ type: "file", filename: "backup-new.log", contents: "dump failed: disk full\n" } satisfies Partial<FileBlock>);
  });

  it("leaves out what events or logs turn off", async () => {
    const ctx = new TestContext(cluster());
    await jobPodEnricher(jobEvent(backup), ctx, { logs: false });
    expect(ctx.enrichments.map((e) => e.options.title)).toEqual(["Job pod events"]);
    const logsOnly = new TestContext(cluster());
    await jobPodEnricher(jobEvent(backup), logsOnly, { events: false });
    expect(logsOnly.enrichments.map((e) => e.options.title)).toEqual(["Logs"]);
  });

  it("adds nothing when the job has no pods", async () => {
    const ctx = new TestContext(new InMemoryCluster());
    await jobPodEnricher(jobEvent(backup), ctx);
    expect(ctx.enrichments).toEqual([]);
  });
});
