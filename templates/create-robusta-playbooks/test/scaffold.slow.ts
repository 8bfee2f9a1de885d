/**
 * The slow scaffold test: packs @robusta-ts/sdk, @robusta-ts/runtime and this initializer as npm
 * would publish them, scaffolds every template from the packed initializer against the packed
 * packages, then installs, tests, type-checks and builds each scaffold, and runs the bundle.
 * Needs the npm registry (for vitest, typescript, node, ...). Run by scripts/scaffold-test.sh.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEMPLATES } from "../src/templates.js";

const REPO = join(import.meta.dirname, "../../..");
const work = mkdtempSync(join(tmpdir(), "scaffold-test-"));
const packs = join(work, "packs");

// npm's own variables from the outer `npm run`/`npx` would leak its settings into the inner npm;
// plain output, so it can be matched.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== "FORCE_COLOR"));

/** Runs a command; on failure the error carries its whole output. */
async function sh(cwd: string, command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { cwd, env: { ...env, CI: "true", NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 });
    return stdout + stderr;
  } catch (error) {
    const { stdout = "", stderr = "", message } = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`\`${command} ${args.join(" ")}\` failed in ${cwd}: ${message}\n${stdout}\n${stderr}`);
  }
}

beforeAll(async () => {
  mkdirSync(packs);
  for (const pkg of ["sdk", "runtime", "templates/create-robusta-playbooks"]) {
    await sh(join(REPO, pkg), "npm", ["pack", "--silent", "--pack-destination", packs]);
  }
}, 300_000);

afterAll(() => {
  if (!process.env.KEEP_SCAFFOLDS) rmSync(work, { recursive: true, force: true });
});

describe.each(TEMPLATES.map((t) => t.name))("a project scaffolded from the %s template", (template) => {
  const dir = join(work, template);

  it("is created by the packed initializer, with no question asked", async () => {
    const initializer = readdirSync(packs).find((f) => f.startsWith("create-robusta-playbooks-"));
    const output = await sh(work, "npm", [
      "exec", "--yes", `--package=${join(packs, initializer ?? "missing")}`, "--",
      "create-robusta-playbooks", template, "--template", template, "--local-packages", packs,
    ]);
    expect(output).toContain(`Created ${template} from the ${template} template`);
    expect(existsSync(join(dir, ".gitignore"))).toBe(true);
  });

  it("installs, and passes its tests and its type check", async () => {
    await sh(dir, "npm", ["install", "--no-audit", "--no-fund"]);
    expect(await sh(dir, "npm", ["test"])).toMatch(/Tests\s+\d+ passed/);
    await sh(dir, "npm", ["run", "typecheck"]);
  });

  it("builds a runnable bundle whose runner accepts the scaffold's values.yaml", async () => {
    await sh(dir, "npm", ["run", "build"]);
    expect(existsSync(join(dir, "dist", "runner.mjs"))).toBe(true);
    expect(existsSync(join(dir, "dist", "manifest.json"))).toBe(true);
    // `npm exec` puts the scaffold's Node 24 (the `node` devDependency) first on PATH, as the image has it.
    expect(await sh(dir, "npm", ["exec", "--", "node", "--enable-source-maps", "dist/runner.mjs", "validate", "values.yaml"])).toContain(
      "values.yaml is valid",
    );
  });

  it("replays its fixture through its playbooks with npm run simulate", async () => {
    expect(await sh(dir, "npm", ["run", "simulate"])).toMatch(/event replayed: ran .*; 1 finding/);
  });
});
