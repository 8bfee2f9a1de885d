/**
 * `robusta build [DIR] [--entry FILE]... [--outdir DIR] [--no-typecheck]`: the playbook project
 * type-checked, then bundled with the runtime into DIR/dist/runner.mjs, with dist/manifest.json.
 */
import { parseArgs } from "node:util";
import { UsageError } from "./usage-error.js";

export async function build(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      entry: { type: "string", multiple: true },
      outdir: { type: "string" },
      "no-typecheck": { type: "boolean", default: false },
    },
  });
  if (positionals.length > 1) throw new UsageError(`robusta build takes one project directory, got ${positionals.length}: ${positionals.join(" ")}`);
  if (values.outdir === "") throw new UsageError("--outdir needs a directory");
  // The toolchain (esbuild, TypeScript) loads only when building, not with every command.
  const { buildCommand } = await import("../toolchain/build/index.js");
  return buildCommand({
    ...(positionals[0] !== undefined && { dir: positionals[0] }),
    ...(values.entry !== undefined && { entries: values.entry }),
    ...(values.outdir !== undefined && { outdir: values.outdir }),
    typecheck: !values["no-typecheck"],
  });
}
