/**
 * Every sink type of Robusta's catalog beyond Slack, Teams and webhooks, configured the way users
 * configure them (a values file with `{{ env.X }}` secrets), inside one runner: an Alertmanager
 * alert fires and resolves, and each service's fake sees what its users would see.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ActionRegistry, builtinActions, definePlaybook, file, json as jsonBlock, markdown, onPrometheusAlert } from "@robusta-ts/sdk";
import { InMemoryCluster, MemoryLogger } from "@robusta-ts/sdk/testing";
import { FakeDatadog } from "../../test/fakes/datadog.js";
import { FakeDiscord } from "../../test/fakes/discord.js";
import { FakeGoogleChat } from "../../test/fakes/google-chat.js";
import { FakeJira } from "../../test/fakes/jira.js";
import { FakeKafkaBroker } from "../../test/fakes/kafka/broker.js";
import { FakeMattermost } from "../../test/fakes/mattermost.js";
import { FakeOpsgenie } from "../../test/fakes/opsgenie.js";
import { FakePagerDuty } from "../../test/fakes/pagerduty.js";
import { FakeServiceNow } from "../../test/fakes/servicenow.js";
import { SmtpFake } from "../../test/fakes/smtp.js";
import { FakeTelegram } from "../../test/fakes/telegram.js";
import { FakeWebex } from "../../test/fakes/webex.js";
import { FakeZulip } from "../../test/fakes/zulip.js";
import { parseConfig } from "../src/config/load-config.js";
import { Runtime } from "../src/runtime.js";
import { createSinks } from "../src/sinks/sinks-config.js";
import { json } from "./helpers.js";

const sample = JSON.parse(readFileSync(new URL("../../../shared/fixtures/alertmanager-webhook-sample.json", import.meta.url), "utf8"));

/** The sample webhook's first alert, firing or resolved. */
function webhook(status: "firing" | "resolved") {
  const [alert] = sample.alerts;
  return { ...sample, status, alerts: [{ ...alert, status, fingerprint: "4a1b2c3d", ...(status === "resolved" && { endsAt: "2026-11-23T10:00:00Z" }) }] };
}

const enrich = definePlaybook({
  name: "enrich-alerts",
  triggers: [onPrometheusAlert({ status: "all" })],
  run: (event, ctx) =>
    ctx.addEnrichment([markdown(`*${event.alertName}* seen by the runner`), jsonBlock({ alert: event.alertName }), file("app.log", "line 1\nboom\n")], {
      title: "Runner notes",
    }),
});

const SECRETS = {
  PD_KEY: "0123456789abcdef0123456789abcdef",
  OPSGENIE_KEY: "eb243592-faa2-4ba2-a551-1afdf565c889",
  JIRA_TOKEN: "jira-t0ken",
  SNOW_PASSWORD: "snow-pa55",
  TELEGRAM_TOKEN: "123456789:AAEsecret-T0KEN_value",
  ZULIP_KEY: "zulip-k3y",
  MATTERMOST_TOKEN: "mm-t0ken",
  WEBEX_TOKEN: "webex-t0ken",
  SMTP_PASSWORD: "smtp-pa55",
  DD_KEY: "dd-k3y",
};

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function fakes() {
  const all = {
    pagerduty: await FakePagerDuty.start(),
    opsgenie: await FakeOpsgenie.start(SECRETS.OPSGENIE_KEY),
    jira: await FakeJira.start({ apiToken: SECRETS.JIRA_TOKEN }),
    servicenow: await FakeServiceNow.start({ username: "robusta", password: SECRETS.SNOW_PASSWORD }),
    discord: await FakeDiscord.start(),
    telegram: await FakeTelegram.start({ token: SECRETS.TELEGRAM_TOKEN, chats: ["-1001234567890"] }),
    chat: await FakeGoogleChat.start(),
    mattermost: await FakeMattermost.start({ token: SECRETS.MATTERMOST_TOKEN }),
    zulip: await FakeZulip.start({ email: "robusta-bot@zulip.example.com", apiKey: SECRETS.ZULIP_KEY, streams: ["Monitoring"] }),
    webex: await FakeWebex.start({ token: SECRETS.WEBEX_TOKEN, rooms: ["room-ops"] }),
    smtp: await SmtpFake.start({ users: { robusta: SECRETS.SMTP_PASSWORD } }),
    datadog: await FakeDatadog.start(SECRETS.DD_KEY),
    kafka: await FakeKafkaBroker.start({ topics: { "robusta-findings": 1 } }),
  };
  for (const fake of Object.values(all)) cleanup.push(() => fake.close());
  return all;
}

