/**
 * Vitest runs TypeScript through Vite, whose default transform does not lower standard
 * decorators. This plugin compiles TypeScript with esbuild instead (the compiler `robusta build`
 * uses), and refuses a tsconfig with `experimentalDecorators`. Use it in vitest.config.ts:
 *
 *   import { defineConfig } from "vitest/config";
 *   import { robustaPlaybooks } from "@robusta-ts/runtime/vitest";
 *   export default defineConfig({ plugins: [robustaPlaybooks()] });
 */
import { transform } from "esbuild";
import type { Plugin } from "vite";
import { playbookTransformOptions } from "./esbuild-options.js";
import { assertStandardDecorators } from "./tsconfig-check.js";

const TYPESCRIPT = /\.(c|m)?tsx?$/;

export function robustaPlaybooks(): Plugin {
  return {
    name: "robusta:standard-decorators",
    enforce: "pre",
    config: () => ({ oxc: false }),
    configResolved(config) {
      assertStandardDecorators(config.root);
    },
    async transform(code, id) {
      const file = id.split("?")[0] ?? id;
      if (!TYPESCRIPT.test(file) || file.endsWith(".d.ts")) return undefined;
      const result = await transform(code, playbookTransformOptions(file));
      return { code: result.code, map: result.map };
    },
  };
}
