import { describe, expect, it } from "vitest";
import { createTestRunner, fixtures } from "@robusta-ts/sdk/testing";
import "@robusta-ts/sdk/testing/vitest";
import * as playbooks from "../playbooks/index.js";

/** The playbooks in the runner's own engine, against an in-memory cluster; alerts as Alertmanager posts them. */
function setup() {
  const runner = createTestRunner({ playbooks });
  return { cluster: runner.cluster, findings: runner.receiveAlert.bind(runner) };
}

describe("AlertEnrichment", () => {
  it("adds the crashing container's log, the pod's warnings and the alert's labels to KubePodCrashLooping", async () => {
    const { cluster, findings } = setup();
    const pod = fixtures.crashLoopingPod(fixtures.pod({ name: "checkout-0", namespace: "shop" }));
    cluster.apply(pod).setLogs("shop", "checkout-0", "app", { previous: "listening on :8080\nFATAL: database unreachable\n" });
    cluster.addEvents(fixtures.warningEvent(pod, "BackOff", "Back-off restarting failed container"));

    const [finding, ...others] = await findings(
      fixtures.alert({ name: "KubePodCrashLooping", labels: { namespace: "shop", pod: "checkout-0", container: "app" } }),
    );

    expect(others).toEqual([]);
    expect(finding?.enrichments.map((e) => e.title)).toEqual(["Logs", "Pod events", "Alert labels"]);
    expect(finding).toHaveEnrichment("Logs", [{ type: "file", contents: "listening on :8080\nFATAL: database unreachable\n" }]);
    expect(finding?.enrichments[1]?.blocks[0]).toMatchObject({ type: "table", rows: [["Warning", "BackOff", expect.any(String), "Back-off restarting failed container"]] });
    expect(finding?.enrichments[2]?.blocks[0]).toMatchObject({ type: "table", rows: expect.arrayContaining([["pod", "checkout-0"]]) });
  });

  it("links any alert's runbook, and says when it resolved", async () => {
    const { findings } = setup();
    const runbook = "https://runbooks.example/HighLatency";

    const [firing] = await findings(fixtures.alert({ name: "HighLatency", annotations: { runbook_url: runbook }, fingerprint: "f1" }));
    const [resolved] = await findings(fixtures.alert({ name: "HighLatency", status: "resolved", annotations: { runbook_url: runbook }, fingerprint: "f1" }));

    expect(firing?.enrichments.map((e) => e.title)).toEqual(["Runbook", "Alert labels"]);
    expect(firing?.enrichments[0]?.blocks[0]).toMatchObject({ type: "links", links: [{ text: "Runbook", url: runbook }] });
    expect(resolved?.enrichments.map((e) => e.title)).toEqual(["Resolution", "Runbook", "Alert labels"]);
  });
});
