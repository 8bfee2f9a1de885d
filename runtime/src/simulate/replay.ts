/**
 * Replays a fixture's events through the playbooks with the SDK's Engine, against an in-memory
 * cluster seeded from the fixture, the way the runner would: alerts relabelled by the
 * configuration's alertRelabel rules, each event dispatched in turn with one engine (so rate
 * limits between them apply), findings collected per sink.
 */
import {
  ActionRegistry,
  builtinActions,
  Engine,
  relabelAlert,
  type AlertRelabel,
  type AnyAction,
  type Finding,
  type GlobalConfig,
  type Logger,
  type PlaybookDefinition,
  type PlaybookRun,
} from "@robusta-ts/sdk";
import { InMemoryCluster } from "@robusta-ts/sdk/testing";
import { seedEvents, seedObjects, type Fixture } from "./fixture.js";

export interface ReplayOptions {
  readonly playbooks: readonly PlaybookDefinition[];
  readonly actions: readonly AnyAction[];
  readonly logger: Logger;
  readonly globalConfig?: GlobalConfig;
  readonly alertRelabel?: readonly AlertRelabel[];
  /** Sink names and whether each is a default sink; findings are collected for each. */
  readonly sinks: readonly { readonly name: string; readonly isDefault: boolean }[];
  readonly clusterName: string;
}

/** One finding and the sinks it was addressed to. */
export interface ReplayedFinding {
  readonly finding: Finding;
  readonly sinks: readonly string[];
}

export interface ReplayResult {
  readonly findings: readonly ReplayedFinding[];
  readonly runs: readonly PlaybookRun[];
}

/** The in-memory cluster a fixture describes. */
export function clusterOf(fixture: Fixture): InMemoryCluster {
  const cluster = new InMemoryCluster().apply(...seedObjects(fixture));
  for (const { namespace, pod, container, current, previous } of fixture.seed.logs) {
    cluster.setLogs(namespace, pod, container, { ...(current !== undefined && { current }), ...(previous !== undefined && { previous }) });
  }
  return cluster.addEvents(...seedEvents(fixture));
}

export async function replay(fixture: Fixture, options: ReplayOptions): Promise<ReplayResult> {
  const engine = new Engine({
    playbooks: options.playbooks,
    actions: new ActionRegistry([...builtinActions, ...options.actions]),
    cluster: clusterOf(fixture),
    logger: options.logger,
    clock: { now: () => new Date() },
    config: { cluster_name: options.clusterName, ...options.globalConfig },
    defaultSinks: options.sinks.filter((sink) => sink.isDefault).map((sink) => sink.name),
  });
  const findings: ReplayedFinding[] = [];
  const runs: PlaybookRun[] = [];
  for (const incoming of fixture.events) {
    const event = incoming.source === "prometheus" ? relabelAlert(incoming, options.alertRelabel ?? []) : incoming;
    const result = await engine.handle(event);
    runs.push(...result.runs);
    // Each sink gets its own copy of a finding (same id): print it once, naming the sinks.
    const byId = new Map<string, { finding: Finding; sinks: string[] }>();
    for (const [sink, list] of result.findings) {
      for (const finding of list) {
        const seen = byId.get(finding.id);
        if (seen) seen.sinks.push(sink);
        else byId.set(finding.id, { finding, sinks: [sink] });
      }
    }
    findings.push(...byId.values());
  }
  return { findings, runs };
}
