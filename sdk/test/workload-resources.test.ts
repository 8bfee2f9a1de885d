import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  getResourceYaml,
  relatedPods,
  resourceEventsEnricher,
  statusEnricher,
  type FileBlock,
  type JsonBlock,
  type MarkdownBlock,
  type Pod,
  type TableBlock,
} from "../src/index.js";
import { InMemoryCluster, fixtures } from "../src/testing/index.js";
import { TestContext } from "./support/test-context.js";
import { NS, alertNamingNothing, deployment, job, normalEvent, podOf, resourceEvent, clusterWith } from "./support/workload-fixtures.js";

describe("status_enricher", () => {
  const node = fixtures.node({ name: "node-1" });

  it('adds the conditions as a "<Kind> status details" table', async () => {
    const ctx = new TestContext();
    await statusEnricher(resourceEvent(node), ctx);
    expect(ctx.blocks).toEqual([
      expect.objectContaining({ name: "Node status details", headers: ["Type", "Status"], rows: [["MemoryPressure", "False"], ["DiskPressure", "False"], ["Ready", "True"]] }),
    ]);
  });

  it("adds each condition's reason and message with show_details", async () => {
    const web = deployment("web", {
      status: { conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: 'ReplicaSet "web-7d9" has timed out progressing.' }] },
    });
    const ctx = new TestContext();
    await statusEnricher(resourceEvent(web), ctx, { showDetails: true });
    expect(ctx.blocks[0]).toMatchObject({
      name: "Deployment status details",
      headers: ["Type", "Status", "Reason", "Message"],
      rows: [["Progressing", "False", "ProgressDeadlineExceeded", 'ReplicaSet "web-7d9" has timed out progressing.']],
    });
  });

  it("adds nothing for a resource without conditions, and warns when there is no resource", async () => {
    const ctx = new TestContext();
    await statusEnricher(resourceEvent(deployment("web", { status: {} })), ctx);
    await statusEnricher(alertNamingNothing(), ctx);
    expect(ctx.enrichments).toEqual([]);
    expect(ctx.logger.entries).toContainEqual(expect.objectContaining({ level: "warn", message: "status_enricher: the event carries no resource" }));
  });
});

describe("get_resource_yaml", () => {
  it("attaches the object as <kind>-<name>.yaml, without managedFields", async () => {
    const web = deployment("web");
    const managed = { ...web, metadata: { ...web.metadata, managedFields: [{ manager: "kubectl", operation: "Update" }] } };
    const ctx = new TestContext();
    await getResourceYaml(resourceEvent(managed), ctx);
    const [note, file] = ctx.blocks as [MarkdownBlock, FileBlock];
    expect(note.text).toBe(`Your YAML file for Deployment ${NS}/web`);
    expect(file.filename).toBe("deployment-web.yaml");
    const parsed = parse(file.contents);
    expect(parsed.metadata.managedFields).toBeUndefined();
    expect(parsed).toMatchObject({ kind: "Deployment", metadata: { name: "web", namespace: NS }, spec: { replicas: 3 } });
  });

  it("names a cluster-scoped object without a namespace", async () => {
    const ctx = new TestContext();
    await getResourceYaml(resourceEvent(fixtures.node({ name: "node-1" })), ctx);
    expect((ctx.blocks[0] as MarkdownBlock).text).toBe("Your YAML file for Node node-1");
    expect((ctx.blocks[1] as FileBlock).filename).toBe("node-node-1.yaml");
  });

  it("adds nothing when the event has no object", async () => {
    const ctx = new TestContext();
    await getResourceYaml(alertNamingNothing(), ctx);
    expect(ctx.enrichments).toEqual([]);
  });
});

