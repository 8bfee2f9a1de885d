import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { demo } from "../src/cli/demo.js";

const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}/playbooks`, import.meta.url));

describe("robusta demo", () => {
  it("plays the scenario and prints a finding, with its enrichments, for every step", async () => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (chunk) => (text += chunk));
    const code = await demo({ modules: [example("crash-loops"), example("alert-enrichment")], serve: false, port: 0, out });
    expect(code).toBe(0);

    const steps = text.split(/^▶ /m).slice(1);
    expect(steps).toHaveLength(4);
    expect(steps[0]).toMatch(/starts crash-looping[\s\S]*Crashing pod checkout-\S+ in namespace shop[\s\S]*Crash info[\s\S]*FATAL cannot start without the orders database[\s\S]*BackOff/);
    expect(steps[1]).toMatch(/OOM-killed[\s\S]*OOMKilled results[\s\S]*Container memory/);
    expect(steps[2]).toMatch(/firing[\s\S]*🔥 firing · KubePodCrashLooping[\s\S]*▸ Logs[\s\S]*▸ Alert labels/);
    expect(steps[3]).toMatch(/resolved[\s\S]*\[RESOLVED\][\s\S]*✅ resolved[\s\S]*no longer crash-looping/);
    expect(text).toContain("4 findings from 4 steps.");
  });
});
