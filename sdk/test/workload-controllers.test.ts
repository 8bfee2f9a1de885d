import { describe, expect, it } from "vitest";
import {
  daemonsetMisscheduledAnalysisEnricher,
  daemonsetStatusEnricher,
  deploymentEventsEnricher,
  deploymentStatusEnricher,
  hpaMismatchEnricher,
  statefulsetReplicasEnricher,
  type DaemonSet,
  type DaemonSetEvent,
  type Deployment,
  type DeploymentEvent,
  type MarkdownBlock,
  type StatefulSet,
  type TableBlock,
} from "../src/index.js";
import { alertEvent } from "../src/events/alertmanager.js";
import { fixtures } from "../src/testing/index.js";
import { TestContext } from "./support/test-context.js";
import { NS, alertNamingNothing, daemonSet, deployment, hpa, nodeWith, normalEvent, podOf, resourceEvent, statefulSet, clusterWith } from "./support/workload-fixtures.js";

const deploymentEvent = (obj?: Deployment): DeploymentEvent => ({ source: "manual", id: "event-1", deployment: obj });
const daemonSetEvent = (obj?: DaemonSet): DaemonSetEvent => ({ source: "manual", id: "event-1", daemonSet: obj });
const statefulSetEvent = (obj?: StatefulSet) => ({ source: "manual" as const, id: "event-1", statefulSet: obj });
const texts = (ctx: TestContext) => ctx.blocks.filter((b): b is MarkdownBlock => b.type === "markdown").map((b) => b.text);

