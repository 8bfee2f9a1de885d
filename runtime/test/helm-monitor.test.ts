import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ActionRegistry,
  definePlaybook,
  Engine,
  markdown,
  onHelmReleaseFail,
  onHelmReleaseUnhealthy,
  onPodCrashLoop,
  type HelmRelease,
  type HelmReleaseEvent,
  type HelmReleaseStatus,
  type PlaybookDefinition,
} from "@robusta-ts/sdk";
import { InMemoryCluster, MemoryLogger, fixtures } from "@robusta-ts/sdk/testing";
import { startFakeApiServer } from "../../test/support/fake-apiserver.js";
import { waitFor } from "../../test/support/wait-for.js";
import { decodeHelmRelease, HelmMonitoring, HelmReleaseDecodeError, HelmReleaseMonitor, helmSecretsFromApi, helmSecretsFromCluster } from "../src/helm/index.js";
import { KubeApiClient } from "../src/kubernetes/api-client.js";
import { KubeCluster } from "../src/kubernetes/kube-cluster.js";
import { testRuntime } from "./helpers.js";

const START = "2026-01-01T10:00:00.000Z";
const SECOND = 1000;

/** A release Secret as Helm writes it: the release's JSON, gzipped, base64'd by Helm, base64'd again as a Secret value. */
function helmSecret(record: Record<string, unknown>, labels: Record<string, string>, extra: { type?: string } = {}) {
  const helmEncoded = gzipSync(JSON.stringify(record)).toString("base64");
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: extra.type ?? "helm.sh/release.v1",
    metadata: { name: `sh.helm.release.v1.${labels.name}.v${labels.version}`, namespace: "shop", resourceVersion: "81234", labels: { owner: "helm", ...labels } },
    data: { release: Buffer.from(helmEncoded).toString("base64") },
  };
}

const shopRecord = {
  name: "shop",
  namespace: "shop",
  version: 3,
  info: {
    first_deployed: "2025-11-02T09:15:01.123456789+01:00",
    last_deployed: "2026-01-01T11:00:00.5+01:00",
    deleted: "",
    description: "Upgrade \"shop\" failed: context deadline exceeded",
    status: "failed",
    notes: "Visit http://shop.example",
  },
  chart: {
    metadata: { apiVersion: "v2", name: "shop", version: "2.4.1", appVersion: "1.9.0", description: "The shop" },
    templates: [{ name: "templates/deployment.yaml", data: "YXBpVmVyc2lvbjogYXBwcy92MQ==" }],
    values: { replicas: 2 },
  },
  config: { image: { tag: "1.9.0" } },
  manifest: "---\n# Source: shop/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\n",
  hooks: [],
};

describe("decoding a Helm release Secret", () => {
  it("reads the release, its chart and its times (normalised to UTC) from the double base64 of gzipped JSON", () => {
    const secret = helmSecret(shopRecord, { name: "shop", status: "failed", version: "3" });
    expect(decodeHelmRelease(secret.data.release)).toEqual({
      name: "shop",
      namespace: "shop",
      revision: 3,
      status: "failed",
      chart: { name: "shop", version: "2.4.1", appVersion: "1.9.0", description: "The shop" },
      firstDeployed: "2025-11-02T08:15:01.123Z",
      lastDeployed: "2026-01-01T10:00:00.500Z",
      description: 'Upgrade "shop" failed: context deadline exceeded',
      notes: "Visit http://shop.example",
    });
  });

  it("reads what the SDK's fixture writes", () => {
    const release = fixtures.helmRelease({ name: "api", namespace: "prod", revision: 12, status: "pending-upgrade", lastDeployed: START });
    expect(decodeHelmRelease(fixtures.helmReleaseSecret(release).data.release)).toEqual(release);
  });

  it("says what is wrong with a record it cannot read", () => {
    const bad = helmSecret({ ...shopRecord, info: { ...shopRecord.info, status: "exploded" } }, { name: "shop", version: "3" });
    expect(() => decodeHelmRelease(bad.data.release)).toThrow(HelmReleaseDecodeError);
    expect(() => decodeHelmRelease(bad.data.release)).toThrow(/^info\.status: /);
    expect(() => decodeHelmRelease(Buffer.from("not base64 of gzip").toString("base64"))).toThrow(/not JSON/);
  });
});

