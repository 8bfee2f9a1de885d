/**
 * Standard decorators work in every toolchain a playbook meets: vitest (this file imports
 * decorated playbooks), tsx, and esbuild bundles; tsc is covered by `npm run typecheck` and the
 * type tests. Legacy decorators are refused with a message that says what to change.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectPlaybooks, EXPERIMENTAL_DECORATORS_MESSAGE, registryData } from "@robusta-ts/sdk";
import * as alertEnrichment from "../../examples/alert-enrichment/playbooks/index.js";
import * as crashLoops from "../../examples/crash-loops/playbooks/index.js";
import { playbookBundleOptions } from "../src/toolchain/esbuild-options.js";
import { assertStandardDecorators, LegacyDecoratorsError } from "../src/toolchain/tsconfig-check.js";
import { robustaPlaybooks } from "../src/toolchain/vitest-plugin.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const entry = fileURLToPath(new URL("./fixtures/print-registry.ts", import.meta.url));
const expected = registryData([...collectPlaybooks(crashLoops), ...collectPlaybooks(alertEnrichment)]);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "robusta-toolchain-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function node(args: string[], cwd = root) {
  const result = spawnSync(process.execPath, args, { cwd, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("standard decorators", () => {
  it("register playbooks under vitest", () => {
    expect(expected.playbooks.map((p) => p.name)).toEqual([
      "CrashLoops.crashLooping",
      "CrashLoops.oomKilled",
      "KubePodCrashLooping",
      "DefaultAlertLabels",
    ]);
    expect(expected.playbooks[0]?.triggers).toEqual([{ name: "on_pod_crash_loop", params: { restart_count: 2 } }]);
  });

  it("give the same registry under tsx", () => {
    const run = node(["--import", "tsx", entry]);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });

  it("give the same registry from an esbuild bundle run by plain node", async () => {
    const outfile = join(tmp, "bundle.mjs");
    await build({ ...playbookBundleOptions(entry, outfile), logLevel: "silent" });
    const run = node([outfile]);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });
});

describe("legacy decorators", () => {
  async function projectWithLegacyDecorators(): Promise<string> {
    const dir = join(tmp, `legacy-${Math.random().toString(36).slice(2)}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "tsconfig.base.json"), '{\n  // comments are allowed\n  "compilerOptions": { "experimentalDecorators": true, },\n}\n');
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ extends: "./tsconfig.base.json", compilerOptions: { strict: true } }));
    return dir;
  }

  it("are refused when a tsconfig, or one it extends, enables experimentalDecorators", async () => {
    const dir = await projectWithLegacyDecorators();
    expect(() => assertStandardDecorators(dir)).toThrow(LegacyDecoratorsError);
    expect(() => assertStandardDecorators(dir)).toThrow(/tsconfig\.json enables "experimentalDecorators"\. Robusta playbooks use standard decorators: remove/);
    expect(() => assertStandardDecorators(root)).not.toThrow();
  });

  it("stop the vitest plugin before any test runs", async () => {
    const dir = await projectWithLegacyDecorators();
    const plugin = robustaPlaybooks();
    const configResolved = plugin.configResolved as (config: { root: string }) => void;
    expect(() => configResolved({ root: dir })).toThrow(LegacyDecoratorsError);
  });

  it("stop the robusta CLI with the message and exit code 1", async () => {
    const dir = await projectWithLegacyDecorators();
    const run = node([join(root, "runtime/bin/robusta.js"), "demo", join(root, "examples/crash-loops/playbooks")], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('enables "experimentalDecorators"');
  });

  it("are detected at load time when code was compiled with them anyway", async () => {
    const source = `import { onPodUpdate, Playbook } from "@robusta-ts/sdk";\nexport class Legacy extends Playbook { @onPodUpdate() run() {} }\n`;
    const compiled = await transform(source, {
      loader: "ts",
      format: "esm",
      tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
    });
    const file = join(root, "runtime/test/fixtures", `legacy-${process.pid}.mjs`);
    await writeFile(file, compiled.code);
    try {
      await expect(import(file)).rejects.toThrow(EXPERIMENTAL_DECORATORS_MESSAGE);
    } finally {
      await rm(file, { force: true });
    }
  });
});
