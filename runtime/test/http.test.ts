import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { definePlaybook, markdown, type Finding, onPodUpdate, onPrometheusAlert } from "@robusta-ts/sdk";
import { fixtures } from "@robusta-ts/sdk/testing";
import { VirtualDeliveryClock } from "../src/delivery/clock.js";
import { DeliveryError } from "../src/delivery/delivery-error.js";
import { json, testRuntime } from "./helpers.js";

const sample = JSON.parse(readFileSync(new URL("../../../shared/fixtures/alertmanager-webhook-sample.json", import.meta.url), "utf8"));

const alertPlaybook = definePlaybook({
  name: "alerts",
  triggers: [onPrometheusAlert({ status: "all" })],
  run: (event, ctx) => ctx.addEnrichment([markdown(`saw ${event.alertName} ${event.status}`)]),
});
const podPlaybook = definePlaybook({
  name: "pods",
  triggers: [onPodUpdate()],
  run: (event, ctx) => ctx.addEnrichment([markdown(`saw ${event.pod.metadata?.name}`)]),
});

function cloudEvent(operation = "update") {
  const before = fixtures.pod({ name: "web-0", namespace: "demo" });
  const after = fixtures.crashLoopingPod(before);
  const { kind: _k, apiVersion: _a, ...obj } = after; // kubewatch's typed informers omit them
  return { specversion: "1.0", type: "KUBERNETES_TOPOLOGY_CHANGE", source: "https://github.com/aantn/kubewatch", id: "1-1", data: { operation, kind: "Pod", apiVersion: "v1", clusterUid: "TODO", description: "A `Pod` in namespace `demo` has been `Updated`:\n`web-0`", obj, oldObj: before } };
}

describe("POST /api/alerts", () => {
  it("accepts what Alertmanager sends and dispatches each alert", async () => {
    const { runtime, sink } = testRuntime({ playbooks: [alertPlaybook] });
    const response = await runtime.app.request("/api/alerts", json(sample));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: true });
    await runtime.idle();
    expect(sink.findings.map((f) => [f.title, f.fingerprint])).toEqual([["Pod demo/web-0 is crash looping", "2387a8db49b9ec4e"]]);
  });

  it("answers 400 naming the bad field, and keeps serving", async () => {
    const { runtime } = testRuntime({ playbooks: [alertPlaybook] });
    const bad = { ...sample, alerts: [{ ...sample.alerts[0], status: "burning", labels: { severity: "warning" } }] };
    const response = await runtime.app.request("/api/alerts", json(bad));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { msg: string; issues: { path: string }[] };
    expect(body.issues.map((i) => i.path)).toEqual(["alerts[0].status", "alerts[0].labels"]);
    expect(body.msg).toMatch(/^invalid Alertmanager webhook: alerts\[0\]\.status: .*; alerts\[0\]\.labels: must have an alertname label$/);
    expect((await runtime.app.request("/api/alerts", json(sample))).status).toBe(200);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const { runtime } = testRuntime();
    const response = await runtime.app.request("/api/alerts", json("{\"alerts\": [", {}));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { msg: string }).msg).toMatch(/^body is not valid JSON: /);
  });

  it("answers 413 for a body over the limit", async () => {
    const { runtime } = testRuntime({ options: { bodyLimitBytes: 1024 } });
    const big = { ...sample, commonAnnotations: { description: "x".repeat(2000) } };
    const response = await runtime.app.request("/api/alerts", json(big));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ success: false, msg: "request body is larger than the limit of 1024 bytes" });
  });

  it("answers 413 for a chunked body (no Content-Length) once it grows over the limit", async () => {
    const { runtime } = testRuntime({ options: { bodyLimitBytes: 1024 } });
    const chunks = [JSON.stringify(sample).slice(0, 600), "x".repeat(600)];
    const body = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const response = await runtime.app.request("/api/alerts", { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" } as RequestInit);
    expect(response.status).toBe(413);
  });

  it("answers 503 with Retry-After when the queue cannot take every alert of a payload, and counts it", async () => {
    const blocked = definePlaybook({ name: "slow", triggers: [onPrometheusAlert()], run: () => new Promise((resolve) => setTimeout(resolve, 50)) });
    const { runtime, logger } = testRuntime({ playbooks: [blocked], options: { queueCapacity: 2, workers: 1 } });
    const three = fixtures.alertmanagerPayload([fixtures.alert({ name: "A" }), fixtures.alert({ name: "B" }), fixtures.alert({ name: "C" })]);
    const response = await runtime.app.request("/api/alerts", json(three));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(((await response.json()) as { msg: string }).msg).toBe("the intake queue is full; 3 event(s) not accepted, retry later");
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: "warn", message: "request refused", fields: expect.objectContaining({ status: 503 }) }));
    const metrics = await (await runtime.app.request("/metrics")).text();
    expect(metrics).toContain('robusta_intake_events_total{endpoint="alerts",result="rejected_queue_full"} 1');
    // A payload that fits is still accepted.
    expect((await runtime.app.request("/api/alerts", json(fixtures.alertmanagerPayload([fixtures.alert({ name: "D" })])))).status).toBe(200);
  });
});