/** A monitor over an in-memory cluster on fake time; `events` gets what it submits. */
function monitorOf(cluster = new InMemoryCluster(), options: { accept?: () => boolean; intervalSec?: number } = {}) {
  const events: HelmReleaseEvent[] = [];
  const logger = new MemoryLogger();
  const monitor = new HelmReleaseMonitor({
    secrets: helmSecretsFromCluster(cluster),
    submit: (submitted) => {
      if (options.accept && !options.accept()) return false;
      events.push(...submitted);
      return true;
    },
    logger,
    clock: { now: () => new Date() },
    intervalSec: options.intervalSec ?? 30,
  });
  return { monitor, cluster, events, logger };
}

/** An engine running `playbooks`, on the (fake) system time. */
const engineOf = (cluster: InMemoryCluster, ...playbooks: PlaybookDefinition[]) =>
  new Engine({ playbooks, actions: new ActionRegistry([]), cluster, logger: new MemoryLogger(), clock: { now: () => new Date() }, defaultSinks: ["main"] });

const release = (name: string, revision: number, status: HelmReleaseStatus, extra: Partial<HelmRelease> = {}) =>
  fixtures.helmRelease({ name, namespace: "shop", revision, status, lastDeployed: new Date().toISOString(), ...extra });
const put = (cluster: InMemoryCluster, ...releases: HelmRelease[]) => cluster.apply(...releases.map((r) => fixtures.helmReleaseSecret(r)));
const summary = (events: HelmReleaseEvent[]) => events.map((e) => `${e.helmRelease.name}#${e.helmRelease.revision} ${e.helmRelease.status}`);

