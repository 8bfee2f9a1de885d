/** The Cluster playbooks use, over the API (a loopback fake that speaks it), and the runner on top of it. */
import { afterEach, describe, expect, it } from "vitest";
import { collectPlaybooks, ownerChain, type Pod } from "@robusta-ts/sdk";
import { fixtures } from "@robusta-ts/sdk/testing";
import * as crashLoops from "../../../examples/crash-loops/playbooks/index.js";
import { startFakeApiServer, type FakeApiServer } from "../../../test/support/fake-apiserver.js";
import { waitFor } from "../../../test/support/wait-for.js";
import { KubeApiClient } from "../../src/kubernetes/api-client.js";
import { createWatches } from "../../src/kubernetes/index.js";
import { KubeCluster } from "../../src/kubernetes/kube-cluster.js";
import { CapturingSink, testRuntime } from "../helpers.js";

let server: FakeApiServer;
afterEach(async () => server?.close());

const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "demo", uid: "d-1" }, spec: { template: {} } };
const replicaSet = {
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  metadata: { name: "web-6d4f", namespace: "demo", uid: "rs-1", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "d-1", controller: true }] },
};
const pod = fixtures.pod({ name: "web-6d4f-abcde", namespace: "demo", ownerReplicaSet: "web-6d4f", labels: { app: "web" } });

async function cluster(objects: object[] = [deployment, replicaSet, pod]) {
  server = await startFakeApiServer({ objects: objects as Pod[] });
  return new KubeCluster(new KubeApiClient(server.kubeconfig()));
}

describe("KubeCluster", () => {
  it("reads objects as plain JSON, and answers undefined for one that does not exist", async () => {
    const c = await cluster();
    const read = await c.get("Pod", "web-6d4f-abcde", "demo");
    expect(read).toMatchObject({ kind: "Pod", apiVersion: "v1", metadata: { name: "web-6d4f-abcde", namespace: "demo" }, status: { phase: "Running" } });
    expect(typeof read?.metadata?.creationTimestamp).toBe("string");
    expect(await c.get("Pod", "nope", "demo")).toBeUndefined();
    await expect(c.get("Widget", "x", "demo")).rejects.toThrow("unknown kind Widget");
  });

  it("lists by label selector, across pages", async () => {
    const many = Array.from({ length: 1200 }, (_, i) => fixtures.pod({ name: `p-${i}`, namespace: "big", labels: { app: i % 2 ? "odd" : "even" } }));
    const c = await cluster(many);
    const odd = await c.list("Pod", { namespace: "big", labelSelector: "app=odd" });
    expect(odd).toHaveLength(600);
    expect(odd.every((p) => p.kind === "Pod" && p.metadata?.labels?.app === "odd")).toBe(true);
    expect(server.count({ pathPrefix: "/api/v1/namespaces/big/pods", watch: false })).toBeGreaterThan(1);
  });

  it("finds an object's events through events.k8s.io, and follows the owner chain", async () => {
    const c = await cluster([deployment, replicaSet, pod, fixtures.warningEvent(pod, "BackOff", "Back-off restarting"), fixtures.warningEvent(replicaSet as never, "Other", "not the pod's")]);
    const events = await c.events({ kind: "Pod", name: pod.metadata!.name!, namespace: "demo" });
    expect(events.map((e) => e.reason)).toEqual(["BackOff"]);
    expect((await ownerChain(c, pod)).map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(["ReplicaSet/web-6d4f", "Deployment/web"]);
  });

  it("names what failed when the server refuses", async () => {
    const c = await cluster();
    server.failNext({ pathPrefix: "/api/v1/namespaces/demo/pods/", status: 403 });
    await expect(c.get("Pod", "web-6d4f-abcde", "demo")).rejects.toThrow(/^GET \/api\/v1\/namespaces\/demo\/pods\/web-6d4f-abcde: 403 /);
  });
});

describe("the runner against a cluster", () => {
  it("reports a pod that starts crash-looping, seen through its own watch, enriched from the cluster", async () => {
    const c = await cluster();
    const sink = new CapturingSink();
    const { runtime } = testRuntime({ playbooks: collectPlaybooks(crashLoops), cluster: c, sinks: [sink] });
    const watches = createWatches(new KubeApiClient(server.kubeconfig()), runtime.options, runtime.logger, runtime.metrics, (change) => runtime.submit(change));
    runtime.addProbe(watches);
    await runtime.listen();
    expect(await watches.start(runtime.engine.watchedKinds)).toEqual(["Pod"]);
    await waitFor("the watch to sync", () => watches.notReady().length === 0 && server.openWatches === 1);
    expect((await runtime.app.request("/readyz")).status).toBe(200);
    server.modify("v1", "Pod", pod.metadata!.name!, "demo", (p) => {
      p.status = fixtures.crashLoopingPod(p as Pod, { restartCount: 4 }).status;
    });
    await waitFor("the finding", () => sink.findings.length === 1);
    await runtime.idle();
    expect(sink.findings[0]?.title).toBe("Crashing pod web-6d4f-abcde in namespace demo");
    // The fake serves no pod logs: the log enricher says why there is none, and the finding still goes out.
    expect(sink.findings[0]?.enrichments.map((e) => e.title)).toEqual(["Crash info", "Logs"]);
    await watches.stop();
    await runtime.close();
  });
});
