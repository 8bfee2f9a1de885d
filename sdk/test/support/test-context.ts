/**
 * A hand-made Context for calling actions without the engine: it records what the action adds,
 * so tests can look at the enrichments and findings an action produced.
 */
import type { Block, Cluster, Context, EnrichmentOptions, FindingChanges, FindingInit, GlobalConfig } from "../../src/index.js";
import { FakeClock, InMemoryCluster, MemoryLogger } from "../../src/testing/index.js";

export interface RecordedEnrichment {
  readonly blocks: readonly Block[];
  readonly options: EnrichmentOptions;
}

export class TestContext implements Context {
  readonly enrichments: RecordedEnrichment[] = [];
  readonly findings: FindingInit[] = [];
  readonly findingChanges: FindingChanges[] = [];
  stopped = false;
  readonly signal: AbortSignal = new AbortController().signal;
  readonly playbook = { name: "test-playbook" };

  constructor(
    readonly cluster: Cluster = new InMemoryCluster(),
    readonly config: GlobalConfig = {},
    readonly logger: MemoryLogger = new MemoryLogger(),
    readonly clock: FakeClock = new FakeClock(),
    readonly fetch: typeof globalThis.fetch = globalThis.fetch,
  ) {}

  addEnrichment(blocks: readonly Block[], options: EnrichmentOptions = {}): void {
    this.enrichments.push({ blocks: [...blocks], options });
  }

  addFinding(init: FindingInit): void {
    this.findings.push(init);
  }

  updateFinding(changes: FindingChanges): void {
    this.findingChanges.push(changes);
  }

  stopProcessing(): void {
    this.stopped = true;
  }

  /** Every block added, in order. */
  get blocks(): Block[] {
    return this.enrichments.flatMap((e) => [...e.blocks]);
  }
}