describe("the Helm release monitor", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reports the newest revision of each release (by number: v10 after v9)", async () => {
    const { monitor, cluster, events } = monitorOf();
    put(cluster, release("shop", 9, "failed"), release("shop", 10, "pending-upgrade"), release("cart", 1, "pending-install"));
    await monitor.poll();
    expect(summary(events).sort()).toEqual(["cart#1 pending-install", "shop#10 pending-upgrade"]);
  });

  it("reports a pending release at every poll, with the time it was first seen so", async () => {
    const { monitor, cluster, events } = monitorOf();
    put(cluster, release("shop", 2, "pending-upgrade", { lastDeployed: "2026-01-01T08:00:00Z" }));
    monitor.start();
    await vi.advanceTimersByTimeAsync(65 * SECOND);
    expect(events).toHaveLength(3);
    expect(events.map((e) => e.statusSince)).toEqual([START, START, START]);
    monitor.stop();
  });

  it("reports a release turning failed or deployed once, and not those so before it first looked", async () => {
    const { monitor, cluster, events } = monitorOf();
    put(cluster, release("old-failure", 4, "failed"), release("steady", 7, "deployed"), release("shop", 2, "pending-upgrade"));
    await monitor.poll();
    expect(summary(events)).toEqual(["shop#2 pending-upgrade"]);
    events.length = 0;
    put(cluster, release("shop", 2, "failed"));
    await monitor.poll();
    await monitor.poll();
    expect(summary(events)).toEqual(["shop#2 failed"]);
    put(cluster, release("shop", 3, "deployed"));
    await monitor.poll();
    expect(summary(events)).toEqual(["shop#2 failed", "shop#3 deployed"]);
  });

  it("reports a change again when the intake queue refused it", async () => {
    let accept = true;
    const { monitor, cluster, events } = monitorOf(new InMemoryCluster(), { accept: () => accept });
    await monitor.poll();
    put(cluster, release("shop", 1, "failed"));
    accept = false;
    await monitor.poll();
    accept = true;
    await monitor.poll();
    expect(summary(events)).toEqual(["shop#1 failed"]);
    expect(monitor.stats.refusedEvents).toBe(1);
  });

  it("fires on_helm_release_unhealthy through the engine once a release has stayed pending for `duration`, then keeps to rate_limit", async () => {
    const cluster = new InMemoryCluster();
    const engine = engineOf(cluster, definePlaybook({ name: "stuck", triggers: [onHelmReleaseUnhealthy({ rateLimit: 3600, duration: 120 })], run: () => undefined }));
    const fired: string[] = [];
    const monitor = new HelmReleaseMonitor({
      secrets: helmSecretsFromCluster(cluster),
      submit: (submitted) => {
        for (const event of submitted) void engine.handle(event).then((result) => result.runs.forEach(() => fired.push(new Date().toISOString())));
        return true;
      },
      logger: new MemoryLogger(),
      clock: { now: () => new Date() },
    });
    // Pending since long before the runner started: counted from the first look.
    put(cluster, release("shop", 5, "pending-rollback", { lastDeployed: "2026-01-01T09:00:00Z" }));
    monitor.start();
    await vi.advanceTimersByTimeAsync(90 * SECOND);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(30 * SECOND);
    expect(fired).toEqual(["2026-01-01T10:02:00.000Z"]);
    await vi.advanceTimersByTimeAsync(3000 * SECOND);
    expect(fired).toHaveLength(1);
    monitor.stop();
  });

  it("logs a record it cannot read once, skips it, and keeps reporting the others", async () => {
    const { monitor, cluster, events, logger } = monitorOf();
    const broken = fixtures.helmReleaseSecret(release("broken", 1, "pending-install"));
    cluster.apply({ ...broken, data: { release: Buffer.from("H4sIAAAA-garbage").toString("base64") } });
    put(cluster, release("shop", 1, "pending-install"));
    await monitor.poll();
    await monitor.poll();
    expect(summary(events)).toEqual(["shop#1 pending-install", "shop#1 pending-install"]);
    const warnings = logger.entries.filter((e) => e.level === "warn");
    expect(warnings).toEqual([expect.objectContaining({ message: "cannot read a Helm release Secret: skipped", fields: expect.objectContaining({ secret: "shop/sh.helm.release.v1.broken.v1" }) })]);
    expect(monitor.stats.decodeFailures).toBe(2);
  });

  it("keeps polling after the Secrets cannot be listed, and reports once they can", async () => {
    const { monitor, cluster, events, logger } = monitorOf();
    put(cluster, release("shop", 1, "pending-install"));
    cluster.failOn("list", new Error('secrets is forbidden: User "system:serviceaccount:robusta:runner" cannot list resource "secrets"'));
    monitor.start();
    await vi.advanceTimersByTimeAsync(61 * SECOND);
    expect(events).toEqual([]);
    expect(monitor.stats.listFailures).toBe(3);
    expect(logger.entries.filter((e) => e.level === "warn").map((e) => e.fields.reason)).toEqual([expect.stringContaining("forbidden")]);
    cluster.failOn("list", undefined);
    await vi.advanceTimersByTimeAsync(30 * SECOND);
    expect(summary(events)).toEqual(["shop#1 pending-install"]);
    monitor.stop();
  });

  it("forgets releases that are gone", async () => {
    const { monitor, cluster } = monitorOf();
    put(cluster, release("shop", 1, "deployed"), release("cart", 1, "deployed"));
    await monitor.poll();
    expect(monitor.stats.releases).toBe(2);
    cluster.remove("Secret", "sh.helm.release.v1.cart.v1", "shop");
    await monitor.poll();
    expect(monitor.stats.releases).toBe(1);
  });
});

