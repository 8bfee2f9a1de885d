/**
 * The one esbuild setup used wherever playbook TypeScript is compiled (the vitest plugin, and
 * `robusta build` later): it lowers standard decorators, which Node does not run natively yet.
 */
import type { TransformOptions } from "esbuild";

/** ES2022 makes esbuild lower decorators while keeping everything else native on Node 22+. */
export const PLAYBOOK_TARGET = "es2022";

export function playbookTransformOptions(sourcefile: string): TransformOptions {
  return {
    loader: sourcefile.endsWith("x") ? "tsx" : "ts",
    format: "esm",
    target: PLAYBOOK_TARGET,
    sourcemap: true,
    sourcefile,
    // Class fields per the standard; legacy decorators are refused before we get here.
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, experimentalDecorators: false } },
  };
}
