import { describe, expect, it } from "vitest";
import { createTestRunner, fixtures } from "@robusta-ts/sdk/testing";
import * as module from "../playbooks/index.js";

function setup() {
  const runner = createTestRunner({ playbooks: module });
  return { cluster: runner.cluster, clock: runner.clock, findings: runner.emit.bind(runner) };
}

describe("CrashLoops", () => {
  it("reports a crash-looping pod with its crash info, previous log and warning events", async () => {
    const { cluster, findings } = setup();
    const healthy = fixtures.pod({ name: "api-7f9c-abcde", namespace: "prod", ownerReplicaSet: "api-7f9c" });
    const crashing = fixtures.crashLoopingPod(healthy, { restartCount: 4 });
    cluster.apply(crashing).setLogs("prod", "api-7f9c-abcde", "app", { previous: "boot\npanic: nil map\n" });
    cluster.addEvents(fixtures.warningEvent(crashing, "BackOff", "Back-off restarting failed container"));

    const [finding, ...rest] = await findings(fixtures.change("update", crashing, healthy));

    expect(rest).toEqual([]);
    expect(finding?.title).toBe("Crashing pod api-7f9c-abcde in namespace prod");
    expect(finding?.severity).toBe("HIGH");
    expect(finding?.enrichments.map((e) => e.title)).toEqual(["Crash info", "Logs", "Pod events"]);
    expect(finding?.enrichments[0]?.blocks[0]).toMatchObject({ type: "table", rows: [["app", 4, "CrashLoopBackOff", "Error (exit code 1)"]] });
    expect(finding?.enrichments[1]?.blocks[0]).toMatchObject({ type: "file", filename: "api-7f9c-abcde.log", contents: "boot\npanic: nil map\n" });
    expect(finding?.enrichments[2]?.blocks[0]).toMatchObject({ type: "table", rows: [["Warning", "BackOff", expect.any(String), "Back-off restarting failed container"]] });
  });

  it("stays quiet below two restarts, and reports a second pod of the same ReplicaSet only after four hours", async () => {
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

  it("reports an OOM kill with the container's memory settings", async () => {
    const { cluster, findings } = setup();
    const running = fixtures.pod({ name: "cart-1", namespace: "shop" });
    const killed = fixtures.oomKilledPod(running);
    cluster.apply(killed);

    const [finding] = await findings(fixtures.change("update", killed, running));

    expect(finding?.aggregationKey).toBe("PodOOMKilled");
    expect(finding?.enrichments[0]?.blocks[0]).toMatchObject({ rows: [["app", "no limit", "none"]] });
    // No previous log recorded for the container: the finding says why there is none.
    expect(finding?.enrichments[1]?.blocks[0]).toMatchObject({ type: "markdown", text: expect.stringContaining("Could not fetch the logs") });
  });
});
