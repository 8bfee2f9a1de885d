import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validate } from "../../../runtime/src/cli/validate.js";
import { loadValues } from "../../../runtime/src/manifests/values.js";
import { TEMPLATES } from "../src/templates.js";
import { run, tempDir } from "./run.js";

const repo = (path: string) => JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8"));

function files(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(root, path) : [relative(root, path)];
  });
}

async function scaffolded(template: string) {
  const cwd = tempDir();
  const result = await run(["acme-playbooks", "--template", template, "--cluster-name", "prod-eu", "--image", "ghcr.io/acme/playbooks"], { cwd });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const dir = join(cwd, "acme-playbooks");
  return { dir, read: (path: string) => readFileSync(join(dir, path), "utf8") };
}

describe.each(TEMPLATES.map((t) => t.name))("the %s scaffold", (template) => {
  it("has every file a playbook repository needs, dotfiles included, with no placeholder left", async () => {
    const { dir, read } = await scaffolded(template);
    const all = files(dir);
    expect(all).toEqual(
      expect.arrayContaining([
        ".dockerignore",
        ".github/workflows/ci.yml",
        ".gitignore",
        "Dockerfile",
        "README.md",
        "package.json",
        "playbooks/index.ts",
        "tsconfig.json",
        "values.yaml",
        "vitest.config.ts",
      ]),
    );
    expect(all.filter((f) => f.startsWith("test/") && f.endsWith(".test.ts"))).toHaveLength(1);
    for (const file of all) expect(read(file), file).not.toMatch(/__[A-Z_]+__/);
    expect(read("README.md")).toContain("# acme-playbooks");
  });

  it("has a package.json that tests, type-checks and builds with Node 24", async () => {
    const pkg = JSON.parse((await scaffolded(template)).read("package.json"));
    expect(pkg).toMatchObject({ name: "acme-playbooks", private: true, type: "module" });
    expect(pkg.scripts).toMatchObject({ test: expect.stringContaining("vitest run"), typecheck: "tsc --noEmit", build: "robusta build" });
    const version = `^${repo("runtime/package.json").version}`;
    expect(pkg.dependencies).toEqual({ "@robusta-ts/runtime": version, "@robusta-ts/sdk": version });
    // The same toolchain the repository's own packages are tested with.
    const root = repo("package.json").devDependencies;
    for (const tool of ["node", "typescript", "vitest", "@types/node"]) expect(pkg.devDependencies[tool], tool).toBe(root[tool]);
  });

  it("has a simulate script replaying a fixture the scaffold ships", async () => {
    const { dir, read } = await scaffolded(template);
    const fixture = / (fixtures\/\S+) playbooks/.exec(JSON.parse(read("package.json")).scripts.simulate)?.[1];
    expect(fixture && files(dir)).toContain(fixture);
  });

  it("has a strict tsconfig with standard decorators", async () => {
    // tsconfig.json is JSON with comments.
    const tsconfig = JSON.parse((await scaffolded(template)).read("tsconfig.json").replace(/^\s*\/\/.*$/gm, ""));
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, noUncheckedIndexedAccess: true, module: "nodenext" });
    expect(tsconfig.compilerOptions.experimentalDecorators).toBeUndefined();
  });

  it("has a Dockerfile for a non-root Node 24 image holding only the built bundle", async () => {
    const { read } = await scaffolded(template);
    const dockerfile = read("Dockerfile").split("\n").filter((line) => line && !line.startsWith("#"));
    expect(dockerfile[0]).toMatch(/^FROM node:24-(slim|alpine)$/);
    expect(dockerfile.filter((line) => /^(COPY|ADD) /.test(line))).toEqual(["COPY dist/ /app/"]);
    expect(dockerfile).toContain("USER node");
    expect(dockerfile.at(-1)).toBe('CMD ["node", "--enable-source-maps", "/app/runner.mjs", "run"]');
    expect(read(".dockerignore")).toMatch(/^\*\n!dist\/\n$/m);
  });

  it("has a CI workflow that tests, builds, and pushes the image from main only", async () => {
    const workflow = parse((await scaffolded(template)).read(".github/workflows/ci.yml"));
    expect(workflow.env.IMAGE).toBe("ghcr.io/acme/playbooks");
    const steps: { run?: string; uses?: string; with?: Record<string, unknown> }[] = workflow.jobs.build.steps;
    const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs.slice(0, 4)).toEqual(["npm ci", "npm run typecheck", "npm test", "npm run build"]);
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node"))?.with?.["node-version"]).toBe(24);
    const push = steps.find((s) => s.uses?.startsWith("docker/build-push-action"));
    expect(push?.with?.push).toBe("${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}");
    expect(workflow.jobs.build.permissions.packages).toBe("write");
  });

  it("has Helm values the runner accepts, with sink secrets only as {{ env.X }}", async () => {
    const { dir, read } = await scaffolded(template);
    const values = parse(read("values.yaml"));
    expect(values.clusterName).toBe("prod-eu");
    expect(values.runner.image.repository).toBe("ghcr.io/acme/playbooks");
    expect(values.sinksConfig).toEqual([{ console_sink: { name: "console" } }]);
    expect(read("values.yaml")).toContain('api_key: "{{ env.SLACK_API_KEY }}"');

    const out = capture();
    const err = capture();
    expect(await validate({ file: join(dir, "values.yaml"), modules: [], out, err })).toBe(0);
    expect(out.text).toContain("is valid");
    // And the chart takes them (its values.schema.json is the same schema).
    await expect(loadValues([join(dir, "values.yaml")], [])).resolves.toMatchObject({ clusterName: "prod-eu" });
  });
});

function capture() {
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        stream.text += chunk.toString();
        done();
      },
    }),
    { text: "" },
  );
  return stream;
}
