/** A Slack sink wired to a fake Slack on a virtual clock, for the Slack sink's tests. */
import type { Finding } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { VirtualDeliveryClock } from "../../src/delivery/clock.js";
import type { Pacer } from "../../src/delivery/pacer.js";
import { sinkBaseOf } from "../../src/sinks/base-params.js";
import type { MessageRef, SinkServices } from "../../src/sinks/sink.js";
import { slackSinkParams } from "../../src/sinks/slack/slack-params.js";
import { SlackSink } from "../../src/sinks/slack/slack-sink.js";
import { FakeSlack } from "../../../test/fakes/slack/fake-slack.js";

export interface Harness {
  readonly fake: FakeSlack;
  readonly clock: VirtualDeliveryClock;
  readonly logger: MemoryLogger;
  readonly sinks: SlackSink[];
  /** A sink on the fake; `params` add to or replace the defaults (channel "alerts"). */
  sink(params?: Record<string, unknown>, options?: { globalConfig?: Record<string, unknown>; pacer?: Pacer }): SlackSink;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const clock = new VirtualDeliveryClock();
  const fake = await FakeSlack.start({ now: () => clock.now() });
  const logger = new MemoryLogger();
  const sinks: SlackSink[] = [];
  return {
    fake,
    clock,
    logger,
    sinks,
    sink(params = {}, options = {}) {
      const parsed = slackSinkParams.parse({ name: "slack", api_key: fake.botToken, slack_channel: "alerts", api_url: fake.apiUrl, ...params });
      const sink = new SlackSink(
        sinkBaseOf(parsed),
        parsed,
        { clusterName: "prod-eu", globalConfig: options.globalConfig ?? {}, logger },
        { clock, ...(options.pacer !== undefined && { pacer: options.pacer }) },
      );
      sinks.push(sink);
      return sink;
    },
    async close() {
      await Promise.all(sinks.map((sink) => sink.close()));
      await fake.close();
    },
  };
}

/** SinkServices that record what a press asked for and delivered. */
export class FakeServices implements SinkServices {
  readonly logger = new MemoryLogger();
  readonly ran: { action: string; params: Readonly<Record<string, unknown>> }[] = [];
  readonly delivered: { finding: Finding; thread?: MessageRef }[] = [];

  constructor(private readonly run: (action: string, params: Readonly<Record<string, unknown>>) => Promise<readonly Finding[]>) {}

  async runAction(request: { action: string; params: Readonly<Record<string, unknown>> }): Promise<readonly Finding[]> {
    this.ran.push(request);
    return this.run(request.action, request.params);
  }

  deliver(finding: Finding, options?: { thread?: MessageRef }): boolean {
    this.delivered.push({ finding, ...(options?.thread !== undefined && { thread: options.thread }) });
    return true;
  }
}
