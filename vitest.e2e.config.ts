import { defineConfig } from "vitest/config";
// Imported by path so Vite bundles it with this config (the package exports TypeScript sources).
import { robustaPlaybooks } from "./runtime/src/toolchain/vitest-plugin.ts";
import { summaryReporter } from "./test/summary-reporter.ts";

/**
 * End-to-end tests against a real API server: `npm run test:e2e`. They use the cluster KUBECONFIG
 * names; test/e2e/global-setup.ts checks it once and, without one, every test is skipped (exit 0).
 * `scripts/e2e/with-kube-local.sh npm run test:e2e` runs them against a throwaway local cluster.
 */

export default defineConfig({
  plugins: [robustaPlaybooks()],
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    reporters: ["default", summaryReporter("e2e")],
    // One file at a time: the files share one cluster (and its fake node and Alertmanager).
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
