/**
 * The Slack sink inside a whole runner: Alertmanager payloads in, the fake Slack out, through
 * routing, the delivery queue and its retries, grouping, and a button press that runs an action.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { callback, defineAction, definePlaybook, EventClasses, markdown, onPrometheusAlert } from "@robusta-ts/sdk";
import { InMemoryCluster, MemoryLogger } from "@robusta-ts/sdk/testing";
import { z } from "zod";
import { VirtualDeliveryClock } from "../../src/delivery/clock.js";
import { Runtime } from "../../src/runtime.js";
import { sinkBaseOf } from "../../src/sinks/base-params.js";
import { slackSinkParams } from "../../src/sinks/slack/slack-params.js";
import { SlackSink } from "../../src/sinks/slack/slack-sink.js";
import { FakeSlack } from "../../../test/fakes/slack/fake-slack.js";
import { waitFor } from "../../../test/support/wait-for.js";
import { json } from "../helpers.js";

const sample = JSON.parse(readFileSync(new URL("../../../../shared/fixtures/alertmanager-webhook-sample.json", import.meta.url), "utf8"));

/** The sample webhook with `count` distinct alerts (pods web-0, web-1, ...). */
function webhook(count: number, status: "firing" | "resolved" = "firing") {
  const [alert] = sample.alerts;
  const alerts = Array.from({ length: count }, (_, i) => ({
    ...alert,
    status,
    labels: { ...alert.labels, pod: `web-${i}` },
    fingerprint: `f${i}`,
    ...(status === "resolved" && { endsAt: "2026-11-23T10:00:00Z" }),
  }));
  return { ...sample, status, alerts };
}

const sayHello = defineAction({
  name: "say_hello",
  description: "Says hello.",
  event: EventClasses.Base,
  params: z.object({ greeting: z.string() }),
  run(_event, params, ctx) {
    ctx.addEnrichment([markdown(`hello: ${params.greeting}`)]);
  },
});

const alerts = definePlaybook({
  name: "alerts",
  triggers: [onPrometheusAlert({ status: "all" })],
  run: (event, ctx) =>
    ctx.addEnrichment([markdown(`saw ${event.alertName}`), callback([{ text: "Say hello", action: "say_hello", params: { greeting: "from a button" } }])]),
});

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setup(params: (fake: FakeSlack) => Record<string, unknown> = () => ({})) {
  const clock = new VirtualDeliveryClock();
  const fake = await FakeSlack.start({ now: () => clock.now() });
  const logger = new MemoryLogger();
  const parsed = slackSinkParams.parse({ name: "slack", api_key: fake.botToken, slack_channel: "alerts", api_url: fake.apiUrl, ...params(fake) });
  const sink = new SlackSink(sinkBaseOf(parsed), parsed, { clusterName: "prod-eu", globalConfig: {}, logger }, { clock });
  const runtime = new Runtime({
    playbooks: [alerts],
    actions: [sayHello],
    cluster: new InMemoryCluster(),
    sinks: [sink],
    logger,
    deliveryClock: clock,
    options: { host: "127.0.0.1", port: 0, clusterName: "prod-eu" },
  });
  cleanup.push(() => fake.close(), () => runtime.close());
  const metrics = async () => (await runtime.app.request("/metrics")).text();
  return { fake, clock, runtime, metrics, channel: fake.channelMessages.bind(fake) };
}

describe("the Slack sink in a runner", () => {
  it("loses no finding when Slack answers 429 for 30 s, and honours its Retry-After", async () => {
    const { fake, runtime, metrics } = await setup();
    fake.rateLimitFor(30_000);
    const response = await runtime.app.request("/api/alerts", json(webhook(5)));
    expect(response.status).toBe(200);
    await runtime.idle();

    const posted = fake.callsTo("chat.postMessage");
    expect(posted.filter((call) => call.status === 429).length).toBeGreaterThan(0);
    // Nothing was sent again before Slack said it could be.
    const firstOk = posted.find((call) => call.status === 200)!;
    expect(firstOk.at - posted[0]!.at).toBeGreaterThanOrEqual(30_000);
    const messages = fake.messages.filter((m) => m.threadTs === undefined);
    expect(messages).toHaveLength(5);
    for (const message of messages) expect(message.text).toContain("is crash looping");
    const text = await metrics();
    expect(text).toContain('robusta_findings_total{sink="slack",result="delivered"} 5');
    expect(text).not.toContain('result="failed"');
  });

  it("threads findings under one summary per group, and keeps its counts current", async () => {
    const { fake, runtime } = await setup(() => ({ grouping: { group_by: ["identifier"], notification_mode: { summary: { by: ["identifier"] } } } }));
    await runtime.app.request("/api/alerts", json(webhook(1)));
    await runtime.idle();
    // The first alert again (dropped as already seen) and two new ones.
    await runtime.app.request("/api/alerts", json(webhook(3)));
    await runtime.idle();

    const tops = fake.messages.filter((m) => m.threadTs === undefined);
    expect(tops).toHaveLength(1);
    const summary = tops[0]!;
    expect(fake.replies(summary.channel, summary.ts)).toHaveLength(3);
    // The summary was posted with the first finding and edited as the later ones came.
    expect(String(fake.callsTo("chat.postMessage")[0]!.args.text)).toContain("1 notification (1 firing");
    expect(fake.callsTo("chat.update").length).toBeGreaterThan(0);
    expect(fake.message(summary.channel, summary.ts)!.text).toContain("3 notifications (3 firing, 0 resolved)");
    expect(JSON.stringify(fake.message(summary.channel, summary.ts)!.blocks)).toContain("KubePodCrashLooping");
  });

  it("runs a button's action when it is pressed, replies with its findings and edits the message", async () => {
    const { fake, runtime } = await setup((slack) => ({ app_token: slack.appToken }));
    await runtime.listen();
    await waitFor("the Socket Mode connection", () => fake.socketMode.connected);
    await runtime.app.request("/api/alerts", json(webhook(1)));
    await runtime.idle();
    const [message] = fake.messages;
    expect(JSON.stringify(message!.blocks)).toContain("Say hello");

    await fake.pressViaSocket({ channel: message!.channel, ts: message!.ts, actionId: "robusta_callback:0", user: "U0ALICE" });
    const reply = await waitFor("the action's finding in the thread", () => fake.replies(message!.channel, message!.ts)[0]);
    expect(JSON.stringify(reply.blocks)).toContain("hello: from a button");
    const edited = await waitFor("the edited message", () => fake.message(message!.channel, message!.ts)!.history.length > 0 && fake.message(message!.channel, message!.ts)!);
    expect(JSON.stringify(edited.blocks)).toContain("ran say_hello");
    expect(JSON.stringify(edited.blocks)).not.toContain("Say hello");
  });
});
