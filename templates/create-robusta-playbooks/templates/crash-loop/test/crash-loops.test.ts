import { describe, expect, it } from "vitest";
import { createTestRunner, fixtures } from "@robusta-ts/sdk/testing";
import "@robusta-ts/sdk/testing/vitest";
import * as playbooks from "../playbooks/index.js";

/** The playbooks in the runner's own engine, against an in-memory cluster and a fake clock. */
function setup() {
  const runner = createTestRunner({ playbooks });
  return { cluster: runner.cluster, clock: runner.clock, findings: runner.emit.bind(runner) };
}

describe("CrashLoops", () => {
  it("reports a crash-looping pod with its crash info, previous log and warning events", async () => {
    const { cluster, findings } = setup();
    const healthy = fixtures.pod({ name: "api-7f9c-abcde", namespace: "prod", ownerReplicaSet: "api-7f9c" });
    const crashing = fixtures.crashLoopingPod(healthy, { restartCount: 4 });
    cluster.apply(crashing).setLogs("prod", "api-7f9c-abcde", "app", { previous: "boot\npanic: nil map\n" });
    cluster.addEvents(fixtures.warningEvent(crashing, "BackOff", "Back-off restarting failed container"));

    const [finding, ...others] = await findings(fixtures.change("update", crashing, healthy));

    expect(others).toEqual([]);
    expect(finding).toContainFinding({ title: "Crashing pod api-7f9c-abcde in namespace prod", severity: "HIGH" });
    expect(finding?.enrichments.map((e) => e.title)).toEqual(["Crash info", "Logs", "Pod events"]);
    expect(finding).toHaveEnrichment("Crash info", [{ type: "table", rows: [["app", 4, "CrashLoopBackOff", "Error (exit code 1)"]] }]);
    expect(finding).toHaveBlock({ type: "file", contents: "boot\npanic: nil map\n" });
    expect(finding).toHaveEnrichment("Pod events", [{ type: "table", rows: [["Warning", "BackOff", expect.any(String), "Back-off restarting failed container"]] }]);
  });

  it("stays quiet below two restarts, and reports another pod of the same ReplicaSet only after 4 hours", async () => {
    const { cluster, clock, findings } = setup();
    const first = fixtures.pod({ name: "api-7f9c-aaaaa", ownerReplicaSet: "api-7f9c" });
    const second = fixtures.pod({ name: "api-7f9c-bbbbb", ownerReplicaSet: "api-7f9c" });
    cluster.apply(first, second);

    expect(await findings(fixtures.change("update", fixtures.crashLoopingPod(first, { restartCount: 1 }), first))).toEqual([]);
    expect(await findings(fixtures.change("update", fixtures.crashLoopingPod(first), first))).toHaveLength(1);
    expect(await findings(fixtures.change("update", fixtures.crashLoopingPod(second), second))).toEqual([]);
    clock.advance(4 * 3600 * 1000);
    expect(await findings(fixtures.change("update", fixtures.crashLoopingPod(second), second))).toHaveLength(1);
  });
});
