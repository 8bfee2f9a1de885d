/**
 * `@robusta-ts/sdk/testing/vitest`: registers the finding matchers with vitest. Add it to
 * `setupFiles` in vitest.config.ts (or import it at the top of a test file):
 *
 * ```ts
 * expect(findings).toContainFinding({ title: /crash/i, severity: "HIGH", enrichment: "Logs" });
 * expect(findings[0]).toHaveBlock({ type: "file", filename: "web-0.log" });
 * ```
 */
import { expect } from "vitest";
import { findingMatchers, type FindingMatchers } from "./matchers.js";

expect.extend(findingMatchers);

declare module "vitest" {
  // Vitest's documented way to type custom matchers: merge them into its Matchers interface.
  interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown> extends FindingMatchers<R> {}
}
