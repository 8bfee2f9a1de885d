import { binaryFile, createFinding, file } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeServiceNow } from "../../../test/fakes/servicenow.js";
import { renderIncident } from "../../src/sinks/servicenow/render-incident.js";
import { serviceNowSinkType } from "../../src/sinks/servicenow/index.js";
import { ServiceNowSink } from "../../src/sinks/servicenow/servicenow-sink.js";
import { sampleFinding } from "../webhook/sample-finding.js";
import { failureOf } from "../sinks-common/support.js";

const PASSWORD = "s3cr3t-pa55";
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

let instance: FakeServiceNow;
let logger: MemoryLogger;
beforeEach(async () => {
  instance = await FakeServiceNow.start({ username: "robusta", password: PASSWORD }, () => NOW);
  logger = new MemoryLogger();
});
afterEach(async () => {
  await instance.close();
});

function sinkFor(params: Record<string, unknown> = {}): ServiceNowSink {
  const parsed = serviceNowSinkType.params.parse({ name: "snow", instance: instance.url, username: "robusta", password: PASSWORD, ...params });
  return serviceNowSinkType.create(parsed, { clusterName: "prod-eu", globalConfig: {}, logger }) as ServiceNowSink;
}

const withTwoFiles = () =>
  sampleFinding({
    enrichments: [{ title: "Logs", annotations: {}, blocks: [file("web-0.log", "boom\n"), binaryFile("graph.png", Uint8Array.from([0x89, 0x50, 0x4e, 0x47]))] }],
  });

