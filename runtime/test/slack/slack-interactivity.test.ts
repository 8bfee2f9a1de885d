import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callback, createFinding, type Finding } from "@robusta-ts/sdk";
import type { MessageRef } from "../../src/sinks/sink.js";
import type { SlackSink } from "../../src/sinks/slack/slack-sink.js";
import { waitFor } from "../../../test/support/wait-for.js";
import { FakeServices, startHarness, type Harness } from "./slack-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const RUNNER = "http://runner.test/sinks/slack/interactivity";

function withButton(): Finding {
  return createFinding({
    title: "Crashing pod web-0",
    aggregationKey: "CrashLoopBackoff",
    subject: { name: "web-0", namespace: "shop", subjectType: "pod" },
    enrichments: [{ annotations: {}, blocks: [callback([{ text: "Restart", action: "restart_pod", params: { name: "web-0", namespace: "shop" } }])] }],
  });
}

const restarted = createFinding({ title: "Restarted web-0", aggregationKey: "restart_pod" });
const okServices = () => new FakeServices(async () => [restarted]);

/** Every text of the message's sections and contexts, and its buttons' action ids. */
function shown(ref: MessageRef): { texts: string; buttons: string[] } {
  const blocks = h.fake.message(ref.channel, ref.id)!.blocks as { type: string; text?: { text: string }; elements?: { action_id?: string; text?: unknown }[] }[];
  return {
    texts: blocks.map((b) => b.text?.text ?? JSON.stringify(b.elements ?? "")).join("\n"),
    buttons: blocks.flatMap((b) => (b.type === "actions" ? (b.elements ?? []).map((e) => e.action_id ?? "") : [])),
  };
}

async function postWithButton(sink: SlackSink): Promise<MessageRef> {
  const ref = await sink.write(withButton());
  expect(shown(ref).buttons).toEqual(["robusta_callback:0"]);
  return ref;
}

const edited = (ref: MessageRef) => waitFor("the message edit", () => h.fake.message(ref.channel, ref.id)!.history.length > 0);

describe("slack_sink buttons over Socket Mode", () => {
  it("runs the pressed button's action, replies with its findings in the thread, and says who ran it", async () => {
    const sink = h.sink({ app_token: h.fake.appToken });
    const services = okServices();
    const ref = await postWithButton(sink);
    await sink.start!(services);
    await waitFor("the Socket Mode connection", () => h.fake.socketMode.connected);

    const ack = await h.fake.pressViaSocket({ channel: ref.channel, ts: ref.id, actionId: "robusta_callback:0", user: "U0ALICE" });
    await edited(ref);

    expect(ack.envelopeId).toBeTruthy();
    expect(services.ran).toEqual([{ action: "restart_pod", params: { name: "web-0", namespace: "shop" } }]);
    expect(services.delivered).toEqual([{ finding: restarted, thread: ref }]);
    expect(shown(ref).texts).toContain("✅ <@U0ALICE> ran restart_pod");
    expect(shown(ref).buttons).toEqual([]);
  });

  it("says in the message when the action failed", async () => {
    const sink = h.sink({ app_token: h.fake.appToken });
    const services = new FakeServices(async () => {
      throw new Error("pod web-0 not found");
    });
    const ref = await postWithButton(sink);
    await sink.start!(services);
    await waitFor("the Socket Mode connection", () => h.fake.socketMode.connected);

    await h.fake.pressViaSocket({ channel: ref.channel, ts: ref.id, actionId: "robusta_callback:0" });
    await edited(ref);

    expect(shown(ref).texts).toContain("❌ <@U0ALICE> could not run restart_pod: pod web-0 not found");
    expect(services.delivered).toEqual([]);
  });

  it("refuses a tampered value, tells the presser, and runs nothing", async () => {
    const sink = h.sink({ app_token: h.fake.appToken });
    const services = okServices();
    const ref = await postWithButton(sink);
    await sink.start!(services);
    await waitFor("the Socket Mode connection", () => h.fake.socketMode.connected);
    const original = h.fake.pressPayload({ channel: ref.channel, ts: ref.id, actionId: "robusta_callback:0" });
    const value = JSON.parse((original.actions as { value: string }[])[0]!.value) as Record<string, unknown>;
    const tampered = JSON.stringify({ ...value, params: { name: "db-0", namespace: "shop" } });

    await h.fake.pressViaSocket({ channel: ref.channel, ts: ref.id, actionId: "robusta_callback:0", user: "U0MALLORY", value: tampered });
    await waitFor("the answer to the presser", () => h.fake.ephemerals.length > 0);

    expect(h.fake.ephemerals[0]).toMatchObject({ channel: ref.channel, user: "U0MALLORY" });
    expect(h.fake.ephemerals[0]!.text).toContain("signature check");
    expect(services.ran).toEqual([]);
    expect(h.fake.message(ref.channel, ref.id)!.history).toEqual([]);
  });

  it("keeps the button's result when the finding later resolves", async () => {
    const sink = h.sink({ app_token: h.fake.appToken });
    const finding = { ...withButton(), source: "PROMETHEUS" as const, fingerprint: "fp-9" };
    const ref = await sink.write(finding);
    await sink.start!(okServices());
    await waitFor("the Socket Mode connection", () => h.fake.socketMode.connected);
    await h.fake.pressViaSocket({ channel: ref.channel, ts: ref.id, actionId: "robusta_callback:0" });
    await edited(ref);

    await sink.write({ ...finding, id: "resolved-1", status: "resolved" });

    const message = h.fake.message(ref.channel, ref.id)!;
    expect(message.history).toHaveLength(2);
    expect(shown(ref).texts).toContain("✅ <@U0ALICE> ran restart_pod");
    expect(shown(ref).texts).toContain("Prometheus resolved");
  });
});

