/**
 * Compile-time checks, proven by compiling: the fixtures in fixtures/type-errors mark with
 * "// error:" each line that must fail to compile; every other line must compile.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("./fixtures/type-errors/", import.meta.url));
const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");

function compile(): Map<string, number[]> {
  const result = spawnSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--noEmit", "--pretty", "false"], { encoding: "utf8" });
  const errors = new Map<string, number[]>();
  for (const match of result.stdout.matchAll(/^(?:.*\/)?([\w.-]+\.ts)\((\d+),\d+\): error TS\d+/gm)) {
    errors.set(match[1]!, [...(errors.get(match[1]!) ?? []), Number(match[2])]);
  }
  return errors;
}

function markedLines(file: string): number[] {
  return readFileSync(join(dir, file), "utf8")
    .split("\n")
    .flatMap((line, i) => (line.includes("// error:") ? [i + 1] : []));
}

describe("type checking of playbooks", () => {
  const errors = compile();
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));

  it("accepts handlers that take what their triggers produce", () => {
    expect(errors.get("compiles.ts")).toBeUndefined();
  });

  it.each(files.filter((f) => f !== "compiles.ts"))("rejects exactly the marked lines of %s", (file) => {
    const marked = markedLines(file);
    expect(marked.length).toBeGreaterThan(0);
    expect(errors.get(file)).toEqual(marked);
  });
});
