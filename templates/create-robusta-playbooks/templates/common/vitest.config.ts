import { defineConfig } from "vitest/config";
// Compiles playbooks with standard decorators, as `robusta build` does. The package ships
// TypeScript, so the config is loaded with `vitest --configLoader runner` (see package.json).
import { robustaPlaybooks } from "@robusta-ts/runtime/vitest";

export default defineConfig({
  plugins: [robustaPlaybooks()],
  test: {
    include: ["test/**/*.test.ts"],
  },
});
