import { describe, expect, it } from "vitest";
import {
  daemonsetMisscheduledSmartSilencer,
  nodeRestartSilencer,
  podStatusSilencer,
  severitySilencer,
  silenceAlert,
  targetDownDnsSilencer,
} from "../src/index.js";
import { FakeClock, InMemoryCluster, fixtures } from "../src/testing/index.js";
import { alertAbout, daemonSet, daemonSetPod, nodeReadySince, service } from "./support/finding-fixtures.js";
import { TestContext } from "./support/test-context.js";

describe("severity_silencer", () => {
  it("stops processing for alerts of the given severity only", async () => {
    const info = new TestContext();
    await severitySilencer(alertAbout({ name: "A", labels: { severity: "info" } }), info, { severity: "info" });
    expect(info.stopped).toBe(true);
    const warning = new TestContext();
    await severitySilencer(alertAbout({ name: "A", labels: { severity: "warning" } }), warning, { severity: "info" });
    expect(warning.stopped).toBe(false);
  });

  it('silences nothing by default (severity "none")', async () => {
    const ctx = new TestContext();
    await severitySilencer(alertAbout({ name: "A" }), ctx);
    expect(ctx.stopped).toBe(false);
  });
});

describe("silence_alert", () => {
  it("always stops processing, and logs the alert when asked", async () => {
    const quiet = new TestContext();
    await silenceAlert(alertAbout({ name: "Noisy" }), quiet);
    expect(quiet.stopped).toBe(true);
    expect(quiet.logger.entries.filter((e) => e.level === "info")).toEqual([]);
    const logged = new TestContext();
    await silenceAlert(alertAbout({ name: "Noisy" }), logged, { logSilence: true });
    expect(logged.stopped).toBe(true);
    expect(logged.logger.entries).toContainEqual(expect.objectContaining({ level: "info", fields: expect.objectContaining({ alert: "Noisy" }) }));
  });
});

describe("pod_status_silencer", () => {
  const withPhase = (phase: string) => {
    const pod = fixtures.pod();
    return fixtures.change("update", { ...pod, status: { ...pod.status, phase } });
  };
  const stops = async (phase: string, params: Parameters<typeof podStatusSilencer>[2]) => {
    const ctx = new TestContext();
    const event = withPhase(phase);
    await podStatusSilencer({ ...event, pod: event.obj }, ctx, params);
    return ctx.stopped;
  };

  it("stops unless the pod's phase is included", async () => {
    expect(await stops("Running", { include: ["Pending"] })).toBe(true);
    expect(await stops("Pending", { include: ["Pending"] })).toBe(false);
  });

  it("stops when the pod's phase is excluded", async () => {
    expect(await stops("Unknown", { exclude: ["Unknown"] })).toBe(true);
    expect(await stops("Running", { exclude: ["Unknown"] })).toBe(false);
    expect(await stops("Running", {})).toBe(false);
  });

  it("does nothing for an event without a pod", async () => {
    const ctx = new TestContext();
    await podStatusSilencer(alertAbout({ name: "NoPod" }), ctx, { include: ["Running"] });
    expect(ctx.stopped).toBe(false);
  });
});

describe("node_restart_silencer", () => {
  const clock = () => new FakeClock("2026-03-01T12:00:00Z");
  const podOn = fixtures.pod({ name: "api-1", nodeName: "node-1" });

  async function silenced(node: ReturnType<typeof nodeReadySince>, params?: { postRestartSilence: number }, asPodAlert = true) {
    const cluster = new InMemoryCluster().apply(node);
    const ctx = new TestContext(cluster, {}, undefined, clock());
    const event = asPodAlert ? alertAbout({ name: "KubePodNotReady" }, { pod: podOn }) : alertAbout({ name: "NodeAlert" }, { node });
    await nodeRestartSilencer(event, ctx, params);
    return ctx.stopped;
  }

  it("silences pod alerts for 300 seconds after the pod's node became Ready", async () => {
    expect(await silenced(nodeReadySince("2026-03-01T11:56:00Z"))).toBe(true);
    expect(await silenced(nodeReadySince("2026-03-01T11:54:00Z"))).toBe(false);
  });

  it("takes the node's creation time when it has no Ready transition time, and the configured period", async () => {
    expect(await silenced(nodeReadySince(undefined, { created: "2026-03-01T11:59:00Z" }))).toBe(true);
    expect(await silenced(nodeReadySince(undefined, { created: "2026-03-01T11:59:00Z" }), { postRestartSilence: 30 })).toBe(false);
  });

  it("silences alerts about the node itself", async () => {
    expect(await silenced(nodeReadySince("2026-03-01T11:58:00Z"), undefined, false)).toBe(true);
  });

  it("does nothing when there is no node to look at", async () => {
    const ctx = new TestContext(new InMemoryCluster(), {}, undefined, clock());
    await nodeRestartSilencer(alertAbout({ name: "KubePodNotReady" }, { pod: podOn }), ctx);
    await nodeRestartSilencer(alertAbout({ name: "Other" }), ctx);
    expect(ctx.stopped).toBe(false);
  });
});