describe("service_now_sink", () => {
  it("looks for an open incident, creates one with basic auth, then attaches each file with its type", async () => {
    const finding = withTwoFiles();
    await sinkFor({ caller_id: "abel.tuter" }).write(finding);

    expect(instance.requests.map((request) => `${request.method} ${new URL(request.url, instance.url).pathname}`)).toEqual([
      "GET /api/now/v1/table/incident",
      "POST /api/now/v1/table/incident",
      "POST /api/now/v1/attachment/file",
      "POST /api/now/v1/attachment/file",
    ]);
    const query = new URL(instance.requests[0]!.url, instance.url).searchParams.get("sysparm_query");
    expect(query).toBe(`correlation_id=${finding.fingerprint}^active=true^state!=6^ORDERBYDESCsys_created_on`);
    const create = instance.requests[1]!;
    expect(create.headers.authorization).toBe(`Basic ${Buffer.from(`robusta:${PASSWORD}`).toString("base64")}`);
    expect(create.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(create.body.toString())).toEqual(renderIncident(finding, { clusterName: "prod-eu", callerId: "abel.tuter" }));

    const [incident] = instance.incidents.values();
    expect(incident!.fields).toMatchObject({ short_description: "🔴 HIGH 🔴 Crashing pod web-0 in namespace demo", caller_id: "abel.tuter", impact: "1" });
    expect(instance.attachments.map(({ table_name, table_sys_id, file_name, content_type, bytes }) => ({ table_name, table_sys_id, file_name, content_type, bytes: bytes.toString("hex") }))).toEqual([
      { table_name: "incident", table_sys_id: incident!.sys_id, file_name: "web-0.log", content_type: "text/plain; charset=utf-8", bytes: Buffer.from("boom\n").toString("hex") },
      { table_name: "incident", table_sys_id: incident!.sys_id, file_name: "graph.png", content_type: "image/png", bytes: "89504e47" },
    ]);
  });

  it("opens no second incident while one for the same fingerprint is open, and a new one once it is resolved", async () => {
    const sink = sinkFor();
    await sink.write(sampleFinding());
    await sink.write(sampleFinding({ id: "00000000-0000-4000-8000-000000000002" }));
    expect(instance.incidents.size).toBe(1);

    await sink.write(sampleFinding({ status: "resolved" }));
    const [first] = instance.incidents.values();
    expect(first!.fields.state).toBe("6");
    const patch = instance.requests.at(-1)!;
    expect(patch.method).toBe("PATCH");
    expect(new URL(patch.url, instance.url).pathname).toBe(`/api/now/v1/table/incident/${first!.sys_id}`);
    // With the resolution code and notes a default instance's data policy requires.
    expect(JSON.parse(patch.body.toString())).toEqual({ state: 6, close_code: "Solution provided", close_notes: "Robusta: the finding resolved in cluster prod-eu." });
    expect(first!.fields).toMatchObject({ close_code: "Solution provided" });

    await sink.write(sampleFinding({ id: "00000000-0000-4000-8000-000000000003" }));
    expect(instance.incidents.size).toBe(2);
  });

  it("dedups and resolves a finding whose fingerprint is longer than correlation_id's 100 characters", async () => {
    const sink = sinkFor();
    const fingerprint = `custom/${"f".repeat(150)}`;
    await sink.write(sampleFinding({ fingerprint }));
    await sink.write(sampleFinding({ fingerprint, id: "00000000-0000-4000-8000-000000000002" }));
    expect(instance.incidents.size).toBe(1);
    const [incident] = instance.incidents.values();
    expect(incident!.fields.correlation_id).toMatch(/^[0-9a-f]{64}$/);
    await sink.write(sampleFinding({ fingerprint, status: "resolved" }));
    expect(incident!.fields.state).toBe("6");
  });

  it("ignores other fingerprints, closed incidents and resolved ones when looking for the open incident", async () => {
    const finding = sampleFinding();
    instance.seedIncident({ correlation_id: "other" });
    instance.seedIncident({ correlation_id: finding.fingerprint, state: 7, active: false });
    instance.seedIncident({ correlation_id: finding.fingerprint, state: 6 });
    await sinkFor().write(finding);
    expect(instance.incidents.size).toBe(4);
  });

  it("resolves with the configured resolved_state and close_code, or not at all with send_resolved: false", async () => {
    const open = instance.seedIncident({ correlation_id: sampleFinding().fingerprint });
    await sinkFor({ send_resolved: false }).write(sampleFinding({ status: "resolved" }));
    expect(instance.requests).toHaveLength(0);
    await sinkFor({ resolved_state: 7, close_code: "Solved (Permanently)" }).write(sampleFinding({ status: "resolved" }));
    expect(open.fields).toMatchObject({ state: "7", active: "false", close_code: "Solved (Permanently)" });
  });

  it("says so, without failing, when a resolved finding has no open incident", async () => {
    await sinkFor().write(sampleFinding({ status: "resolved" }));
    expect(instance.requests.map((request) => request.method)).toEqual(["GET"]);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: "info", message: "service_now_sink: resolved finding has no open incident to resolve" }));
  });

  it("goes on with the same incident when a retry follows a failed attachment", async () => {
    const sink = sinkFor();
    const finding = withTwoFiles();
    instance.failNext(1, { status: 503, route: "attach" });
    const error = await failureOf(sink.write(finding));
    const [incident] = instance.incidents.values();
    expect(error).toMatchObject({ retryable: true, status: 503 });
    expect(error.message).toBe(
      `attaching "web-0.log" to ${incident!.number} (created): ServiceNow ${new URL(instance.url).host} answered 503: Service Unavailable (The instance is unavailable, try again later)`,
    );

    instance.failNext(1, { status: 500, route: "attach" });
    await failureOf(sink.write(finding)); // web-0.log again
    await sink.write(finding);
    expect(instance.incidents.size).toBe(1);
    expect(instance.attachments.map((attachment) => attachment.file_name)).toEqual(["web-0.log", "graph.png"]);
    expect(instance.requests.filter((request) => request.method === "GET")).toHaveLength(1);
  });

  it("does not retry an attachment ServiceNow refuses, and names the incident that was created", async () => {
    instance.failNext(1, { status: 403, route: "attach", detail: "ACL Exception Insert Failed due to security constraints" });
    const error = await failureOf(sinkFor().write(withTwoFiles()));
    expect(error).toMatchObject({ retryable: false, status: 403 });
    expect(error.message).toMatch(/^attaching "web-0.log" to INC0010001 \(created\): .* answered 403: Operation Failed \(ACL Exception/);
  });

  it("fails for good on bad credentials, with ServiceNow's words and never the password", async () => {
    const sink = sinkFor({ password: "wrong-pa55" });
    const error = await failureOf(sink.write(sampleFinding()));
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toBe(`ServiceNow ${new URL(instance.url).host} answered 401: User Not Authenticated (Required to provide Auth information)`);
    expect(error.message).not.toContain("pa55");
    expect(logger.entries.map((entry) => JSON.stringify(entry)).join("\n")).not.toContain("pa55");
  });

  it("fails for good on a 400 (a field ServiceNow rejects)", async () => {
    instance.failNext(1, { status: 400, route: "create", message: "Invalid value for field", detail: "caller_id" });
    const error = await failureOf(sinkFor().write(sampleFinding()));
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toMatch(/answered 400: Invalid value for field \(caller_id\)$/);
    expect(instance.incidents.size).toBe(0);
  });

  it("retries on a rate limit, no sooner than Retry-After, and on 5xx", async () => {
    const sink = sinkFor();
    instance.failNext(1, { status: 429, retryAfter: 42 });
    expect(await failureOf(sink.write(sampleFinding()))).toMatchObject({ retryable: true, status: 429, retryAfterMs: 42_000 });
    instance.failNext(1, { status: 500, route: "create" });
    expect(await failureOf(sink.write(sampleFinding()))).toMatchObject({ retryable: true, status: 500 });
    await sink.write(sampleFinding());
    expect(instance.incidents.size).toBe(1);
  });

  it("still opens incidents, without dedup, for a user who may not read them (403 on the query)", async () => {
    const sink = sinkFor();
    instance.failNext(2, { status: 403, route: "query", detail: "ACL Exception Read Failed due to security constraints" });
    await sink.write(sampleFinding());
    await sink.write(sampleFinding({ id: "00000000-0000-4000-8000-000000000002" }));
    expect(instance.incidents.size).toBe(2);
    expect(logger.entries.filter((entry) => entry.level === "warn")).toHaveLength(1);
  });

  it("fails a resolve for good when incidents cannot be read", async () => {
    instance.failNext(1, { status: 403, route: "query" });
    expect(await failureOf(sinkFor().write(sampleFinding({ status: "resolved" })))).toMatchObject({ retryable: false, status: 403 });
  });

  it("throws a retryable error naming the instance when it cannot connect", async () => {
    const sink = sinkFor();
    const host = new URL(instance.url).host;
    await instance.close();
    const error = await failureOf(sink.write(createFinding({ title: "t", aggregationKey: "k" })));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(new RegExp(`^ServiceNow ${host} could not be reached: .*ECONNREFUSED`));
    instance = await FakeServiceNow.start({ username: "robusta", password: PASSWORD }); // for afterEach
  });
});
