/**
 * @robusta-ts/sdk/testing: run playbooks without a cluster. An in-memory cluster, fixture
 * builders, a fake clock and a capturing logger; the engine itself comes from the SDK, so tests
 * run the same matching and dispatch code as production.
 */
export { InMemoryCluster, type ContainerLogs, type ClusterWrite } from "./memory-cluster.js";
export { FakeClock } from "./clock.js";
export { MemoryLogger, type LogEntry } from "./logger.js";
export * as fixtures from "./fixtures.js";
export { createTestRunner, TestRunner, type TestRunnerOptions, type CapturingSink, type AlertInput } from "./test-runner.js";
export { findingMatchers, matchesPartially, describeFindings, type FindingMatch, type BlockMatch, type FindingMatchers } from "./matchers.js";
