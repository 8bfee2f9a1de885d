/** The fake Jira answers as Jira Cloud does, so the sink's tests mean something. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeJira } from "../../../test/fakes/jira.js";

let jira: FakeJira;
beforeEach(async () => {
  jira = await FakeJira.start();
});
afterEach(async () => {
  await jira.close();
});

const auth = `Basic ${Buffer.from("robusta@example.com:jira-t0ken").toString("base64")}`;
const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${jira.url}/rest/api/3/${path}`, {
    method,
    headers: { authorization: auth, "content-type": "application/json", ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
const fields = (extra: Record<string, unknown> = {}) => ({
  fields: { project: { id: "10000" }, issuetype: { id: "10001" }, summary: "s", description: { type: "doc", version: 1, content: [] }, ...extra },
});

describe("fake Jira", () => {
  it("refuses what Jira refuses, with Jira's error shape", async () => {
    const refused = async (extra: Record<string, unknown>) => {
      const response = await call("POST", "issue", fields(extra));
      return { status: response.status, body: (await response.json()) as { errors: Record<string, string> } };
    };
    expect(await refused({ labels: ["has space"] })).toEqual({ status: 400, body: { errorMessages: [], errors: { labels: "The label 'has space' contains spaces which is invalid." } } });
    expect((await refused({ summary: "x".repeat(256) })).body.errors).toEqual({ summary: "Summary must be less than 255 characters." });
    expect((await refused({ priority: { name: "Critical" } })).body.errors).toEqual({ priority: "Specify a valid 'id' or 'name' for Priority" });
    expect((await refused({ issuetype: { id: "999" } })).body.errors).toEqual({ issuetype: "The issue type selected is invalid." });
    expect((await refused({ description: { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "" }] }] } })).status).toBe(400);
  });

  it("creates issues as {id, key, self}; the old search is gone; attachments need the no-check header", async () => {
    const response = await call("POST", "issue", fields());
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: "10100", key: "OPS-1", self: `${jira.url}/rest/api/3/issue/10100` });
    expect((await call("GET", "search?jql=labels%3Dx")).status).toBe(410);
    const form = new FormData();
    form.append("file", new Blob(["x"]), "x.txt");
    const attach = (headers: Record<string, string>) =>
      fetch(`${jira.url}/rest/api/3/issue/OPS-1/attachments`, { method: "POST", headers: { authorization: auth, ...headers }, body: form });
    expect((await attach({})).status).toBe(403);
    expect((await attach({ "x-atlassian-token": "no-check" })).status).toBe(200);
  });

  it("answers a bad login 401 in plain text", async () => {
    const response = await call("GET", "attachment/meta", undefined, { authorization: "Basic bm9wZTpub3Bl" });
    expect(response.status).toBe(401);
    expect(await response.text()).toBe("Client must be authenticated to access this resource.");
  });
});
