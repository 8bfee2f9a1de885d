import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempDir } from "./run.js";

const packageJson = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const values = (dir: string) => readFileSync(join(dir, "values.yaml"), "utf8");

describe("create-robusta-playbooks options", () => {
  it("prints its help, naming every template", async () => {
    const result = await run(["--help"], { cwd: tempDir() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--template NAME");
    expect(result.stdout).toContain("crash-loop");
    expect(result.stdout).toContain("alert-enrichment");
  });

  it.each([
    [["x", "--template", "nope"], '--template: unknown template "nope": one of crash-loop, alert-enrichment'],
    [["x", "--name", "My Playbooks"], '--name: "My Playbooks" is not a valid npm package name'],
    [["x", "--cluster-name", "prod cluster"], '--cluster-name: "prod cluster" is not a usable cluster name'],
    [["x", "--image", "ghcr.io/acme/runner:1.0"], "--image: give the image repository without a tag or digest"],
    [["x", "--image", "GHCR.io/Acme/Runner"], '--image: "GHCR.io/Acme/Runner" is not a valid image repository'],
    [["x", "--colour"], "Unknown option '--colour'"],
    [["a", "b"], "give one directory, not 2: a b"],
  ])("refuses %j with a usage error that says what is wrong", async (argv, message) => {
    const cwd = tempDir();
    const result = await run(argv, { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("Usage:");
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("takes every answer from flags, without asking", async () => {
    const cwd = tempDir();
    const result = await run(
      ["ops", "--template", "alert-enrichment", "--name", "@acme/ops-playbooks", "--cluster-name", "prod-eu", "--image", "registry.acme.io:5000/sre/runner"],
      { cwd, tty: true },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("?");
    expect(packageJson(join(cwd, "ops")).name).toBe("@acme/ops-playbooks");
    expect(values(join(cwd, "ops"))).toContain("clusterName: prod-eu\n");
    expect(values(join(cwd, "ops"))).toContain("repository: registry.acme.io:5000/sre/runner\n");
    expect(existsSync(join(cwd, "ops", "test", "alert-enrichment.test.ts"))).toBe(true);
  });

  // The input never ends in these: a question would hang the test rather than pass it.
  it.each([
    ["with --yes on a terminal", ["--yes"], { tty: true, env: {} }],
    ["without a terminal", [], { tty: false, env: {} }],
    ["with CI set", [], { tty: true, env: { CI: "true" } }],
  ])("asks nothing %s, and uses the defaults", async (_, flags, context) => {
    const cwd = tempDir();
    const result = await run(["My Playbooks", ...flags], { cwd, ...context });
    expect(result.code).toBe(0);
    const dir = join(cwd, "My Playbooks");
    expect(packageJson(dir).name).toBe("my-playbooks");
    expect(values(dir)).toContain("clusterName: my-cluster\n");
    expect(values(dir)).toContain("repository: ghcr.io/my-org/my-playbooks\n");
    expect(existsSync(join(dir, "test", "crash-loops.test.ts"))).toBe(true);
    expect(result.stdout).toContain('cd "My Playbooks"');
    expect(result.stdout).toContain("npm test");
  });

  it("scaffolds into ./robusta-playbooks when no directory is given and nothing may be asked", async () => {
    const cwd = tempDir();
    expect((await run(["--yes"], { cwd })).code).toBe(0);
    expect(packageJson(join(cwd, "robusta-playbooks")).name).toBe("robusta-playbooks");
  });

  it("asks on a terminal for what no flag says, re-asking after an invalid answer", async () => {
    const cwd = tempDir();
    const result = await run(["--cluster-name", "staging"], {
      cwd,
      tty: true,
      answers: ["team-a", "3", "2", "Team A", "", "ghcr.io/team-a/runner"],
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Directory (robusta-playbooks): ");
    expect(result.stdout).toContain("answer 1 to 2, or one of crash-loop, alert-enrichment");
    expect(result.stdout).toContain('"Team A" is not a valid npm package name');
    expect(result.stdout).not.toContain("Cluster name");
    const dir = join(cwd, "team-a");
    expect(packageJson(dir).name).toBe("team-a");
    expect(values(dir)).toContain("clusterName: staging\n");
    expect(values(dir)).toContain("repository: ghcr.io/team-a/runner\n");
    expect(existsSync(join(dir, "test", "alert-enrichment.test.ts"))).toBe(true);
  });

  it("stops with a message when the input ends before every question is answered", async () => {
    const cwd = tempDir();
    const result = await run(["dir"], { cwd, tty: true, answers: ["crash-loop"] });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cancelled");
    expect(existsSync(join(cwd, "dir"))).toBe(false);
  });
});

describe("create-robusta-playbooks target directory", () => {
  function nonEmpty() {
    const cwd = tempDir();
    mkdirSync(join(cwd, "repo"));
    writeFileSync(join(cwd, "repo", "notes.md"), "mine\n");
    writeFileSync(join(cwd, "repo", "README.md"), "old readme\n");
    return cwd;
  }

  it("refuses a non-empty directory without --overwrite, and writes nothing", async () => {
    const cwd = nonEmpty();
    const result = await run(["repo", "--yes"], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("repo is not empty");
    expect(result.stderr).toContain("--overwrite");
    expect(readdirSync(join(cwd, "repo")).sort()).toEqual(["README.md", "notes.md"]);
  });

  it("refuses it on a terminal when the user does not confirm", async () => {
    const cwd = nonEmpty();
    const result = await run(["repo"], { cwd, tty: true, answers: ["n"] });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("repo is not empty. Write into it, replacing files of the same name? (y/N)");
    expect(readFileSync(join(cwd, "repo", "README.md"), "utf8")).toBe("old readme\n");
  });

  it("writes into it with --overwrite, replacing files of the same name and keeping the others", async () => {
    const cwd = nonEmpty();
    const result = await run(["repo", "--overwrite"], { cwd });
    expect(result.code).toBe(0);
    expect(readFileSync(join(cwd, "repo", "notes.md"), "utf8")).toBe("mine\n");
    expect(readFileSync(join(cwd, "repo", "README.md"), "utf8")).toContain("# repo");
  });

  it("takes a directory holding only .git (a freshly cloned empty repository) as empty", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "repo", ".git"), { recursive: true });
    expect((await run(["repo"], { cwd })).code).toBe(0);
  });

  it("refuses a target that is a file", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "repo"), "");
    const result = await run(["repo", "--yes", "--overwrite"], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("repo exists and is not a directory");
  });

  it("says which tarballs --local-packages lacks", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "packs"));
    const result = await run(["repo", "--local-packages", "packs"], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("expected one robusta-ts-runtime-<version>.tgz there (from npm pack), found none");
  });
});
