import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileSink, fileSinkType } from "../src/sinks/file-sink.js";
import { findingToJson } from "../src/sinks/finding-json.js";
import { sampleFinding } from "./webhook/sample-finding.js";

const finding = sampleFinding();
const env = { clusterName: "prod-eu", globalConfig: {}, logger: new MemoryLogger() };

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString("utf8");
}

describe("file sink without file_name (standard output)", () => {
  it("writes one JSON line per finding, in order, even when writes overlap", async () => {
    const out = new PassThrough();
    const output = collect(out);
    const sink = new FileSink("file", undefined, "prod-eu", true, { out });
    await Promise.all(Array.from({ length: 20 }, (_, i) => sink.write({ ...finding, title: `finding ${i}` })));
    await sink.close();
    const lines = output().split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((line) => JSON.parse(line).title)).toEqual(Array.from({ length: 20 }, (_, i) => `finding ${i}`));
    expect(JSON.parse(lines[0]!)).toEqual(findingToJson({ ...finding, title: "finding 0" }, "prod-eu"));
  });

  it("rejects the write when the stream fails", async () => {
    const out = new Writable({ write: (_chunk, _encoding, callback) => callback(new Error("EPIPE")) });
    out.on("error", () => undefined);
    const sink = new FileSink("file", undefined, "c1", true, { out });
    await expect(sink.write(finding)).rejects.toThrow("EPIPE");
    await sink.close(); // a failed write does not hold up closing
  });
});

describe("file sink with file_name", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "robusta-file-sink-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("appends to what the file holds, creating its directory", async () => {
    const path = join(dir, "nested", "deeper", "findings.jsonl");
    const sink = fileSinkType.create(fileSinkType.params.parse({ name: "file", file_name: path }), env);
    await sink.write(finding);
    await sink.write({ ...finding, title: "second" });
    await sink.close?.();
    const again = fileSinkType.create(fileSinkType.params.parse({ name: "file", file_name: path }), env);
    await again.write({ ...finding, title: "third" });
    const lines = (await readFile(path, "utf8")).trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line).title)).toEqual([finding.title, "second", "third"]);
    expect(JSON.parse(lines[0]!).cluster_name).toBe("prod-eu");
  });

  it("does not write to standard output", async () => {
    const out = new PassThrough();
    const output = collect(out);
    const path = join(dir, "findings.jsonl");
    const sink = new FileSink("file", path, "c1", true, { out });
    await sink.write(finding);
    expect(output()).toBe("");
    expect(await readFile(path, "utf8")).toMatch(/^\{.*\}\n$/);
  });

  it("tries the directory again after a failed write", async () => {
    await writeFile(join(dir, "blocker"), "");
    const path = join(dir, "blocker", "findings.jsonl");
    const sink = new FileSink("file", path, "c1");
    await expect(sink.write(finding)).rejects.toThrow(/ENOTDIR|EEXIST/);
    await rm(join(dir, "blocker"));
    await sink.write(finding);
    expect((await readFile(path, "utf8")).split("\n")).toHaveLength(2);
  });
});

describe("file_sink parameters", () => {
  it("takes file_name as optional, and the shared settings", () => {
    expect(fileSinkType.params.parse({ name: "out" })).toMatchObject({ name: "out", default: true });
    expect(fileSinkType.params.parse({ name: "out" }).file_name).toBeUndefined();
    const sink = fileSinkType.create(fileSinkType.params.parse({ name: "out", default: false, stop: true }), env);
    expect(sink).toMatchObject({ name: "out", isDefault: false, routing: { stop: true }, fileName: undefined });
    expect(fileSinkType.params.safeParse({ name: "out", file_name: "" }).success).toBe(false);
    expect(fileSinkType.params.safeParse({ name: "out", filename: "x" }).success).toBe(false);
  });
});
