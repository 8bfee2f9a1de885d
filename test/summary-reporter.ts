import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends a vitest run with a plain "N passed, N failed, N skipped" line, which any CI log reader
 * understands (vitest's own summary is decorated). `label` prefixes it, e.g. "e2e".
 */
export function summaryReporter(label?: string): Reporter {
  return {
    onTestRunEnd(modules: ReadonlyArray<TestModule>) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      for (const module of modules) {
        for (const test of module.children.allTests()) {
          const state = test.result().state;
          if (state === "passed" || state === "failed" || state === "skipped") counts[state]++;
        }
        if (module.state() === "failed" && module.children.size === 0) counts.failed++; // a file that did not load
      }
      process.stdout.write(`\n${label ? `${label}: ` : ""}${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
    },
  };
}
