import { describe, expect, it } from "vitest";
import { definePlaybook, markdown, onSchedule } from "@robusta-ts/sdk";
import { waitFor } from "../../test/support/wait-for.js";
import { MemoryStateStore } from "../src/state/memory-store.js";
import { testRuntime } from "./helpers.js";

const report = (name: string, repeat: number) =>
  definePlaybook({
    name,
    triggers: [onSchedule({ fixedDelayRepeat: { repeat, seconds_delay: 1 } })],
    run: (event, ctx) => ctx.addEnrichment([markdown(`${name} run ${event.runCount + 1}`)]),
  });

describe("scheduled playbooks in the runner", () => {
  it("run through the same pipeline as any event, and keep their run count in the state store", async () => {
    const jobs = new MemoryStateStore();
    const { runtime, sink } = testRuntime({
      playbooks: [report("nightly-report", 1)],
      options: { initialScheduleDelaySec: 0 },
      state: { jobs, rateLimits: new MemoryStateStore() },
    });
    await runtime.listen();
    const finding = await waitFor("the scheduled run's finding", () => sink.findings[0]);
    expect(finding.title).toBe("General scheduled task");
    expect(finding.enrichments[0]?.blocks).toEqual([markdown("nightly-report run 1")]);
    const saved = [...(await jobs.load()).values()];
    expect(saved).toEqual([expect.objectContaining({ state: expect.objectContaining({ exec_count: 1, job_status: "DONE" }) })]);
    const metrics = await runtime.metrics.registry.metrics();
    expect(metrics).toContain("robusta_scheduled_runs_skipped 0");
    expect(metrics).toContain('robusta_state_entries_dropped{store="jobs"} 0');
    await runtime.close();
  });

  it("are rescheduled when the configuration is reloaded", async () => {
    const { runtime, sink } = testRuntime({ playbooks: [], options: { initialScheduleDelaySec: 0 } });
    await runtime.listen();
    runtime.reload({ playbooks: [report("added-later", 1)], sinks: [sink] });
    const finding = await waitFor("the new schedule's run", () => sink.findings[0]);
    expect(finding.enrichments[0]?.blocks).toEqual([markdown("added-later run 1")]);
    await runtime.close();
  });
});