describe("slack_sink Socket Mode connection", () => {
  it("logs a wrong app token and keeps sending", async () => {
    const sink = h.sink({ app_token: "xapp-wrong" });
    await sink.start!(okServices());

    const entry = await waitFor("the error", () => h.logger.entries.find((e) => e.level === "error" && e.message.includes("Socket Mode cannot connect")));
    expect(entry.fields).toMatchObject({ error: "invalid_auth" });
    expect((await sink.write(withButton())).channel).toBe("C0ALERTS");
  });
});

describe("slack_sink buttons over the HTTP request URL", () => {
  it("runs the action for a request Slack signed", async () => {
    const sink = h.sink({ signing_secret: h.fake.signingSecret });
    const services = okServices();
    const ref = await postWithButton(sink);
    await sink.start?.(services);
    expect(sink.handleRequest).toBeDefined();

    const payload = h.fake.pressPayload({ channel: ref.channel, ts: ref.id, actionId: "robusta_callback:0", user: "U0BOB" });
    const response = await sink.handleRequest!(h.fake.interactivityRequest(RUNNER, payload));
    await edited(ref);

    expect(response.status).toBe(200);
    expect(services.ran).toEqual([{ action: "restart_pod", params: { name: "web-0", namespace: "shop" } }]);
    expect(services.delivered[0]?.thread).toEqual(ref);
    expect(shown(ref).texts).toContain("✅ <@U0BOB> ran restart_pod");
  });

  it.each([
    ["signed with another secret", { signingSecret: "not-the-secret" }],
    ["older than five minutes", { timestampSeconds: Math.floor(Date.UTC(2026, 0, 1) / 1000) - 6 * 60 }],
  ])("answers 401 to a request %s, and runs nothing", async (_, options) => {
    const sink = h.sink({ signing_secret: h.fake.signingSecret });
    const services = okServices();
    const ref = await postWithButton(sink);
    await sink.start?.(services);

    const payload = h.fake.pressPayload({ channel: ref.channel, ts: ref.id, actionId: "robusta_callback:0" });
    const response = await sink.handleRequest!(h.fake.interactivityRequest(RUNNER, payload, options));

    expect(response.status).toBe(401);
    expect(services.ran).toEqual([]);
  });

  it("answers 404 to other paths", async () => {
    const sink = h.sink({ signing_secret: h.fake.signingSecret });
    const response = await sink.handleRequest!(h.fake.interactivityRequest("http://runner.test/sinks/slack/events", {}));
    expect(response.status).toBe(404);
  });

  it("acknowledges presses of link buttons without running anything", async () => {
    const sink = h.sink({ signing_secret: h.fake.signingSecret });
    const services = okServices();
    await sink.start?.(services);
    const ref = await sink.write(createFinding({ title: "See the dashboard", aggregationKey: "x", links: [{ name: "Grafana", url: "https://grafana.example/d/1" }] }));
    const linkButton = shown(ref).buttons[0]!;

    const payload = h.fake.pressPayload({ channel: ref.channel, ts: ref.id, actionId: linkButton });
    const response = await sink.handleRequest!(h.fake.interactivityRequest(RUNNER, payload));

    expect(response.status).toBe(200);
    expect(services.ran).toEqual([]);
  });
});

describe("slack_sink without interactivity", () => {
  it("renders no buttons, which could not do anything, and takes no requests", async () => {
    const sink = h.sink();
    const ref = await sink.write(withButton());

    expect(shown(ref).buttons).toEqual([]);
    expect(shown(ref).texts).toContain("need Slack interactivity");
    expect(sink.handleRequest).toBeUndefined();
    expect(sink.start).toBeUndefined();
  });
});
