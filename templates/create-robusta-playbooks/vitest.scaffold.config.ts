import { defineConfig } from "vitest/config";

/** The slow scaffold test (npm pack, npm install, test, build): scripts/scaffold-test.sh runs it. */
export default defineConfig({
  root: import.meta.dirname,
  test: {
    include: ["test/scaffold.slow.ts"],
    // The steps of one template depend on each other: run in order.
    sequence: { concurrent: false },
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
