/**
 * The pieces of `robusta build` that need no bundling: where the entry comes from, what counts as
 * test code, and how a built runner hands itself to the commands that take playbook modules.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forbiddenImportReason } from "../../src/toolchain/build/forbidden-imports.js";
import { BuildError, resolveProject } from "../../src/toolchain/build/project.js";
import { withBundleModule } from "../../src/toolchain/build/runner-entry.js";

describe("a built runner's command line", () => {
  const bundle = "/app/runner.mjs";

  it("adds the bundle as the playbook module of run, demo, validate, simulate and manifests", () => {
    expect(withBundleModule(["run", "--config", "values.yaml"], bundle)).toEqual(["run", "--config", "values.yaml", bundle]);
    expect(withBundleModule(["demo", "--port", "8080"], bundle)).toEqual(["demo", "--port", "8080", bundle]);
    expect(withBundleModule(["validate", "values.yaml"], bundle)).toEqual(["validate", "values.yaml", bundle]);
    expect(withBundleModule(["simulate", "alert.json", "--config", "values.yaml"], bundle)).toEqual(["simulate", "alert.json", "--config", "values.yaml", bundle]);
    // The ClusterRole a built runner prints covers what its own playbooks watch.
    expect(withBundleModule(["manifests", "-f", "values.yaml"], bundle)).toEqual(["manifests", "-f", "values.yaml", bundle]);
  });

  it("leaves a missing FILE to the command's usage error, and other commands alone", () => {
    expect(withBundleModule(["validate"], bundle)).toEqual(["validate"]);
    expect(withBundleModule(["simulate", "--config", "values.yaml"], bundle)).toEqual(["simulate", "--config", "values.yaml"]);
    expect(withBundleModule(["trigger", "logs_enricher", "name=web-0"], bundle)).toEqual(["trigger", "logs_enricher", "name=web-0"]);
    expect(withBundleModule(["forwarder", "--runner-url", "http://runner"], bundle)).toEqual(["forwarder", "--runner-url", "http://runner"]);
    expect(withBundleModule([], bundle)).toEqual([]);
  });
});

describe("forbidden imports", () => {
  it("are the test harness, vitest and test files", () => {
    for (const specifier of ["@robusta-ts/sdk/testing", "vitest", "vitest/config", "@vitest/expect", "./util.test.js", "../x.spec.ts", "./helpers.test"]) {
      expect(forbiddenImportReason(specifier), specifier).toBeDefined();
    }
  });

  it("are not the SDK, other packages or files that merely mention tests", () => {
    for (const specifier of ["@robusta-ts/sdk", "zod", "./testing.js", "./latest.ts", "./contest.js", "vitest-like"]) {
      expect(forbiddenImportReason(specifier), specifier).toBeUndefined();
    }
  });
});

describe("the project's entry", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "robusta-project-"));
    await mkdir(join(dir, "playbooks"));
    await mkdir(join(dir, "src/more"), { recursive: true });
    await writeFile(join(dir, "playbooks/index.ts"), "export {};\n");
    await writeFile(join(dir, "src/main.ts"), "export {};\n");
    await writeFile(join(dir, "src/more/index.ts"), "export {};\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("defaults to playbooks/index.ts and dist/", async () => {
    expect(await resolveProject({ dir })).toEqual({ dir, entries: [join(dir, "playbooks/index.ts")], outdir: join(dir, "dist") });
  });

  it("comes from package.json's robusta.playbooks: a file, or a list with directories", async () => {
    await writeFile(join(dir, "package.json"), JSON.stringify({ robusta: { playbooks: ["src/main.ts", "src/more"] } }));
    expect((await resolveProject({ dir })).entries).toEqual([join(dir, "src/main.ts"), join(dir, "src/more/index.ts")]);
    await writeFile(join(dir, "package.json"), JSON.stringify({ robusta: { playbooks: 3 } }));
    await expect(resolveProject({ dir })).rejects.toThrow(/package\.json: robusta\.playbooks: .*"robusta\.playbooks" is a module path or a list of them/);
    await rm(join(dir, "package.json"));
  });

  it("is refused, saying where it was looked for, when it does not exist", async () => {
    await expect(resolveProject({ dir, entries: [join(dir, "nope.ts")] })).rejects.toThrow(BuildError);
    await expect(resolveProject({ dir, entries: [join(dir, "src")] })).rejects.toThrow(`the playbook entry ${join(dir, "src")} is a directory without an index.ts`);
  });
});