/** A values file as a user writes it, pointing each sink at its fake. */
function values(f: Awaited<ReturnType<typeof fakes>>): string {
  return `
priorityBuiltinPlaybooks: []
builtinPlaybooks: []
sinksConfig:
  - pagerduty_sink: {name: pagerduty, api_key: "{{ env.PD_KEY }}", api_url: "${f.pagerduty.url}"}
  - opsgenie_sink: {name: opsgenie, api_key: "{{ env.OPSGENIE_KEY }}", host: "${f.opsgenie.url}", teams: [noc]}
  - jira_sink:
      name: jira
      url: "${f.jira.url}"
      username: robusta@example.com
      api_key: "{{ env.JIRA_TOKEN }}"
      project_name: OPS
      sendResolved: true
      priority_mapping: {HIGH: High, MEDIUM: Medium, LOW: Low, INFO: Lowest}
  - service_now_sink: {name: servicenow, instance: "${f.servicenow.url}", username: robusta, password: "{{ env.SNOW_PASSWORD }}"}
  - discord_sink: {name: discord, url: "${f.discord.webhookUrl}"}
  - telegram_sink: {name: telegram, bot_token: "{{ env.TELEGRAM_TOKEN }}", chat_id: -1001234567890, api_url: "${f.telegram.url}"}
  - google_chat_sink: {name: chat, webhook_url: "${f.chat.webhookUrl()}"}
  - mattermost_sink: {name: mattermost, url: "${f.mattermost.url}", token: "{{ env.MATTERMOST_TOKEN }}", channel: alerts}
  - zulip_sink: {name: zulip, api_url: "${f.zulip.url}/", bot_email: robusta-bot@zulip.example.com, bot_api_key: "{{ env.ZULIP_KEY }}"}
  - webex_sink: {name: webex, bot_access_token: "{{ env.WEBEX_TOKEN }}", room_id: room-ops, api_url: "${f.webex.url}"}
  - mail_sink: {name: mail, mailto: "mailto://robusta:{{ env.SMTP_PASSWORD }}@127.0.0.1:${f.smtp.port}?from=robusta@example.com&to=ops@example.com"}
  - datadog_sink: {name: datadog, api_key: "{{ env.DD_KEY }}", site: "${f.datadog.url}"}
  - kafka_sink: {name: kafka, kafka_url: "${f.kafka.url}", topic: robusta-findings}
`;
}

async function runner() {
  const f = await fakes();
  const logger = new MemoryLogger();
  const config = parseConfig(values(f), "values.yaml", { actions: new ActionRegistry(builtinActions), env: SECRETS });
  const sinks = createSinks(config.sinks, { clusterName: "prod-eu", globalConfig: {}, logger });
  const runtime = new Runtime({
    playbooks: [enrich],
    cluster: new InMemoryCluster(),
    sinks,
    logger,
    options: { host: "127.0.0.1", port: 0, clusterName: "prod-eu" },
  });
  cleanup.push(() => runtime.close());
  const fire = async (status: "firing" | "resolved") => {
    expect((await runtime.app.request("/api/alerts", json(webhook(status)))).status).toBe(200);
    await runtime.idle();
  };
  return { f, runtime, logger, fire };
}

describe("the sinks of Robusta's catalog, in one runner", () => {
  it("deliver a firing alert and its resolve to every service, as each service expects", async () => {
    const { f, runtime, logger, fire } = await runner();
    await fire("firing");
    await fire("resolved");

    // Paging: one alert per fingerprint, opened then closed.
    expect(f.pagerduty.events.map((event) => [event.event_action, event.dedup_key])).toEqual([
      ["trigger", "4a1b2c3d"],
      ["resolve", "4a1b2c3d"],
    ]);
    const alert = f.opsgenie.alerts.get("4a1b2c3d")!;
    expect(alert).toMatchObject({ status: "closed", count: 1 });
    expect(alert.created.responders).toEqual([{ name: "noc", type: "team" }]);

    // Tickets: one issue and one incident, resolved with the alert.
    expect(f.jira.issues).toHaveLength(1);
    expect(f.jira.issues[0]!.status).toBe("Done");
    expect(f.jira.issues[0]!.attachments.map((attachment) => attachment.filename)).toEqual(["app.log"]);
    const incidents = [...f.servicenow.incidents.values()];
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.fields.state).toBe("6");

    // Chat: a message per finding, with the enrichment; Google Chat threads the resolve under the firing message.
    expect(f.discord.messages).toHaveLength(2);
    expect(f.telegram.messages.filter((message) => message.text.includes("seen by the runner"))).toHaveLength(2);
    const chat = f.chat.messages();
    expect(chat).toHaveLength(2);
    expect(chat[1]!.thread.name).toBe(chat[0]!.thread.name);
    expect(f.mattermost.posts).toHaveLength(2);
    expect(f.zulip.messages.map((message) => [message.stream, message.topic])).toEqual([
      ["Monitoring", "Robusta"],
      ["Monitoring", "Robusta"],
    ]);
    expect(f.webex.messages.filter((message) => message.markdown?.includes("seen by the runner"))).toHaveLength(2);

    // Mail, events and data.
    expect(f.smtp.mails.map((mail) => mail.mail.attachments.map((attachment) => attachment.filename))).toEqual([["app.log"], ["app.log"]]);
    expect(f.datadog.events.map((event) => event.alert_type)).toEqual(["info", "success"]) // a warning alert is LOW: Robusta sends "info";
    const records = f.kafka.records("robusta-findings");
    expect(records.map((record) => JSON.parse(record.value!))).toEqual([
      { alert: "KubePodCrashLooping", cluster_name: "prod-eu" },
      { alert: "KubePodCrashLooping", cluster_name: "prod-eu" },
    ]);

    const metrics = await (await runtime.app.request("/metrics")).text();
    for (const sink of ["pagerduty", "opsgenie", "jira", "servicenow", "discord", "telegram", "chat", "mattermost", "zulip", "webex", "mail", "datadog", "kafka"]) {
      expect(metrics).toContain(`robusta_findings_total{sink="${sink}",result="delivered"} 2`);
    }
    expect(metrics).not.toContain('result="failed"');
    // No secret reached the log.
    const logged = JSON.stringify(logger.entries);
    for (const secret of Object.values(SECRETS)) expect(logged).not.toContain(secret);
  });
});
