import { defineConfig } from "vitest/config";
// Imported by path so Vite bundles it with this config (the package exports TypeScript sources).
import { robustaPlaybooks } from "../../runtime/src/toolchain/vitest-plugin.ts";

/**
 * This package's fast tests and the templates' own tests, against the workspace packages:
 *   npx vitest run --config templates/create-robusta-playbooks/vitest.config.ts
 * (the root config runs the same files as part of `npm test`).
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [robustaPlaybooks()],
  test: {
    include: ["test/**/*.test.ts", "templates/*/test/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
