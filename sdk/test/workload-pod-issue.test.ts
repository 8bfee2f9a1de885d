import { describe, expect, it } from "vitest";
import { podIssueInvestigator, type KubernetesObject, type MarkdownBlock, type Pod, type TableBlock } from "../src/index.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";
import { TestContext } from "./support/test-context.js";
import { NS, alertNamingNothing, deployment, job, pendingPod, podOf, resourceEvent, clusterWith } from "./support/workload-fixtures.js";

const web = deployment("web", { status: { replicas: 2, availableReplicas: 1, unavailableReplicas: 1 } });

async function investigate(obj: KubernetesObject | undefined, cluster = new InMemoryCluster(), clock = new FakeClock("2026-01-01T00:10:00Z")) {
  const ctx = new TestContext(cluster, {}, new MemoryLogger(), clock);
  await podIssueInvestigator(obj ? resourceEvent(obj) : alertNamingNothing(), ctx);
  return ctx;
}

const texts = (ctx: TestContext) => ctx.blocks.filter((b): b is MarkdownBlock => b.type === "markdown").map((b) => b.text);
const enrichment = (ctx: TestContext, title: string) => ctx.enrichments.find((e) => e.options.title === title);

describe("pod_issue_investigator", () => {
  it("picks the crash-looping pod of a deployment: why, crash info, and the crashed instance's log", async () => {
    const crashing = fixtures.crashLoopingPod(podOf(web, "web-2"), { restartCount: 5 });
    const cluster = clusterWith(web, podOf(web, "web-1"), crashing).setLogs(NS, "web-2", "app", { previous: "panic: nil map\n", current: "" });
    const ctx = await investigate(web, cluster);
    expect(texts(ctx)[0]).toBe(
      "1 pod(s) are available. 1 pod(s) are not ready due to crash-looping\n\nCrashLoopBackOff: back-off 40s restarting failed container=app pod=web-2\n\n*web-2* was picked for investigation",
    );
    const crash = enrichment(ctx, "Container Crash information");
    expect(crash?.options.enrichmentType).toBe("crash_info");
    expect(crash?.blocks.map((b) => (b as TableBlock).name)).toEqual(["Crash Info", "Previous Container"]);
    expect((crash?.blocks[0] as TableBlock).rows).toContainEqual(["Restarts", 5]);
    expect(enrichment(ctx, "Logs")?.blocks[0]).toMatchObject({ type: "file", filename: "web-2.log", contents: "panic: nil map\n" });
  });

  it("explains a pod that cannot pull its image, from the kubelet's events", async () => {
    const pod = fixtures.imagePullBackoffPod(fixtures.pod({ name: "api-1", namespace: NS, image: "registry.example/api:9.9" }));
    const cluster = clusterWith(pod)
      .addEvents(fixtures.warningEvent(pod, "Failed", 'Failed to pull image "registry.example/api:9.9": rpc error: code = NotFound desc = failed to pull and unpack image "registry.example/api:9.9": failed to resolve reference "registry.example/api:9.9": registry.example/api:9.9: not found'));
    const ctx = await investigate(pod, cluster);
    expect(texts(ctx)[0]).toMatch(/^Pod is not ready due to image-pull-backoff\n\nImagePullBackOff: Back-off pulling image/);
    const info = enrichment(ctx, "Container ImagePullBackoff Information");
    expect(info?.options.enrichmentType).toBe("image_pull_backoff_info");
    expect((info?.blocks[0] as TableBlock).rows).toContainEqual(["Reason", "Image not found"]);
  });

  it("tells why a pending pod cannot be scheduled, and what it requests when resources are short", async () => {
    const pod = pendingPod(podOf(web, "web-3"), "0/3 nodes are available: 3 Insufficient cpu.");
    const ctx = await investigate(web, clusterWith(pod));
    const unscheduled = enrichment(ctx, "Unscheduled Information");
    expect(unscheduled?.options.enrichmentType).toBe("pending_pod_info");
    expect((unscheduled?.blocks[0] as TableBlock).rows).toEqual([
      ["Pod", "web-3"],
      ["Reason", "0/3 nodes are available: 3 Insufficient cpu."],
    ]);
    expect((unscheduled?.blocks[1] as MarkdownBlock).text).toBe("*Pod requires:* 2 CPU, 4096Mi Memory");
  });

  it("reads the scheduler's latest FailedScheduling event over the condition, and lists no requests for a taint", async () => {
    const pod = pendingPod(podOf(web, "web-3"), "0/3 nodes are available: 3 Insufficient cpu.");
    const cluster = clusterWith(pod)
      .addEvents(fixtures.warningEvent(pod, "FailedScheduling", "0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: db}.", { time: "2026-01-01T00:05:00Z" }));
    const ctx = await investigate(web, cluster);
    expect(enrichment(ctx, "Unscheduled Information")?.blocks).toHaveLength(1);
  });

  it("counts a crash in the last 15 minutes even when the container runs again, and not an older one", async () => {
    const crashedAt = (finishedAt: string): Pod => {
      const pod = podOf(web, "web-1");
      const [status] = pod.status!.containerStatuses!;
      return {
        ...pod,
        status: { ...pod.status, containerStatuses: [{ ...status!, restartCount: 1, lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt } } }] },
      };
    };
    const recent = await investigate(web, clusterWith(crashedAt("2026-01-01T00:05:00Z")));
    expect(enrichment(recent, "Container Crash information")).toBeDefined();
    const old = await investigate(web, clusterWith(crashedAt("2025-12-31T23:30:00Z")));
    expect(texts(old)).toEqual(["No problematic pod was found among the 1 pod(s) of Deployment prod/web."]);
  });

  it("investigates the pods of a job", async () => {
    const backup = job("backup");
    const crashing = fixtures.crashLoopingPod(podOf(backup, "backup-x1"), { restartCount: 3 });
    const ctx = await investigate(backup, clusterWith(crashing));
    expect(texts(ctx)[0]).toMatch(/^Pod is not ready due to crash-looping/);
    expect(enrichment(ctx, "Container Crash information")).toBeDefined();
  });

  it("says so when the resource has no pods", async () => {
    const ctx = await investigate(web);
    expect(texts(ctx)).toEqual(["Deployment prod/web has no pods to investigate."]);
  });

  it("fails, naming the kind, for a resource it cannot investigate", async () => {
    await expect(investigate(fixtures.node({ name: "node-1" }))).rejects.toThrow("pod_issue_investigator does not support Node");
  });

  it("adds nothing, with a warning, for an alert that names no resource", async () => {
    const ctx = await investigate(undefined);
    expect(ctx.enrichments).toEqual([]);
    expect(ctx.logger.entries).toContainEqual(expect.objectContaining({ level: "warn", message: "pod_issue_investigator: the event carries no resource" }));
  });
});
