/**
 * The one esbuild setup used wherever playbook TypeScript is compiled (the vitest plugin, and
 * `robusta build` later): it lowers standard decorators, which Node does not run natively yet.
 */
import type { BuildOptions, TransformOptions } from "esbuild";

/** ES2022 makes esbuild lower decorators while keeping everything else native on Node 22+. */
export const PLAYBOOK_TARGET = "es2022";

/** Class fields per the standard, and standard decorators: legacy ones are refused before we get here. */
export const PLAYBOOK_TSCONFIG_RAW = { compilerOptions: { useDefineForClassFields: true, experimentalDecorators: false } } as const;

export function playbookTransformOptions(sourcefile: string): TransformOptions {
  return {
    loader: sourcefile.endsWith("x") ? "tsx" : "ts",
    format: "esm",
    target: PLAYBOOK_TARGET,
    sourcemap: true,
    sourcefile,
    tsconfigRaw: PLAYBOOK_TSCONFIG_RAW,
  };
}

/**
 * Bundling playbooks with the runtime into one ESM file for Node. Some dependencies are CommonJS
 * (yaml's Node build) and require() Node's built-ins, which an ESM bundle has no require for:
 * the banner gives it Node's own.
 */
export function playbookBundleOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: PLAYBOOK_TARGET,
    sourcemap: true,
    banner: { js: 'import { createRequire as __robustaRequire } from "node:module"; const require = __robustaRequire(import.meta.url);' },
  };
}
