import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { Pod } from "@robusta-ts/sdk";
import { fixtures } from "@robusta-ts/sdk/testing";
import { startFakeApiServer, type FakeApiServer } from "../../../test/support/fake-apiserver.js";
import { waitFor } from "../../../test/support/wait-for.js";
import { dev } from "../../src/cli/dev.js";

const crashLoops = fileURLToPath(new URL("../../../examples/crash-loops/playbooks", import.meta.url));

/** Until /readyz says the watches have synced (changes before that are the starting state). */
async function untilReady(url: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await fetch(`${url}/readyz`)).ok) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("the runner never became ready");
}

let server: FakeApiServer | undefined;
let dir: string | undefined;
const kubeconfigBefore = process.env.KUBECONFIG;
afterEach(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (kubeconfigBefore === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = kubeconfigBefore;
});

describe("robusta dev against the current kubeconfig", () => {
  it("watches what the playbooks need and prints the findings of a live change", async () => {
    server = await startFakeApiServer();
    dir = await mkdtemp(join(tmpdir(), "robusta-dev-kube-"));
    process.env.KUBECONFIG = join(dir, "config");
    await writeFile(process.env.KUBECONFIG, server.kubeconfig().exportConfig());

    const out = new PassThrough();
    let text = "";
    out.on("data", (chunk) => (text += chunk));
    let stop!: () => void;
    const exit = dev(["--port", "0", crashLoops], { out, err: new PassThrough(), stop: new Promise<void>((resolve) => (stop = resolve)) });
    try {
      const url = await waitFor("the runner", () => /runner on (http:\S+),/.exec(text)?.[1]);
      expect(text).toContain("against the cluster of the current kubeconfig");
      await untilReady(url);

      const healthy = fixtures.pod({ name: "api-0", namespace: "demo" });
      server.create(healthy);
      server.modify("v1", "Pod", "api-0", "demo", (p) => {
        p.status = fixtures.crashLoopingPod(healthy as Pod, { restartCount: 4 }).status;
      });
      await waitFor("the crash-loop finding", () => text.includes("Crashing pod api-0 in namespace demo"));
    } finally {
      stop();
      expect(await exit).toBe(0);
    }
  });
});
