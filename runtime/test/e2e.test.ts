/**
 * End to end over real HTTP: the runner listens on loopback, Alertmanager's own payload and a
 * kubewatch CloudEvent are posted to it, and the findings are read back from the file sink.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectPlaybooks } from "@robusta-ts/sdk";
import { InMemoryCluster, fixtures } from "@robusta-ts/sdk/testing";
import * as alertEnrichment from "../../examples/alert-enrichment/playbooks/index.js";
import * as crashLoops from "../../examples/crash-loops/playbooks/index.js";
import { Runtime } from "../src/runtime.js";
import { FileSink } from "../src/sinks/file-sink.js";
import { createLogger } from "../src/logging.js";

const samplePath = new URL("../../../shared/fixtures/alertmanager-webhook-sample.json", import.meta.url);

let dir: string;
let runtime: Runtime;
let url: string;
let findingsFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "robusta-e2e-"));
  findingsFile = join(dir, "findings.jsonl");
  // The pod the sample alert names: demo/web-0, container app, crash-looping, with logs and events.
  const healthy = fixtures.pod({ name: "web-0", namespace: "demo", ownerReplicaSet: "web-6d4f" });
  const crashing = fixtures.crashLoopingPod(healthy, { restartCount: 5 });
  const cluster = new InMemoryCluster()
    .apply(crashing)
    .setLogs("demo", "web-0", "app", { current: "starting\n", previous: "starting\nERROR db timeout\n" })
    .addEvents(fixtures.warningEvent(crashing, "BackOff", "Back-off restarting failed container app"));
  runtime = new Runtime({
    playbooks: [...collectPlaybooks(crashLoops), ...collectPlaybooks(alertEnrichment)],
    cluster,
    sinks: [new FileSink("file", findingsFile, "e2e-cluster")],
    logger: createLogger("silent"),
    options: { host: "127.0.0.1", port: 0, clusterName: "e2e-cluster" },
  });
  ({ url } = await runtime.listen());
});

afterEach(async () => {
  await runtime.close();
  await rm(dir, { recursive: true, force: true });
});

async function findings(): Promise<Record<string, any>[]> {
  await runtime.idle();
  const text = await readFile(findingsFile, "utf8").catch(() => "");
  return text.split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

const post = (path: string, body: string) =>
  fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });

/**
 * A POST through node:http, which reports the response even when the server answers before the
 * body is sent and then closes the connection (as it does for an oversized body, like most servers).
 */
function postStatus(path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (error) => (answered ? undefined : reject(error)));
    req.end(body);
  });
}

describe("the runner end to end", () => {
  it("enriches the alert Alertmanager sent with the pod's logs, events and labels", async () => {
    const response = await post("/api/alerts", await readFile(samplePath, "utf8"));
    expect(response.status).toBe(200);

    const [finding, ...rest] = await findings();
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      title: "Pod demo/web-0 is crash looping",
      status: "firing",
      cluster_name: "e2e-cluster",
      severity: "LOW",
      source: "PROMETHEUS",
      aggregation_key: "KubePodCrashLooping",
      fingerprint: "2387a8db49b9ec4e",
      starts_at: "2026-11-23T01:21:32.130594397Z",
      ends_at: null,
      subject: { name: "web-0", kind: "pod", namespace: "demo" },
      links: [{ name: "View Graph", url: "http://127.0.0.1:19090/graph", type: "prometheus_generator_url" }],
    });
    expect(finding!.enrichments.map((e: { title: string }) => e.title)).toEqual(["Logs", "Pod events", "Alert labels"]);
    expect(finding!.enrichments[0].blocks[0]).toMatchObject({ type: "file", filename: "web-0.log", contents: "starting\nERROR db timeout\n" });
    expect(finding!.enrichments[2].blocks[0].rows).toContainEqual(["alertname", "KubePodCrashLooping"]);
  });

  it("reports a crash loop the forwarder posts as a kubewatch CloudEvent", async () => {
    const before = fixtures.pod({ name: "web-0", namespace: "demo", ownerReplicaSet: "web-6d4f" });
    const after = fixtures.crashLoopingPod(before, { restartCount: 5 });
    const cloudEvent = {
      specversion: "1.0",
      type: "KUBERNETES_TOPOLOGY_CHANGE",
      source: "https://github.com/aantn/kubewatch",
      id: "1700000000-1",
      time: "2026-11-23T01:21:32.123456789Z",
      datacontenttype: "application/json",
      data: { operation: "update", kind: "Pod", clusterUid: "TODO", description: "A `Pod` in namespace `demo` has been `Updated`:\n`web-0`", apiVersion: "v1", obj: after, oldObj: before },
    };
    expect((await post("/api/handle", JSON.stringify(cloudEvent))).status).toBe(200);

    const [finding] = await findings();
    expect(finding).toMatchObject({ title: "Crashing pod web-0 in namespace demo", severity: "HIGH", aggregation_key: "CrashLoopBackoff", source: "KUBERNETES_API_SERVER" });
    expect(finding!.enrichments.map((e: { title: string }) => e.title)).toEqual(["Crash info", "Logs", "Pod events"]);
  });

  it("keeps serving after refusing malformed and oversized requests", async () => {
    expect((await post("/api/alerts", "not json")).status).toBe(400);
    expect((await post("/api/handle", JSON.stringify({ data: { operation: "update" } }))).status).toBe(400);
    expect(await postStatus("/api/alerts", JSON.stringify({ alerts: [], padding: "x".repeat(3 * 1024 * 1024) }))).toBe(413);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await post("/api/alerts", await readFile(samplePath, "utf8"))).status).toBe(200);
    expect(await findings()).toHaveLength(1);
  });
});
