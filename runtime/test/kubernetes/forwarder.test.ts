import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { definePlaybook, markdown, onPodUpdate } from "@robusta-ts/sdk";
import { MemoryLogger, fixtures } from "@robusta-ts/sdk/testing";
import { waitFor } from "../../../test/support/wait-for.js";
import { CloudEventForwarder } from "../../src/kubernetes/cloudevent-forwarder.js";
import { testRuntime } from "../helpers.js";

/** A runner stand-in that answers with the statuses it is given, then 200, and keeps what it got. */
async function fakeRunner(statuses: number[] = []) {
  const batches: { data: { obj: { metadata: { name: string } } } }[][] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const status = statuses.shift() ?? 200;
    if (status === 200) batches.push(JSON.parse(body));
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ success: status === 200 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  const names = () => batches.flat().map((event) => event.data.obj.metadata.name);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, batches, names };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const changes = (n: number) => Array.from({ length: n }, (_, i) => fixtures.change("update", fixtures.pod({ name: `pod-${i}` })));
const fast = { initialMs: 5, maxMs: 20 };

describe("the forwarder", () => {
  it("posts kubewatch CloudEvents a real runner accepts and dispatches", async () => {
    const seen: string[] = [];
    const playbook = definePlaybook({
      name: "pods",
      triggers: [onPodUpdate()],
      run: (event, ctx) => {
        seen.push(event.pod.metadata!.name!);
        ctx.addEnrichment([markdown("ok")]);
      },
    });
    const { runtime } = testRuntime({ playbooks: [playbook] });
    const { url } = await runtime.listen();
    const forwarder = new CloudEventForwarder({ runnerUrl: url, logger: new MemoryLogger() });
    for (const change of changes(3)) forwarder.push(change);
    await waitFor("the runner to dispatch three changes", () => seen.length === 3);
    await runtime.idle();
    expect(seen.sort()).toEqual(["pod-0", "pod-1", "pod-2"]);
    await runtime.close();
  });

  it("batches changes and, when the runner is unavailable, retries until each is delivered once", async () => {
    const runner = await fakeRunner([503, 500]);
    const forwarder = new CloudEventForwarder({ runnerUrl: runner.url, logger: new MemoryLogger(), backoff: fast, batchSize: 10 });
    for (const change of changes(25)) forwarder.push(change);
    await waitFor("every change to arrive", () => runner.names().length === 25);
    expect(new Set(runner.names()).size).toBe(25);
    expect(runner.batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(runner.batches[0]![0]).toMatchObject({ specversion: "1.0", type: "KUBERNETES_TOPOLOGY_CHANGE", data: { operation: "update", kind: "Pod" } });
  });

  it("halves batches the runner finds too large, and drops, counted, what it refuses as invalid", async () => {
    const runner = await fakeRunner([413, 400]);
    const dropped: [number, string][] = [];
    const logger = new MemoryLogger();
    const forwarder = new CloudEventForwarder({ runnerUrl: runner.url, logger, backoff: fast, batchSize: 8, onDropped: (n, reason) => dropped.push([n, reason]) });
    for (const change of changes(8)) forwarder.push(change);
    await waitFor("the rest to arrive", () => runner.names().length === 4);
    expect(dropped).toEqual([[4, "rejected_400"]]);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: "error", message: "changes not forwarded" }));
  });

  it("refuses changes beyond its buffer while the runner is away, and says so", async () => {
    const dropped: string[] = [];
    const forwarder = new CloudEventForwarder({
      runnerUrl: "http://127.0.0.1:9", // nothing listens there
      logger: new MemoryLogger(),
      backoff: { initialMs: 60_000, maxMs: 60_000 },
      bufferCapacity: 2,
      onDropped: (_n, reason) => dropped.push(reason),
    });
    const [a, b, c] = changes(3);
    expect([forwarder.push(a!), forwarder.push(b!), forwarder.push(c!)]).toEqual([true, true, false]);
    expect(dropped).toEqual(["buffer_full"]);
    await forwarder.close(10);
    expect(dropped).toEqual(["buffer_full", "shutdown"]);
  });
});