describe("alert intake", () => {
  it("dispatches an alert state once: Alertmanager's repeats are dropped and counted, the resolve goes through", async () => {
    const { runtime, sink } = testRuntime({ playbooks: [alertPlaybook] });
    const firing = fixtures.alert({ name: "KubePodCrashLooping", fingerprint: "abc" });
    for (let i = 0; i < 3; i++) expect((await runtime.app.request("/api/alerts", json(fixtures.alertmanagerPayload([firing])))).status).toBe(200);
    await runtime.app.request("/api/alerts", json(fixtures.alertmanagerPayload([{ ...firing, status: "resolved", endsAt: "2026-01-01T00:20:00Z" }])));
    await runtime.idle();
    expect(sink.findings.map((f) => f.status)).toEqual(["firing", "resolved"]);
    expect(await (await runtime.app.request("/metrics")).text()).toContain('robusta_intake_events_total{endpoint="alerts",result="duplicate"} 2');
  });

  it("relabels alerts before playbooks see them", async () => {
    const seen: Record<string, string>[] = [];
    const capture = definePlaybook({ name: "labels", triggers: [onPrometheusAlert()], run: (event) => void seen.push({ ...event.labels }) });
    const { runtime } = testRuntime({ playbooks: [capture], alertRelabel: [{ source: "exported_pod", target: "pod", operation: "replace" }] });
    await runtime.app.request("/api/alerts", json(fixtures.alertmanagerPayload([fixtures.alert({ name: "A", labels: { exported_pod: "web-0" } })])));
    await runtime.idle();
    expect(seen[0]).toMatchObject({ pod: "web-0" });
    expect(seen[0]?.exported_pod).toBeUndefined();
  });

  it("refuses to start with an invalid relabel rule, naming it", () => {
    expect(() => testRuntime({ alertRelabel: [{ source: "a", target: "b", operation: "move" } as never] })).toThrow(/^Invalid alertRelabel\[0\]\.operation: /);
  });
});

describe("POST /api/handle", () => {
  it("accepts a kubewatch CloudEvent and dispatches the change", async () => {
    const { runtime, sink } = testRuntime({ playbooks: [podPlaybook] });
    const response = await runtime.app.request("/api/handle", json(cloudEvent()));
    expect(response.status).toBe(200);
    await runtime.idle();
    expect(sink.findings).toHaveLength(1);
    expect(sink.findings[0]?.subject).toMatchObject({ name: "web-0", namespace: "demo", subjectType: "pod" });
  });

  it("accepts a batch of CloudEvents", async () => {
    const { runtime, sink } = testRuntime({ playbooks: [podPlaybook] });
    expect((await runtime.app.request("/api/handle", json([cloudEvent(), cloudEvent()]))).status).toBe(200);
    await runtime.idle();
    expect(sink.findings).toHaveLength(2);
  });

  it("answers 400 naming the field for an unknown operation or a nameless object", async () => {
    const { runtime } = testRuntime();
    const event = cloudEvent("unknown");
    event.data.obj.metadata = { ...event.data.obj.metadata, name: "" };
    const body = (await (await runtime.app.request("/api/handle", json(event))).json()) as { issues: { path: string }[] };
    expect(body.issues.map((i) => i.path)).toEqual(["data.operation", "data.obj.metadata.name"]);
  });
});

describe("authentication", () => {
  const token = "s3cret-token-of-some-length";

  it("refuses intake without the bearer token, with a 401 that says what is missing", async () => {
    const { runtime } = testRuntime({ options: { authToken: token } });
    const missing = await runtime.app.request("/api/alerts", json(sample));
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    expect(((await missing.json()) as { msg: string }).msg).toMatch(/^missing Authorization header/);
    const wrong = await runtime.app.request("/api/alerts", json(sample, { authorization: "Bearer nope" }));
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { msg: string }).msg).toBe("invalid bearer token");
    expect((await runtime.app.request("/api/alerts", json(sample, { authorization: `Bearer ${token}` }))).status).toBe(200);
  });

  it("leaves health, readiness and metrics open", async () => {
    const { runtime } = testRuntime({ options: { authToken: token } });
    expect((await runtime.app.request("/healthz")).status).toBe(200);
    expect((await runtime.app.request("/metrics")).status).toBe(200);
  });
});

