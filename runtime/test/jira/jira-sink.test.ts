import { file, type Finding } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adfProblem, FakeJira } from "../../../test/fakes/jira.js";
import { jiraSinkType, JiraSink, RESOLVED_COMMENT, type JiraSinkOptions } from "../../src/sinks/jira/index.js";
import { sampleFinding } from "../webhook/sample-finding.js";
import { failureOf, sinkBase } from "../sinks-common/support.js";

const TOKEN = "jira-t0ken";
const base = sinkBase("jira");

let jira: FakeJira;
let logger: MemoryLogger;
beforeEach(async () => {
  jira = await FakeJira.start({ apiToken: TOKEN });
  logger = new MemoryLogger();
});
afterEach(async () => {
  await jira.close();
});

function sinkFor(params: Record<string, unknown> = {}, options: Partial<JiraSinkOptions> = {}): JiraSink {
  const parsed = jiraSinkType.params.parse({ name: "jira", url: jira.url, username: "robusta@example.com", api_key: TOKEN, project_name: "Operations", ...params });
  return new JiraSink(base, parsed, { clusterName: "prod-eu", logger, ...options });
}

let alertCount = 0;
/** A Prometheus alert; the same fingerprint each time unless told otherwise. */
function alert(overrides: Partial<Finding> = {}): Finding {
  return sampleFinding({ id: `alert-${++alertCount}`, source: "PROMETHEUS", title: "KubePodCrashLooping", fingerprint: "fp-crash-1", ...overrides });
}

const created = () => jira.callsTo("POST", /^issue$/);