describe("related_pods", () => {
  const web = deployment("web");
  const withResources = (pod: Pod): Pod => ({
    ...pod,
    spec: { ...pod.spec, containers: [{ name: "app", resources: { requests: { cpu: "250m", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } } }] },
    status: { ...pod.status, podIPs: [{ ip: "10.0.0.7" }] },
  });
  const mine = withResources(podOf(web, "web-1", { nodeName: "node-1" }));
  const cluster = () =>
    clusterWith(web, mine, fixtures.pod({ name: "api-1", namespace: NS }), fixtures.pod({ name: "web-2", namespace: "staging", labels: { app: "web" } }));

  it('lists the pods the workload\'s selector picks, in its namespace, as a "related pods" table', async () => {
    const ctx = new TestContext(cluster(), { cluster_name: "prod-eu" });
    await relatedPods(resourceEvent(web), ctx);
    const [table] = ctx.blocks as TableBlock[];
    expect(table?.name).toBe("related pods");
    expect(table?.headers).toEqual([
      "name", "namespace", "cluster", "node", "cpu limit", "cpu request", "memory limit", "memory request",
      "creation_time", "restarts", "addresses", "containers", "status", "status reason",
    ]);
    expect(table?.rows).toEqual([["web-1", NS, "prod-eu", "node-1", 1, 0.25, 256, 128, "2026-01-01T00:00:00Z", 0, "10.0.0.7", 1, "Running", null]]);
  });

  it("gives structured data with output_format json, and at most `limit` pods", async () => {
    const ctx = new TestContext(cluster().apply(podOf(web, "web-3")));
    await relatedPods(resourceEvent(web), ctx, { outputFormat: "json", limit: 1 });
    const [block] = ctx.blocks as JsonBlock[];
    const pods = block!.value as { name: string; containers: { name: string; status: string }[] }[];
    expect(pods).toHaveLength(1);
    expect(pods[0]).toMatchObject({ name: "web-1", cpuRequest: 0.25, memoryLimit: 256, containers: [{ name: "app", status: "running" }] });
  });

  it("honours the selector's matchExpressions: In, NotIn, Exists, DoesNotExist", async () => {
    const matchExpressions = [
      { key: "track", operator: "In", values: ["stable", "beta"] },
      { key: "track", operator: "NotIn", values: ["beta"] },
      { key: "tier", operator: "Exists" },
      { key: "legacy", operator: "DoesNotExist" },
    ];
    const selective = { ...web, spec: { ...web.spec!, selector: { matchLabels: { app: "web" }, matchExpressions } } };
    const labelled = (name: string, labels: Record<string, string>) => fixtures.pod({ name, namespace: NS, labels: { app: "web", ...labels } });
    const ctx = new TestContext(
      clusterWith(
        labelled("web-stable", { track: "stable", tier: "api" }),
        labelled("web-canary", { track: "canary", tier: "api" }),
        labelled("web-beta", { track: "beta", tier: "api" }),
        labelled("web-untiered", { track: "stable" }),
        labelled("web-legacy", { track: "stable", tier: "api", legacy: "true" }),
      ),
    );
    await relatedPods(resourceEvent(selective), ctx);
    expect((ctx.blocks[0] as TableBlock).rows.map((row) => row[0])).toEqual(["web-stable"]);
  });

  it("finds a job's pods by its controller-uid label", async () => {
    const backup = job("backup");
    const ctx = new TestContext(clusterWith(podOf(backup, "backup-x1"), fixtures.pod({ name: "backup-other", namespace: NS, labels: { "job-name": "other" } })));
    await relatedPods(resourceEvent(backup), ctx);
    expect((ctx.blocks[0] as TableBlock).rows.map((row) => row[0])).toEqual(["backup-x1"]);
  });

  it("fails, naming the kind, for a resource that has no pods", async () => {
    const ctx = new TestContext();
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: NS } };
    await expect(relatedPods(resourceEvent(service), ctx)).rejects.toThrow("related_pods does not support Service");
  });
});

describe("resource_events_enricher", () => {
  const web = deployment("web");
  const pending = { ...podOf(web, "web-1"), status: { phase: "Pending" } };
  const running = podOf(web, "web-2");
  const cluster = () =>
    clusterWith(web, pending, running)
      .addEvents(
        normalEvent(web, "ScalingReplicaSet", "Scaled up replica set web-7d9 to 3", "2026-01-01T00:00:01Z"),
        fixtures.warningEvent(pending, "FailedScheduling", "0/3 nodes are available: 3 Insufficient cpu.", { time: "2026-01-01T00:00:02Z" }),
        normalEvent(running, "Pulled", "Container image pulled", "2026-01-01T00:00:03Z"),
      );

  it('adds the resource\'s own events as a "<Kind> Events" table', async () => {
    const ctx = new TestContext(cluster());
    await resourceEventsEnricher(resourceEvent(web), ctx);
    expect(ctx.enrichments).toHaveLength(1);
    expect(ctx.enrichments[0]?.options).toEqual({ title: "Resource Events", enrichmentType: "k8s_events" });
    expect(ctx.blocks[0]).toMatchObject({
      name: "Deployment Events",
      headers: ["reason", "type", "time", "kind", "name", "message"],
      rows: [["ScalingReplicaSet", "Normal", "2026-01-01T00:00:01Z", "deployment", "web", "Scaled up replica set web-7d9 to 3"]],
    });
  });

  it("merges in the events of max_pods pods with dependent_pod_mode, those not running first, oldest first", async () => {
    const ctx = new TestContext(cluster());
    await resourceEventsEnricher(resourceEvent(web), ctx, { dependentPodMode: true, maxPods: 1 });
    expect((ctx.blocks[0] as TableBlock).rows.map((row) => [row[0], row[4]])).toEqual([
      ["ScalingReplicaSet", "web"],
      ["FailedScheduling", "web-1"],
    ]);
  });

  it("keeps the most recent max_events of the included types", async () => {
    const ctx = new TestContext(cluster());
    await resourceEventsEnricher(resourceEvent(web), ctx, { dependentPodMode: true, maxPods: 2, maxEvents: 2 });
    await resourceEventsEnricher(resourceEvent(web), ctx, { dependentPodMode: true, maxPods: 2, includedTypes: ["Normal"] });
    const [latest, normal] = ctx.blocks as TableBlock[];
    expect(latest?.rows.map((row) => row[0])).toEqual(["FailedScheduling", "Pulled"]);
    expect(normal?.rows.map((row) => row[0])).toEqual(["ScalingReplicaSet", "Pulled"]);
  });

  it("adds nothing when there are no events or no resource", async () => {
    const ctx = new TestContext(new InMemoryCluster());
    await resourceEventsEnricher(resourceEvent(web), ctx);
    await resourceEventsEnricher(alertNamingNothing(), ctx);
    expect(ctx.enrichments).toEqual([]);
  });
});