describe("health and readiness", () => {
  it("is ready only while listening, and unhealthy once closing", async () => {
    const { runtime } = testRuntime();
    expect((await runtime.app.request("/readyz")).status).toBe(503);
    await runtime.listen();
    expect(await (await runtime.app.request("/readyz")).json()).toEqual({ status: "ready", problems: [] });
    expect((await runtime.app.request("/healthz")).status).toBe(200);
    await runtime.close();
    expect((await runtime.app.request("/healthz")).status).toBe(500);
  });

  it("answers unknown endpoints with a JSON 404", async () => {
    const { runtime } = testRuntime();
    const response = await runtime.app.request("/api/nope", json({}));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ success: false, msg: "no such endpoint: POST /api/nope" });
  });
});

describe("delivery", () => {
  it("keeps delivering to the other sinks when one fails, logging and counting the failure", async () => {
    const { CapturingSink } = await import("./helpers.js");
    const good = new CapturingSink("good");
    const bad = new CapturingSink("bad");
    bad.failWith = new DeliveryError("channel_not_found", { retryable: false });
    const { runtime, logger } = testRuntime({ playbooks: [alertPlaybook], sinks: [bad, good] });
    await runtime.app.request("/api/alerts", json(sample));
    await runtime.idle();
    expect(good.findings).toHaveLength(1);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: "error", message: "finding not delivered", fields: expect.objectContaining({ sink: "bad", reason: "channel_not_found" }) }));
    expect(await (await runtime.app.request("/metrics")).text()).toContain('robusta_findings_total{sink="bad",result="failed"} 1');
  });

  it("retries a sink that is down for 30 s and delivers once it is back, without holding up the others", async () => {
    const { CapturingSink } = await import("./helpers.js");
    const clock = new VirtualDeliveryClock();
    const backAt = clock.now() + 30_000;
    // Answers 429 with Retry-After: 10 until 30 s (virtual) have passed.
    class Flaky extends CapturingSink {
      override async write(finding: Finding): Promise<void> {
        if (clock.now() < backAt) throw new DeliveryError("slack answered 429", { retryable: true, retryAfterMs: 10_000 });
        await super.write(finding);
      }
    }
    const good = new CapturingSink("good");
    const flaky = new Flaky("flaky");
    const { runtime } = testRuntime({ playbooks: [alertPlaybook], sinks: [flaky, good], deliveryClock: clock });
    await runtime.app.request("/api/alerts", json(sample));
    await runtime.idle();
    expect(good.findings).toHaveLength(1);
    expect(flaky.findings.map((f) => f.title)).toEqual(good.findings.map((f) => f.title));
    expect(clock.sleeps.every((ms) => ms >= 10_000)).toBe(true);
    const metrics = await (await runtime.app.request("/metrics")).text();
    expect(metrics).toContain('robusta_findings_total{sink="flaky",result="delivered"} 1');
    expect(metrics).toContain('robusta_sink_retries_total{sink="flaky"} 3');
  });

  it("refuses to start when a playbook names a sink that does not exist", () => {
    const routed = definePlaybook({ name: "routed", sinks: ["pagerduty"], triggers: [onPodUpdate()], run() {} });
    expect(() => testRuntime({ playbooks: [routed] })).toThrow('playbook routed: unknown sink "pagerduty" (configured: capture)');
  });
});

describe("in-process intake", () => {
  it("refuses events that do not fit, and logs and counts the refusal", async () => {
    const slow = definePlaybook({ name: "slow", triggers: [onPodUpdate()], run: () => new Promise((resolve) => setTimeout(resolve, 20)) });
    const { runtime, logger } = testRuntime({ playbooks: [slow], options: { queueCapacity: 1, workers: 1 } });
    const change = () => fixtures.change("update", fixtures.pod());
    expect(runtime.submit(change())).toBe(true); // handed to the worker
    expect(runtime.submit(change())).toBe(true); // waits in the queue
    expect(runtime.submit(change())).toBe(false);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: "warn", message: "intake queue full: events refused" }));
    expect(await (await runtime.app.request("/metrics")).text()).toContain('robusta_intake_events_total{endpoint="in_process",result="rejected_queue_full"} 1');
    await runtime.idle();
  });
});