describe("deployment_status_enricher", () => {
  it("adds each condition's reason and message, and the replica counts", async () => {
    const web = deployment("web", {
      status: {
        replicas: 3,
        updatedReplicas: 1,
        readyReplicas: 2,
        availableReplicas: 2,
        unavailableReplicas: 1,
        conditions: [
          { type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability." },
          { type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: 'ReplicaSet "web-7d9" is progressing.' },
        ],
      },
    });
    const ctx = new TestContext();
    await deploymentStatusEnricher(deploymentEvent(web), ctx);
    expect(texts(ctx)).toEqual([
      '*Deployment status details:*\n*MinimumReplicasUnavailable -* Deployment does not have minimum availability.\n*ReplicaSetUpdated -* ReplicaSet "web-7d9" is progressing.',
    ]);
    expect(ctx.blocks[1]).toMatchObject({
      name: "Deployment replicas",
      rows: [["Desired", 3], ["Updated", 1], ["Ready", 2], ["Available", 2], ["Unavailable", 1]],
    });
  });

  it("adds nothing, with a warning, for an alert that names no deployment", async () => {
    const ctx = new TestContext();
    await deploymentStatusEnricher(alertNamingNothing(), ctx);
    expect(ctx.enrichments).toEqual([]);
    expect(ctx.logger.entries).toContainEqual(expect.objectContaining({ level: "warn", message: "deployment_status_enricher: the event carries no deployment" }));
  });
});

describe("deployment_events_enricher", () => {
  const web = deployment("web");
  const pending = { ...podOf(web, "web-1"), status: { phase: "Pending" } };
  const running = podOf(web, "web-2");
  const cluster = () =>
    clusterWith(web, pending, running)
      .addEvents(
        normalEvent(web, "ScalingReplicaSet", "Scaled up replica set web-7d9 to 3"),
        fixtures.warningEvent(pending, "FailedScheduling", "0/3 nodes are available: 3 Insufficient cpu."),
        normalEvent(running, "Pulled", "Container image pulled"),
      );

  it('adds the deployment\'s events as "Deployment Events"', async () => {
    const ctx = new TestContext(cluster());
    await deploymentEventsEnricher(deploymentEvent(web), ctx);
    expect(ctx.enrichments[0]?.options).toEqual({ title: "Deployment Events", enrichmentType: "k8s_events" });
    expect(ctx.blocks[0]).toMatchObject({ name: "Deployment Events", rows: [["Normal", "ScalingReplicaSet", "2026-01-01T00:00:00Z", "Scaled up replica set web-7d9 to 3"]] });
  });

  it("adds the events of its pods that are not running with dependent_pod_mode", async () => {
    const ctx = new TestContext(cluster());
    await deploymentEventsEnricher(deploymentEvent(web), ctx, { dependentPodMode: true, maxPods: 5 });
    expect(ctx.blocks).toHaveLength(1);
    expect(ctx.blocks[0]).toMatchObject({ name: "Pod events for web-1", rows: [["Warning", "FailedScheduling", expect.any(String), "0/3 nodes are available: 3 Insufficient cpu."]] });
  });
});

describe("statefulset_replicas_enricher", () => {
  it("says how many replicas were created and are ready, and tabulates them", async () => {
    const ctx = new TestContext();
    await statefulsetReplicasEnricher(statefulSetEvent(statefulSet("db", { replicas: 2, readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 })), ctx);
    expect(texts(ctx)).toEqual(["2 out of 3 replicas were created for this Statefulset. Only 1 replicas are ready."]);
    expect(ctx.blocks[1]).toMatchObject({ name: "StatefulSet replicas", rows: [["Desired", 3], ["Created", 2], ["Ready", 1], ["Updated", 2], ["Available", 1]] });
  });

  it("says when no replica is ready", async () => {
    const ctx = new TestContext();
    await statefulsetReplicasEnricher(statefulSetEvent(statefulSet("db", { replicas: 0 })), ctx);
    expect(texts(ctx)).toEqual(["0 out of 3 replicas were created for this Statefulset. No replicas are ready."]);
  });

  it("adds nothing for an alert that names no stateful set", async () => {
    const ctx = new TestContext();
    await statefulsetReplicasEnricher(alertNamingNothing(), ctx);
    expect(ctx.enrichments).toEqual([]);
  });
});

describe("daemonset_status_enricher", () => {
  it("adds the daemon set's scheduling counts and what they mean", async () => {
    const ctx = new TestContext();
    await daemonsetStatusEnricher(daemonSetEvent(daemonSet("agent", {}, { numberMisscheduled: 1, numberAvailable: 1 })), ctx);
    expect(ctx.blocks[0]).toMatchObject({
      name: "Daemonset Stats for agent",
      rows: [["desiredNumberScheduled", 2], ["currentNumberScheduled", 2], ["numberAvailable", 1], ["numberMisscheduled", 1]],
    });
    expect(texts(ctx)[0]).toMatch(/^_Daemonset lifecycle: pods start out as desired/);
  });
});

describe("daemonset_misscheduled_analysis_enricher", () => {
  const agent = daemonSet("agent", { nodeSelector: { pool: "general" } }, { numberMisscheduled: 1 });

  async function analyse(...nodes: ReturnType<typeof nodeWith>[]) {
    const pods = nodes.map((node, i) => podOf(agent, `agent-${i}`, { nodeName: node.metadata?.name ?? "" }));
    const ctx = new TestContext(clusterWith(agent, ...nodes, ...pods));
    await daemonsetMisscheduledAnalysisEnricher(daemonSetEvent(agent), ctx);
    return ctx;
  }

  it("names the node selector label a node lacks and the taint a pod does not tolerate", async () => {
    const ctx = await analyse(
      nodeWith("good", { labels: { pool: "general" } }),
      nodeWith("relabelled", { labels: { pool: "gpu" } }),
      nodeWith("tainted", { labels: { pool: "general" }, taints: [{ key: "dedicated", value: "db", effect: "NoExecute" }] }),
    );
    const [table] = ctx.blocks as TableBlock[];
    expect(table).toMatchObject({ name: "Misscheduled daemon pods", headers: ["node", "pod", "likely cause"] });
    expect(table?.rows).toEqual([
      ["relabelled", "agent-1", "the node lacks the label pool=general of the nodeSelector"],
      ["tainted", "agent-2", "the node has the taint dedicated=db:NoExecute, which the pod does not tolerate"],
    ]);
  });

  it("explains the cluster autoscaler's false alarm and its fix", async () => {
    const ctx = await analyse(nodeWith("going", { labels: { pool: "general" }, taints: [{ key: "ToBeDeletedByClusterAutoscaler", value: "1700000000", effect: "NoSchedule" }] }));
    const [cause, fix] = texts(ctx);
    expect(cause).toContain("This specific firing of the alert is a *known false alarm*");
    expect(fix).toContain("key: ToBeDeletedByClusterAutoscaler\n  operator: Exists");
  });

  it("ignores taints the pod tolerates", async () => {
    const tolerant = daemonSet("agent", { tolerations: [{ operator: "Exists" }] }, { numberMisscheduled: 0 });
    const node = nodeWith("tainted", { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] });
    const pod = podOf(tolerant, "agent-0", { nodeName: "tainted" });
    pod.spec = { ...pod.spec!, tolerations: [{ operator: "Exists" }] };
    const ctx = new TestContext(clusterWith(node, pod));
    await daemonsetMisscheduledAnalysisEnricher(daemonSetEvent(tolerant), ctx);
    expect(ctx.enrichments).toEqual([]);
  });

  it("says so when pods are misscheduled but nothing on their nodes explains it", async () => {
    const ctx = await analyse(nodeWith("good", { labels: { pool: "general" } }));
    expect(texts(ctx)[0]).toMatch(/^1 pod\(s\) of the daemon set are misscheduled, but no node selector, node affinity or taint/);
  });
});

