import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { dev } from "../../src/cli/dev.js";
import { UsageError } from "../../src/cli/usage-error.js";
import { alertPlaybook, tempPlaybooks, titleHelper, type TempPlaybooks } from "./temp-playbooks.js";

/** Waits until `check` holds (file watching takes its time), failing with what was seen. */
async function until(check: () => boolean, what: string, seen: () => string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}; output so far:\n${seen()}`);
}

const count = (text: string, part: string) => text.split(part).length - 1;

/** `robusta dev --simulated` on a free port, with its output captured and a way to stop it. */
async function startDev(...args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: "", err: "" };
  out.on("data", (chunk) => (text.out += chunk));
  err.on("data", (chunk) => (text.err += chunk));
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const exit = dev(["--simulated", "--port", "0", ...args], { out, err, stop: stopped });
  const all = () => `${text.out}\n--- stderr ---\n${text.err}`;
  await until(() => /runner on (http:\S+),/.test(text.out), "the runner to start", all);
  const url = /runner on (http:\S+),/.exec(text.out)![1]!;
  const waitFor = (what: string, check: () => boolean) => until(check, what, all);
  let posted = 0;
  const postAlert = async () => {
    // A new alert each time: the runner drops repeats of one it has handled.
    const alert = { status: "firing", labels: { alertname: "KubePodCrashLooping", namespace: "shop", pod: "checkout-5d8f7b9c4-x7k2p" }, annotations: {}, fingerprint: `f${++posted}` };
    const body = { alerts: [{ ...alert, startsAt: `2026-01-01T00:00:0${posted}Z` }] };
    const response = await fetch(`${url}/api/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
  };
  return { text, url, waitFor, postAlert, stop: async () => (stop(), exit) };
}

let temp: TempPlaybooks | undefined;
afterEach(async () => {
  await temp?.remove();
  temp = undefined;
});

describe("robusta dev --simulated", () => {
  it("reloads the playbooks when a file of the module changes, and keeps the old ones when an edit breaks", async () => {
    temp = await tempPlaybooks({ "index.ts": alertPlaybook("First"), "title.ts": titleHelper("") });
    const session = await startDev(temp.dir);
    const { text, waitFor, postAlert } = session;
    try {
      expect(text.out).toContain("Report");

      await postAlert();
      await waitFor("the first finding", () => text.out.includes("First: KubePodCrashLooping\n"));

      // A file the module imports by relative path: its edit counts too.
      await temp.write("title.ts", titleHelper(" (edited)"));
      await waitFor("a reload", () => count(text.out, "↻ reloaded playbook modules") >= 1);
      await temp.write("index.ts", alertPlaybook("Second"));
      await waitFor("a second reload", () => count(text.out, "↻ reloaded playbook modules") >= 2);
      await postAlert();
      await waitFor("the new playbook's finding", () => text.out.includes("Second: KubePodCrashLooping (edited)"));

      await temp.write("index.ts", `${alertPlaybook("Third")}\nexport const broken = ;\n`);
      await waitFor("the refusal", () => text.err.includes("cannot reload the playbook modules; the previous playbooks keep running"));
      expect(text.err).toMatch(/index\.ts does not compile:\n.*index\.ts:\d+:\d+: error: Unexpected ";"/);
      await postAlert();
      await waitFor("the old playbook's finding again", () => count(text.out, "Second: KubePodCrashLooping (edited)") === 2);
      expect(text.out).not.toContain("Third");

      // A module that loads but throws is refused the same way.
      await temp.write("index.ts", `throw new Error("cannot start");\n${alertPlaybook("Third")}`);
      await waitFor("the second refusal", () => text.err.includes("cannot start"));
      expect(count(text.out, "↻ reloaded playbook modules")).toBe(2);
    } finally {
      expect(await session.stop()).toBe(0);
    }
  });

  it("applies a change of the configuration file, and refuses an invalid one", async () => {
    temp = await tempPlaybooks({ "index.ts": alertPlaybook("First"), "title.ts": titleHelper(""), "values.yaml": "clusterName: laptop\n" });
    const values = join(temp.dir, "values.yaml");
    const session = await startDev(temp.dir, "--config", values);
    const { text, waitFor } = session;
    try {
      await temp.write("values.yaml", "clusterName: laptop\ndisabledPlaybooks: [Report]\n");
      await waitFor("the configuration reload", () => text.out.includes(`↻ reloaded ${values}`));
      expect(text.out.split(`↻ reloaded ${values}`)[1]).not.toContain("Report");

      await temp.write("values.yaml", "clusterName: laptop\nsinksConfig: [{nowhere_sink: {name: x}}]\n");
      await waitFor("the refusal", () => text.err.includes(`cannot reload the ${values}`));
      expect(text.err).toContain('unknown sink type "nowhere_sink"');
    } finally {
      expect(await session.stop()).toBe(0);
    }
  });

  it("does not start when a module does not load, and says where it is wrong", async () => {
    temp = await tempPlaybooks({ "index.ts": "export const = 1;\n" });
    await expect(dev(["--simulated", "--port", "0", temp.dir])).rejects.toThrow(/index\.ts:1:14: error: /);
  });

  it("refuses to start without playbooks, or with a bad port", async () => {
    await expect(dev([])).rejects.toThrow(UsageError);
    await expect(dev(["--port", "x", "playbooks"])).rejects.toThrow(/--port must be a number/);
  });
});
