import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ActionParamsError, httpGet, httpPost, httpPut, type BaseEvent, type FileBlock } from "../src/index.js";
import { TestContext } from "./support/test-context.js";

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const event: BaseEvent = { source: "manual", id: "e1" };
const BIG = "line of output\n".repeat(400);

let server: Server;
let base: string;
let received: Received[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/fail") res.writeHead(500, { "content-type": "text/plain" }).end("database is down");
    else if (path === "/json") res.writeHead(200, { "content-type": "application/json" }).end('{"restarted":true,"pods":2}');
    else if (path === "/big") res.writeHead(200, { "content-type": "text/plain" }).end(BIG);
    else if (path === "/empty") res.writeHead(204).end();
    else res.writeHead(200, { "content-type": "text/plain" }).end("pong");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

beforeEach(() => {
  received = [];
});

const texts = (ctx: TestContext) => ctx.blocks.flatMap((b) => (b.type === "markdown" ? [b.text] : []));

describe("http_get", () => {
  it("sends the query parameters and headers, and reports the answer as a finding", async () => {
    const ctx = new TestContext();
    await httpGet(event, ctx, { url: `${base}/ping`, params: { check: "db", verbose: true }, headers: { "x-token": "abc" }, getResponse: true });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: "GET", url: "/ping?check=db&verbose=true", headers: { "x-token": "abc" } });
    expect(ctx.findings).toEqual([
      { title: `Response received from ${base}/ping?check=db&verbose=true`, aggregationKey: "HttpGet", source: "MANUAL", findingType: "REPORT", failure: false },
    ]);
    expect(ctx.enrichments[0]?.options.title).toBe("Response");
    expect(texts(ctx)).toEqual(["*Status:* 200 OK", "```\npong\n```"]);
  });

  it("adds nothing without get_response", async () => {
    const ctx = new TestContext();
    await httpGet(event, ctx, { url: `${base}/ping` });
    expect(received.map((r) => r.url)).toEqual(["/ping"]);
    expect(ctx.findings).toEqual([]);
    expect(ctx.enrichments).toEqual([]);
  });

  it("attaches a long body as a file", async () => {
    const ctx = new TestContext();
    await httpGet(event, ctx, { url: `${base}/big`, getResponse: true });
    const attached = ctx.blocks.find((b): b is FileBlock => b.type === "file");
    expect(attached).toMatchObject({ filename: "Response.txt", contents: BIG });
  });

  it("says when the body is empty", async () => {
    const ctx = new TestContext();
    await httpGet(event, ctx, { url: `${base}/empty`, getResponse: true });
    expect(texts(ctx)).toEqual(["*Status:* 204 No Content", "The response body is empty."]);
  });

  it("fails on a 500, naming the status, and reports it when asked for the response", async () => {
    const ctx = new TestContext();
    await expect(httpGet(event, ctx, { url: `${base}/fail`, getResponse: true })).rejects.toThrow(
      `http_get: GET ${base}/fail answered 500: database is down`,
    );
    expect(ctx.findings.map((f) => f.title)).toEqual([`${base}/fail is un-reachable`]);
    expect(texts(ctx)).toEqual(["*Status Code*\n```\n500\n```"]);
  });

  it("fails when nothing answers", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, "close");
    const ctx = new TestContext();
    await expect(httpGet(event, ctx, { url: `http://127.0.0.1:${port}/ping` })).rejects.toThrow(/could not be reached: fetch failed: .*ECONNREFUSED/);
    expect(ctx.findings).toEqual([]);
  });

  it("refuses a URL that is not http(s) before sending anything", async () => {
    await expect(httpGet(event, new TestContext(), { url: "not a url" })).rejects.toThrow(ActionParamsError);
    await expect(httpGet(event, new TestContext(), { url: "ftp://example.com/file" })).rejects.toThrow(/Invalid parameters for action http_get: url/);
  });
});

describe("http_post and http_put", () => {
  it("http_post sends an object as JSON and shows a JSON answer indented", async () => {
    const ctx = new TestContext();
    await httpPost(event, ctx, { url: `${base}/json`, data: { action: "restart", replicas: 2 }, headers: { authorization: "Bearer t" }, getResponse: true });
    expect(received[0]).toMatchObject({ method: "POST", url: "/json", headers: { "content-type": "application/json", authorization: "Bearer t" } });
    expect(JSON.parse(received[0]!.body)).toEqual({ action: "restart", replicas: 2 });
    expect(ctx.findings.map((f) => [f.title, f.aggregationKey])).toEqual([[`Response received from ${base}/json`, "HttpPost"]]);
    expect(texts(ctx)).toContain('```\n{\n  "restarted": true,\n  "pods": 2\n}\n```');
  });

  it("http_put sends a string as it is", async () => {
    const ctx = new TestContext();
    await httpPut(event, ctx, { url: `${base}/config`, data: "mode=maintenance", headers: { "Content-Type": "text/plain" }, getResponse: true });
    expect(received[0]).toMatchObject({ method: "PUT", url: "/config", body: "mode=maintenance", headers: { "content-type": "text/plain" } });
    expect(ctx.findings.map((f) => f.aggregationKey)).toEqual(["HttpPut"]);
  });

  it("keeps a content-type given in any spelling for a JSON body", async () => {
    await httpPost(event, new TestContext(), { url: `${base}/json`, data: { a: 1 }, headers: { "Content-Type": "application/vnd.api+json" } });
    expect(received[0]?.headers["content-type"]).toBe("application/vnd.api+json");
  });

  it("http_post fails on a 500", async () => {
    const ctx = new TestContext();
    await expect(httpPost(event, ctx, { url: `${base}/fail`, data: "x" })).rejects.toThrow(/answered 500/);
    expect(received[0]?.method).toBe("POST");
    expect(ctx.findings).toEqual([]);
  });
});
