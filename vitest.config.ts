import { defineConfig } from "vitest/config";
// Imported by path so Vite bundles it with this config (the package exports TypeScript sources).
import { robustaPlaybooks } from "./runtime/src/toolchain/vitest-plugin.ts";
import { summaryReporter } from "./test/summary-reporter.ts";

export default defineConfig({
  plugins: [robustaPlaybooks()],
  test: {
    include: [
      "sdk/test/**/*.test.ts",
      "runtime/test/**/*.test.ts",
      "examples/*/test/**/*.test.ts",
      "test/**/*.test.ts",
      "templates/*/test/**/*.test.ts",
      "templates/*/templates/*/test/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "test/bench/**"],
    reporters: ["default", summaryReporter()],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