describe("hpa_mismatch_enricher", () => {
  const metricsServer = { ...deployment("metrics-server"), metadata: { name: "metrics-server", namespace: "kube-system", labels: { "k8s-app": "metrics-server" } } };

  it("shows desired against running replicas, the bounds, and the HPA's events", async () => {
    const web = hpa("web", { currentReplicas: 4, desiredReplicas: 6 });
    const ctx = new TestContext(clusterWith(metricsServer).addEvents(normalEvent(web, "SuccessfulRescale", "New size: 6; reason: cpu resource utilization above target")));
    await hpaMismatchEnricher(resourceEvent(web), ctx);
    expect(texts(ctx)).toEqual(["*Replicas: Desired (6) --> Running (4)*"]);
    expect(ctx.blocks[1]).toMatchObject({ name: "HPA replicas", rows: [["Current", 4], ["Desired", 6], ["Min", 2], ["Max", 10]] });
    const events = ctx.enrichments.find((e) => e.options.title === "HPA Events");
    expect(events?.blocks[0]).toMatchObject({ name: "HPA events", rows: [["Normal", "SuccessfulRescale", expect.any(String), expect.stringContaining("New size: 6")]] });
  });

  it("finds the HPA an alert names, and says when it is held at its maximum", async () => {
    const web = hpa("web", { currentReplicas: 10, desiredReplicas: 10 });
    const ctx = new TestContext(clusterWith(metricsServer, web));
    const alert = alertEvent(fixtures.alert({ name: "KubeHpaMaxedOut", labels: { namespace: NS, horizontalpodautoscaler: "web" } }));
    await hpaMismatchEnricher(alert, ctx);
    expect(texts(ctx)).toEqual(["*Replicas: Desired (10) --> Running (10)*", "The HPA is at its maximum of 10 replicas: it cannot scale out further."]);
  });

  it("says how to deploy metrics-server when the cluster has none, unless told not to look", async () => {
    const web = hpa("web", { currentReplicas: 2, desiredReplicas: 2 });
    const ctx = new TestContext();
    await hpaMismatchEnricher(resourceEvent(web), ctx);
    expect(texts(ctx)[0]).toMatch(/^The HPA cannot function because a metrics API was not found/);
    const quiet = new TestContext();
    await hpaMismatchEnricher(resourceEvent(web), quiet, { checkForMetricsServer: false });
    expect(texts(quiet)).toEqual(["*Replicas: Desired (2) --> Running (2)*"]);
  });

  it("adds nothing for an event with no HPA", async () => {
    const ctx = new TestContext();
    await hpaMismatchEnricher(resourceEvent(deployment("web")), ctx);
    await hpaMismatchEnricher(alertNamingNothing(), ctx);
    expect(ctx.enrichments).toEqual([]);
    expect(ctx.logger.entries.filter((e) => e.level === "warn")).toHaveLength(2);
  });
});
