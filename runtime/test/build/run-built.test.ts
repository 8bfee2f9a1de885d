/**
 * A built runner doing its job: `node runner.mjs run`, from a directory with only the bundle,
 * against a loopback API server. It becomes ready, and a pod that starts crash-looping is
 * reported by the project's own playbook, built in.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fixtures } from "@robusta-ts/sdk/testing";
import { startFakeApiServer, type FakeApiServer } from "../../../test/support/fake-apiserver.js";
import { bareCopy, exampleProject, robusta } from "./support.js";

let project: string;
let bare: string;
let api: FakeApiServer;
let runner: ChildProcess | undefined;
let stderr = "";

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Polls `check` until it returns a value; the test's own timeout bounds the wait. */
async function eventually<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (runner?.exitCode !== null) throw new Error(`the runner exited (${runner?.exitCode}):\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  project = await exampleProject("crash-loops");
  const built = await robusta(["build", "--no-typecheck"], project);
  if (built.code !== 0) throw new Error(`the build failed:\n${built.stderr}`);
  bare = await bareCopy(join(project, "dist"));
  api = await startFakeApiServer({ objects: [fixtures.pod({ name: "web-0", namespace: "prod" })] });
}, 120_000);

afterAll(async () => {
  if (runner && runner.exitCode === null) runner.kill("SIGKILL");
  await api?.close();
  await Promise.all([project, bare].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
});

it("runs against the cluster and reports a crash loop with the built-in playbook", async () => {
  await writeFile(join(bare, "kubeconfig.yaml"), api.kubeconfig().exportConfig());
  await writeFile(join(bare, "values.yaml"), "clusterName: built\nsinksConfig:\n  - console_sink: { name: console }\n");
  const port = await freePort();
  runner = spawn(process.execPath, ["--enable-source-maps", "runner.mjs", "run", "--config", "values.yaml", "--findings-file", "findings.jsonl", "--port", String(port)], {
    cwd: bare,
    env: { ...process.env, KUBECONFIG: join(bare, "kubeconfig.yaml"), ROBUSTA_PERSIST_STATE: "false", LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  runner.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));

  const ready = await eventually(async () => {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    return response.ok ? response.status : undefined;
  });
  expect(ready).toBe(200);
  // Watches are up once the runner is ready: the change reaches CrashLoops.crashLooping.
  const crashing = fixtures.crashLoopingPod(fixtures.pod({ name: "web-0", namespace: "prod" }), { restartCount: 3 });
  api.update({ ...crashing, metadata: { ...crashing.metadata, resourceVersion: undefined } });
  const finding = await eventually(async () => {
    const lines = (await readFile(join(bare, "findings.jsonl"), "utf8")).split("\n").filter(Boolean);
    return lines.map((line) => JSON.parse(line) as { title?: string }).find((f) => f.title?.startsWith("Crashing pod"));
  });
  expect(finding.title).toBe("Crashing pod web-0 in namespace prod");

  // SIGTERM (what Kubernetes sends) stops it cleanly.
  const exited = new Promise<number | null>((resolve) => runner?.once("exit", resolve));
  runner.kill("SIGTERM");
  expect(await exited).toBe(0);
}, 60_000);