describe("daemonset_misscheduled_smart_silencer", () => {
  async function silenced(options: { tolerations?: string[]; taints?: string[] }) {
    const ds = daemonSet({ tolerations: options.tolerations });
    const cluster = new InMemoryCluster().apply(
      nodeReadySince(undefined, { name: "node-a" }),
      nodeReadySince(undefined, { name: "node-b", taints: options.taints }),
    ).apply(daemonSetPod(ds, "node-a"), daemonSetPod(ds, "node-b"));
    const ctx = new TestContext(cluster);
    await daemonsetMisscheduledSmartSilencer(alertAbout({ name: "KubeDaemonSetMisScheduled" }, { daemonSet: ds }), ctx);
    return ctx.stopped;
  }

  it("silences when one of its pods is on a node the cluster autoscaler is removing", async () => {
    expect(await silenced({ taints: ["ToBeDeletedByClusterAutoscaler"] })).toBe(true);
  });

  it("lets the alert through when no such node exists, or the daemon set tolerates the taint", async () => {
    expect(await silenced({ taints: ["node.kubernetes.io/unschedulable"] })).toBe(false);
    expect(await silenced({ taints: ["ToBeDeletedByClusterAutoscaler"], tolerations: ["ToBeDeletedByClusterAutoscaler"] })).toBe(false);
  });

  it("ignores tainted nodes running only other daemon sets' pods", async () => {
    const ds = daemonSet();
    const other = daemonSet({ name: "other" });
    const cluster = new InMemoryCluster()
      .apply(nodeReadySince(undefined, { name: "node-b", taints: ["ToBeDeletedByClusterAutoscaler"] }))
      .apply(daemonSetPod(other, "node-b"));
    const ctx = new TestContext(cluster);
    await daemonsetMisscheduledSmartSilencer(alertAbout({ name: "KubeDaemonSetMisScheduled" }, { daemonSet: ds }), ctx);
    expect(ctx.stopped).toBe(false);
  });

  it("does not silence when the cluster cannot be read, or the event has no daemon set", async () => {
    const ctx = new TestContext(new InMemoryCluster().failOn("list", new Error("forbidden")));
    await daemonsetMisscheduledSmartSilencer(alertAbout({ name: "KubeDaemonSetMisScheduled" }, { daemonSet: daemonSet() }), ctx);
    await daemonsetMisscheduledSmartSilencer(alertAbout({ name: "KubeDaemonSetMisScheduled" }), ctx);
    expect(ctx.stopped).toBe(false);
    expect(ctx.logger.entries).toContainEqual(expect.objectContaining({ level: "warn", fields: expect.objectContaining({ reason: "forbidden" }) }));
  });
});

describe("target_down_dns_silencer", () => {
  async function silenced(labels: Record<string, string>, cluster = new InMemoryCluster()) {
    const ctx = new TestContext(cluster);
    await targetDownDnsSilencer(alertAbout({ name: "TargetDown", labels }), ctx);
    return ctx.stopped;
  }

  it("silences TargetDown of the DNS job when its Service does not exist", async () => {
    expect(await silenced({ job: "kube-dns", namespace: "kube-system", service: "kube-dns" })).toBe(true);
    expect(await silenced({ job: "coredns" }, new InMemoryCluster().apply(service("kube-dns")))).toBe(true);
  });

  it("lets it through when the Service exists: the DNS is really unreachable", async () => {
    const cluster = new InMemoryCluster().apply(service("kube-dns"));
    expect(await silenced({ job: "kube-dns", namespace: "kube-system", service: "kube-dns" }, cluster)).toBe(false);
    expect(await silenced({ job: "kube-dns" }, cluster)).toBe(false);
  });

  it("lets other jobs through, and does not silence when the Service cannot be read", async () => {
    expect(await silenced({ job: "node-exporter" })).toBe(false);
    expect(await silenced({ job: "kube-dns" }, new InMemoryCluster().failOn("get", new Error("forbidden")))).toBe(false);
  });
});