describe("reading release Secrets from the API server", () => {
  it("gets their values intact, where the playbooks' Cluster redacts them, and leaves superseded revisions out", async () => {
    const releases = [release("shop", 1, "superseded"), release("shop", 2, "deployed"), release("cart", 1, "failed")];
    const server = await startFakeApiServer({
      served: [{ group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true }],
      objects: [...releases.map((r) => fixtures.helmReleaseSecret(r)), { apiVersion: "v1", kind: "Secret", metadata: { name: "db-password", namespace: "shop" }, data: { password: "aHVudGVyMg==" } } as never],
    });
    try {
      const client = new KubeApiClient(server.kubeconfig());
      const secrets = await helmSecretsFromApi(client)();
      expect(secrets.map((s) => s.metadata?.name).sort()).toEqual(["sh.helm.release.v1.cart.v1", "sh.helm.release.v1.shop.v2"]);
      expect(secrets.map((s) => decodeHelmRelease(s.data!.release!)).sort((a, b) => a.name.localeCompare(b.name))).toEqual([releases[2], releases[1]]);
      const redacted = (await new KubeCluster(client).list("Secret", { labelSelector: "owner=helm" })) as { data?: Record<string, string> }[];
      expect(redacted.every((s) => s.data?.release === "[redacted]")).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe("Helm monitoring in the runner", () => {
  const helmPlaybook = definePlaybook({ name: "helm-failures", triggers: [onHelmReleaseFail()], run: () => undefined });
  const podPlaybook = definePlaybook({ name: "crashes", triggers: [onPodCrashLoop()], run: () => undefined });
  const engineWith = (...playbooks: PlaybookDefinition[]) => engineOf(new InMemoryCluster(), ...playbooks);

  it("reads releases only while a playbook has a Helm release trigger", () => {
    const logger = new MemoryLogger();
    const helm = new HelmMonitoring({ enabled: true, intervalSec: 30, secrets: async () => [], submit: () => true, logger });
    helm.update(engineWith(podPlaybook));
    expect(helm.active).toBe(false);
    helm.update(engineWith(podPlaybook, helmPlaybook));
    expect(helm.active).toBe(true);
    helm.update(engineWith(podPlaybook));
    expect(helm.active).toBe(false);
    helm.stop();
  });

  it("with DISABLE_HELM_MONITORING, reads nothing and warns once which playbooks will not fire", () => {
    const logger = new MemoryLogger();
    const helm = new HelmMonitoring({ enabled: false, intervalSec: 30, secrets: async () => [], submit: () => true, logger });
    helm.update(engineWith(helmPlaybook));
    helm.update(engineWith(helmPlaybook));
    expect(helm.active).toBe(false);
    expect(logger.entries.filter((e) => e.level === "warn")).toEqual([
      expect.objectContaining({ message: expect.stringContaining("DISABLE_HELM_MONITORING"), fields: { playbooks: ["helm-failures"] } }),
    ]);
  });

  it("a playbook on on_helm_release_fail gets a finding when a release fails, through the runtime's pipeline", async () => {
    const cluster = new InMemoryCluster();
    const playbook = definePlaybook({
      name: "helm-failures",
      triggers: [onHelmReleaseFail({ namespace: "shop" })],
      run: (event, ctx) => ctx.addEnrichment([markdown(`${event.helmRelease.name}: ${event.helmRelease.description ?? ""}`)]),
    });
    const { runtime, sink } = testRuntime({ playbooks: [playbook], cluster });
    await runtime.listen();
    const monitor = new HelmReleaseMonitor({
      secrets: helmSecretsFromCluster(cluster),
      submit: (events) => runtime.submit(...events),
      logger: runtime.logger,
      clock: { now: () => new Date() },
    });
    put(cluster, release("shop", 2, "pending-upgrade"));
    await monitor.poll();
    put(cluster, release("shop", 2, "failed", { description: "Upgrade \"shop\" failed: timed out waiting for the condition" }));
    await monitor.poll();
    const finding = await waitFor("the finding", () => sink.findings[0]);
    expect(finding.title).toBe("Helm release shop/shop - version: 1.0.0 - status: failed");
    expect(finding.enrichments[0]?.blocks).toEqual([markdown('shop: Upgrade "shop" failed: timed out waiting for the condition')]);
    await runtime.idle();
    expect(sink.findings).toHaveLength(1);
    await runtime.close();
  });
});