describe("jira sink: creating issues", () => {
  it("looks the project and issue type up, then creates the issue with Robusta's fields", async () => {
    await sinkFor().write(sampleFinding());
    expect(jira.calls.slice(0, 3).map((call) => `${call.method} ${call.path}`)).toEqual(["GET project/search", "GET issuetype/project", "GET attachment/meta"]);
    expect(jira.calls[0]!.query).toEqual({ query: "Operations" });
    expect(jira.calls[1]!.query).toEqual({ projectId: "10000" });
    expect(jira.issues).toHaveLength(1);
    const issue = jira.issues[0]!;
    expect(issue.key).toBe("OPS-1");
    expect(issue.fields).toMatchObject({
      summary: "Crashing pod web-0 in namespace demo",
      labels: [sampleFinding().fingerprint],
      issuetype: { id: "10001" },
      project: { id: "10000" },
      description: { type: "doc", version: 1 },
    });
    expect(adfProblem(issue.fields.description)).toBeUndefined();
    // Basic authentication with email and token.
    expect(jira.calls[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`robusta@example.com:${TOKEN}`).toString("base64")}`);
  });

  it("attaches the finding's files as multipart \"file\" with X-Atlassian-Token: no-check", async () => {
    await sinkFor().write(sampleFinding());
    const [upload] = jira.callsTo("POST", /attachments$/);
    expect(upload).toMatchObject({ path: "issue/OPS-1/attachments", status: 200 });
    expect(upload!.headers["x-atlassian-token"]).toBe("no-check");
    expect(upload!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(jira.issues[0]!.attachments.map((attachment) => [attachment.filename, attachment.bytes.toString()])).toEqual([["web-0.log", "boom\n"]]);
  });

  it("looks the project and issue type up once", async () => {
    const sink = sinkFor();
    await sink.write(sampleFinding({ id: "a" }));
    await sink.write(sampleFinding({ id: "b" }));
    expect(jira.callsTo("GET", /^project\/search$/)).toHaveLength(1);
    expect(jira.issues).toHaveLength(2);
  });

  it("uses the id overrides instead of looking up, and matches a project by key", async () => {
    await sinkFor({ project_type_id_override: 10000, issue_type_id_override: "10002" }).write(sampleFinding());
    expect(jira.callsTo("GET", /^(project\/search|issuetype\/project)$/)).toEqual([]);
    expect(jira.issues[0]!.fields.issuetype).toEqual({ id: "10002" });
    await sinkFor({ project_name: "OPS", issue_type: "bug" }).write(sampleFinding());
    expect(jira.issues[1]!.fields.issuetype).toEqual({ id: "10002" });
  });

  it("always opens a new issue for findings that are not Prometheus alerts, even resolved ones", async () => {
    const sink = sinkFor({ sendResolved: true });
    await sink.write(sampleFinding({ id: "a" }));
    await sink.write(sampleFinding({ id: "b", status: "resolved" }));
    expect(jira.issues.map((issue) => issue.fields.summary)).toEqual(["Crashing pod web-0 in namespace demo", "[RESOLVED] Crashing pod web-0 in namespace demo"]);
    expect(jira.callsTo("POST", /^search\/jql$/)).toEqual([]);
  });

  it("sets priority from priority_mapping, assignee and epic", async () => {
    await sinkFor().write(sampleFinding({ id: "epic" }));
    await sinkFor({ priority_mapping: { HIGH: "Highest" }, assignee: "5b10ac8d82e05b22cc7d4ef5", epic: "OPS-1" }).write(sampleFinding());
    expect(jira.issues[1]!.fields).toMatchObject({ priority: { name: "Highest" }, assignee: { id: "5b10ac8d82e05b22cc7d4ef5" }, parent: { key: "OPS-1" } });
  });

  it("creates the issue without a priority this Jira does not have, and says so once", async () => {
    const sink = sinkFor(); // Robusta's default for HIGH is "Critical"; Jira Cloud's scheme has no such priority.
    await sink.write(sampleFinding({ id: "a" }));
    await sink.write(sampleFinding({ id: "b" }));
    expect(jira.issues).toHaveLength(2);
    expect(jira.issues[0]!.fields.priority).toBeUndefined();
    expect(created().map((call) => call.status)).toEqual([400, 201, 201]);
    const warnings = logger.entries.filter((entry) => entry.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('Jira refused priority "Critical"');
    expect(warnings[0]!.fields).toMatchObject({ jira: "Specify a valid 'id' or 'name' for Priority" });
  });

  it("cuts the summary to 255 characters on one line and sanitizes labels", async () => {
    const title = `Pod\nweb ${"x".repeat(400)}`;
    await sinkFor({ dedups: ["fingerprint", "title", "namespace", "cluster_name"] }).write(sampleFinding({ title }));
    const { summary, labels } = jira.issues[0]!.fields as { summary: string; labels: string[] };
    expect(summary).toHaveLength(255);
    expect(summary).toMatch(/^Pod web x+…$/);
    expect(labels.slice(2)).toEqual(["demo", "prod-eu"]);
    expect(labels[1]).toHaveLength(255);
    expect(labels[1]).not.toMatch(/\s/);
  });

  it("keeps the description within Jira's 32,767 characters, saying what was cut", async () => {
    const big = sampleFinding({
      enrichments: [
        { title: "Small", annotations: {}, blocks: [{ type: "markdown", text: "fits" }] },
        { title: "Huge", annotations: {}, blocks: [{ type: "json", value: { log: "y".repeat(60_000) } }] },
        { title: "After", annotations: {}, blocks: [{ type: "markdown", text: "left out" }] },
      ],
    });
    await sinkFor().write(big);
    const description = jira.issues[0]!.fields.description;
    expect(JSON.stringify(description).length).toBeLessThanOrEqual(32_767);
    const json = JSON.stringify(description);
    expect(json).toContain("fits");
    expect(json).toContain("✂️ Cut to fit Jira's description limit: 1 section cut, 1 section left out.");
  });

  it("names files too large for Jira's attachment limit instead of uploading them", async () => {
    jira.attachmentSettings = { enabled: true, uploadLimit: 100 };
    await sinkFor().write(sampleFinding({ enrichments: [{ annotations: {}, blocks: [file("big.log", "z".repeat(2048)), file("small.log", "ok")] }] }));
    expect(jira.issues[0]!.attachments.map((attachment) => attachment.filename)).toEqual(["small.log"]);
    expect(JSON.stringify(jira.issues[0]!.fields.description)).toContain("not attached: 2 KB is over this Jira's 1 KB attachment limit");
  });
});

describe("jira sink: Prometheus alerts", () => {
  it("finds the issue by its dedup labels with the current search endpoint, and updates it while the alert fires", async () => {
    const sink = sinkFor();
    await sink.write(alert());
    await sink.write(alert({ title: "KubePodCrashLooping again" }));
    expect(jira.issues).toHaveLength(1);
    const [search] = jira.callsTo("POST", /^search\/jql$/);
    expect(search!.body).toMatchObject({ jql: 'project = 10000 AND labels = "fp-crash-1" ORDER BY created DESC', fields: ["status", "resolution"] });
    expect(jira.callsTo("PUT", /^issue\/OPS-1$/)).toHaveLength(1);
    expect(jira.issues[0]!.fields.summary).toBe("KubePodCrashLooping again");
    // Attachments are added when the issue is created, not on updates (Robusta's way).
    expect(jira.issues[0]!.attachments).toHaveLength(1);
  });

  it("does not open a second issue while Jira's search has not caught up (reconcileIssues)", async () => {
    jira.searchLag = true;
    const sink = sinkFor();
    await sink.write(alert());
    await sink.write(alert());
    expect(jira.issues).toHaveLength(1);
    expect(jira.callsTo("POST", /^search\/jql$/)[1]!.body).toMatchObject({ reconcileIssues: [Number(jira.issues[0]!.id)] });
  });

  it("moves the issue to Done and comments when the alert resolves, with sendResolved", async () => {
    const sink = sinkFor({ sendResolved: true });
    await sink.write(alert());
    await sink.write(alert({ status: "resolved" }));
    const issue = jira.issues[0]!;
    expect(issue).toMatchObject({ status: "Done", resolution: "Done" });
    expect(jira.callsTo("POST", /transitions$/)[0]!.body).toEqual({ transition: { id: "31" } });
    expect(JSON.stringify(issue.comments)).toContain(RESOLVED_COMMENT);
  });

  it("leaves the issue open when the alert resolves without sendResolved, and opens nothing for a resolved alert with no issue", async () => {
    const sink = sinkFor();
    await sink.write(alert({ fingerprint: "only-resolved", status: "resolved" }));
    expect(jira.issues).toEqual([]);
    await sink.write(alert());
    await sink.write(alert({ status: "resolved" }));
    expect(jira.issues[0]!.status).toBe("To Do");
    expect(jira.callsTo("POST", /transitions$/)).toEqual([]);
  });

  it("opens a new issue when the alert fires again after its issue was done", async () => {
    const sink = sinkFor();
    await sink.write(alert());
    jira.setStatus("OPS-1", "Done");
    await sink.write(alert());
    expect(jira.issues.map((issue) => issue.key)).toEqual(["OPS-1", "OPS-2"]);
    // The most recent one is updated from then on.
    await sink.write(alert({ title: "third" }));
    expect(jira.issues[1]!.fields.summary).toBe("third");
  });

  it("reopens the done issue instead, with reopenIssues", async () => {
    const sink = sinkFor({ reopenIssues: true });
    await sink.write(alert());
    jira.setStatus("OPS-1", "Done");
    await sink.write(alert({ title: "back again" }));
    expect(jira.issues).toHaveLength(1);
    expect(jira.issues[0]).toMatchObject({ status: "To Do", resolution: null });
    expect(jira.issues[0]!.fields.summary).toBe("back again");
  });

  it("keeps an issue closed whose resolution is noReopenResolution", async () => {
    const sink = sinkFor({ reopenIssues: true, noReopenResolution: "Won't Do" });
    await sink.write(alert());
    jira.setStatus("OPS-1", "Done", "Won't Do");
    await sink.write(alert());
    expect(jira.issues).toHaveLength(1);
    expect(jira.issues[0]!.status).toBe("Done");
  });

  it("uses custom status names, and says which transitions exist when one is missing", async () => {
    await jira.close();
    jira = await FakeJira.start({ apiToken: TOKEN, statuses: ["Open", "Closed"] });
    const sink = sinkFor({ sendResolved: true });
    await sink.write(alert());
    const error = await failureOf(sink.write(alert({ status: "resolved" })));
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(`Jira ${new URL(jira.url).host}: OPS-1 cannot be moved to "Done" (its transitions lead to: Closed); check doneStatusName`);
    await sinkFor({ sendResolved: true, doneStatusName: "closed" }).write(alert({ status: "resolved" }));
    expect(jira.issues[0]!.status).toBe("Closed");
  });

  it("matches on every dedup label", async () => {
    const sink = sinkFor({ dedups: ["fingerprint", "cluster_name"] });
    await sink.write(alert());
    expect(jira.issues[0]!.fields.labels).toEqual(["fp-crash-1", "prod-eu"]);
    await sinkFor({ dedups: ["fingerprint", "cluster_name"] }, { clusterName: "prod-us" }).write(alert());
    expect(jira.issues).toHaveLength(2);
  });
});

describe("jira sink: failures and retries", () => {
  it("does not open a second issue when a retry repeats a write whose attachment failed", async () => {
    const sink = sinkFor();
    const finding = sampleFinding();
    jira.failNext(1, { status: 503, path: /attachments$/ });
    expect(await failureOf(sink.write(finding))).toMatchObject({ retryable: true, status: 503 });
    await sink.write(finding);
    expect(jira.issues).toHaveLength(1);
    expect(jira.issues[0]!.attachments).toHaveLength(1);
  });

  it("resumes a resolve at the comment when only the comment failed", async () => {
    const sink = sinkFor({ sendResolved: true });
    await sink.write(alert());
    const resolved = alert({ status: "resolved" });
    jira.failNext(1, { status: 500, path: /comment$/ });
    await failureOf(sink.write(resolved));
    await sink.write(resolved);
    expect(jira.callsTo("POST", /transitions$/).filter((call) => call.status === 204)).toHaveLength(1);
    expect(jira.issues[0]!.comments).toHaveLength(1);
  });

  it("goes on to the comment when a retry finds the issue already moved to done", async () => {
    const sink = sinkFor({ sendResolved: true });
    await sink.write(alert());
    const resolved = alert({ status: "resolved" });
    jira.failNext(1, { status: 503, method: "POST", path: /transitions$/ });
    expect(await failureOf(sink.write(resolved))).toMatchObject({ retryable: true, status: 503 });
    jira.setStatus("OPS-1", "Done"); // Jira made the move and the answer was lost, or someone made it by hand
    await sink.write(resolved);
    expect(jira.issues[0]!.comments).toHaveLength(1);
    expect(jira.callsTo("GET", /^issue\/OPS-1$/).map((call) => call.query)).toEqual([{ fields: "status" }]);
  });

  it("passes on Jira's Retry-After for 429", async () => {
    jira.failNext(1, { status: 429, retryAfter: "7" });
    const error = await failureOf(sinkFor().write(sampleFinding()));
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7000 });
    expect(error.message).toContain("Rate limit exceeded.");
  });

  it("gives up on 400 with Jira's field messages", async () => {
    jira.failNext(1, { status: 400, method: "POST", path: /^issue$/, body: { errorMessages: [], errors: { issuetype: "The issue type selected is invalid." } } });
    const sink = sinkFor();
    const error = await failureOf(sink.write(sampleFinding()));
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toBe(`Jira ${new URL(jira.url).host} answered 400 to create an issue: issuetype: The issue type selected is invalid.`);
  });

  it("gives up on 404 with Jira's message", async () => {
    const sink = sinkFor();
    await sink.write(alert());
    jira.failNext(1, { status: 404, method: "PUT", body: { errorMessages: ["Issue does not exist or you do not have permission to see it."], errors: {} } });
    const error = await failureOf(sink.write(alert()));
    expect(error).toMatchObject({ retryable: false, status: 404 });
    expect(error.message).toContain("answered 404 to edit issue OPS-1: Issue does not exist or you do not have permission to see it.");
  });

  it("gives up on a bad token (401) without putting the token in the message", async () => {
    const sink = sinkFor({ api_key: "wr0ng-s3cret" });
    const error = await failureOf(sink.write(sampleFinding()));
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toBe(`Jira ${new URL(jira.url).host} answered 401 to look up project "Operations": Client must be authenticated to access this resource. (check username and api_key)`);
    expect(error.message).not.toContain("wr0ng");
    expect(JSON.stringify(logger.entries)).not.toContain("wr0ng");
  });

  it("retries a failed lookup on the next write", async () => {
    jira.failNext(1, { status: 502, path: /^project\/search$/ });
    const sink = sinkFor();
    expect(await failureOf(sink.write(sampleFinding()))).toMatchObject({ retryable: true, status: 502 });
    await sink.write(sampleFinding());
    expect(jira.issues).toHaveLength(1);
  });

  it("says which project or issue type is missing", async () => {
    const host = new URL(jira.url).host;
    expect((await failureOf(sinkFor({ project_name: "Nope" }).write(sampleFinding()))).message).toBe(
      `Jira ${host} has no project named or keyed "Nope" that this user can see; check project_name, or set project_type_id_override`,
    );
    const error = await failureOf(sinkFor({ issue_type: "Incident" }).write(sampleFinding()));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toBe(`Jira ${host}: the project has no issue type "Incident" (it has: Task, Bug, Epic); check issue_type, or set issue_type_id_override`);
  });

  it("throws a retryable error naming the host when Jira cannot be reached", async () => {
    const sink = sinkFor();
    const host = new URL(jira.url).host;
    await jira.close();
    const error = await failureOf(sink.write(sampleFinding()));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(new RegExp(`^Jira ${host} could not be reached: .*ECONNREFUSED`));
    jira = await FakeJira.start(); // for afterEach
  });
});
