import { defineConfig } from "vitest/config";
import type { Reporter, TestModule } from "vitest/node";
// Imported by path so Vite bundles it with this config (the package exports TypeScript sources).
import { robustaPlaybooks } from "./runtime/src/toolchain/vitest-plugin.ts";

/** Ends the run with a plain "N passed, N failed, N skipped" line that any CI log reader understands. */
const summary: Reporter = {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed" || state === "failed" || state === "skipped") counts[state]++;
      }
      if (module.state() === "failed" && module.children.size === 0) counts.failed++; // a file that did not load
    }
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  },
};

export default defineConfig({
  plugins: [robustaPlaybooks()],
  test: {
    include: ["sdk/test/**/*.test.ts", "runtime/test/**/*.test.ts", "examples/*/test/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "test/bench/**"],
    reporters: ["default", summary],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
