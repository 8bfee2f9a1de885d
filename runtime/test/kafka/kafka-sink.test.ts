import { createFinding, diff, json, markdown, type Enrichment, type Finding } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import type { AddressInfo } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode, FakeKafkaBroker, type FakeKafkaBrokerOptions } from "../../../test/fakes/kafka/broker.js";
import { KafkaSink, kafkaSinkType, renderKafkaMessages, type KafkaSinkOptions } from "../../src/sinks/kafka/index.js";
import { singleRecordBatchBytes } from "../../src/sinks/kafka/record-size.js";
import { sampleFinding } from "../webhook/sample-finding.js";
import { failureOf, sinkBase } from "../sinks-common/support.js";

const PASSWORD = "s3cr3t-passw0rd";
const TOPIC = "robusta-playbooks";
const base = sinkBase("kafka");

const brokers: FakeKafkaBroker[] = [];
const sinks: KafkaSink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((sink) => sink.close()));
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
});

async function startBroker(options: FakeKafkaBrokerOptions = { topics: { [TOPIC]: 3 } }): Promise<FakeKafkaBroker> {
  const broker = await FakeKafkaBroker.start(options);
  brokers.push(broker);
  return broker;
}

/** A sink for `broker`, with `params` as a kafka_sink entry would give them. */
function sinkFor(broker: FakeKafkaBroker, params: Record<string, unknown> = {}, options: Partial<KafkaSinkOptions> = {}): { sink: KafkaSink; logger: MemoryLogger } {
  const logger = new MemoryLogger();
  const parsed = kafkaSinkType.params.parse({ name: "kafka", kafka_url: broker.url, topic: TOPIC, ...params });
  const sink = new KafkaSink(base, parsed, { clusterName: "prod-eu", logger, ...options });
  sinks.push(sink);
  return { sink, logger };
}

const blocksFinding = (...enrichments: Enrichment[]): Finding =>
  createFinding({ title: "Deployment web changed", aggregationKey: "Change", subject: { name: "web", namespace: "demo", subjectType: "deployment" }, enrichments });

describe("kafka sink", () => {
  it("produces one message per diff and JSON block, keyed by the fingerprint, in order on one partition", async () => {
    const broker = await startBroker();
    const { sink } = sinkFor(broker);
    const finding = sampleFinding();
    await sink.write(finding);
    await sink.write(sampleFinding({ status: "resolved" }));

    const records = broker.records(TOPIC);
    const expected = renderKafkaMessages(finding, "prod-eu", 1_048_588).messages;
    expect(records.map(({ key, value }) => ({ key, value }))).toEqual([...expected, ...expected]);
    expect(new Set(records.map((record) => record.partition)).size).toBe(1);
    expect(records.map((record) => record.offset)).toEqual([0, 1, 2, 3]);
    expect(records[0]!.headers).toEqual({});
    // Produce v11 after ApiVersions v3 and Metadata v12; the same connection serves both writes.
    expect(broker.requests.map((request) => `${request.api} v${request.version}`)).toEqual(["API_VERSIONS v3", "METADATA v12", "PRODUCE v11", "PRODUCE v11"]);
  });

  it("does not connect for a finding with nothing to send", async () => {
    const broker = await startBroker();
    const { sink, logger } = sinkFor(broker);
    await sink.write(blocksFinding({ annotations: {}, blocks: [markdown("no diff here")] }));
    expect(broker.requests).toEqual([]);
    expect(logger.entries).toMatchObject([{ level: "debug", message: "kafka_sink: 1 enrichment(s) had no diff or JSON block; only those are sent" }]);
  });

  it("authenticates with SASL/PLAIN", async () => {
    const broker = await startBroker({ topics: { [TOPIC]: 1 }, users: { robusta: PASSWORD } });
    const { sink } = sinkFor(broker, { auth: { security_protocol: "SASL_PLAINTEXT", sasl_mechanism: "PLAIN", sasl_plain_username: "robusta", sasl_plain_password: PASSWORD } });
    await sink.write(sampleFinding());
    expect(broker.records(TOPIC)).toHaveLength(2);
    expect(broker.requests.slice(0, 3).map((request) => `${request.api} v${request.version}`)).toEqual(["API_VERSIONS v1", "SASL_HANDSHAKE v1", "SASL_AUTHENTICATE v2"]);
  });

  it("fails for good on a wrong password, with the broker's words and not the password", async () => {
    const broker = await startBroker({ topics: { [TOPIC]: 1 }, users: { robusta: "another" } });
    const { sink } = sinkFor(broker, { auth: { security_protocol: "SASL_PLAINTEXT", sasl_plain_username: "robusta", sasl_plain_password: PASSWORD } });
    const error = await failureOf(sink.write(sampleFinding()));
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(`Kafka topic ${TOPIC} at ${broker.url}: SASL_AUTHENTICATION_FAILED: Authentication failed: Invalid username or password`);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(PASSWORD);
  });

  it("fails for good when the topic does not exist and the broker does not create it", async () => {
    const broker = await startBroker({ topics: {} });
    const error = await failureOf(sinkFor(broker).sink.write(sampleFinding()));
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      `Kafka topic ${TOPIC} at ${broker.url}: UNKNOWN_TOPIC_OR_PARTITION: topic ${TOPIC} does not exist and the broker does not create topics (auto.create.topics.enable)`,
    );
  });

  it("lets the broker create a missing topic, retrying while its leader is elected", async () => {
    const broker = await startBroker({ topics: {}, autoCreateTopics: true });
    const { sink } = sinkFor(broker);
    const error = await failureOf(sink.write(sampleFinding()));
    expect(error).toMatchObject({ retryable: true });
    expect(error.message).toMatch(/: LEADER_NOT_AVAILABLE: /);
    expect(broker.hasTopic(TOPIC)).toBe(true);
    await sink.write(sampleFinding());
    expect(broker.records(TOPIC)).toHaveLength(2);
  });

  it("follows a leader change within the write, and leaves a lasting one to the queue's retries", async () => {
    const broker = await startBroker();
    const { sink } = sinkFor(broker);
    broker.failNext(1, { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER });
    await sink.write(sampleFinding());
    expect(broker.records(TOPIC)).toHaveLength(2);

    broker.failNext(2, { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER });
    const error = await failureOf(sink.write(sampleFinding()));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/: NOT_LEADER_OR_FOLLOWER: /);
  });

  it("retries too few in-sync replicas and dropped connections", async () => {
    const broker = await startBroker();
    const { sink } = sinkFor(broker);
    broker.failNext(1, { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS });
    expect(await failureOf(sink.write(sampleFinding()))).toMatchObject({ retryable: true, message: expect.stringContaining(": NOT_ENOUGH_REPLICAS: ") as unknown });
    broker.failNext(1, { disconnect: true });
    expect(await failureOf(sink.write(sampleFinding()))).toMatchObject({ retryable: true, message: expect.stringContaining(": NETWORK_ERROR: ") as unknown });
    await sink.write(sampleFinding());
    expect(broker.records(TOPIC)).toHaveLength(2);
  });

  it("retries when no broker can be reached, naming the address", async () => {
    const broker = await startBroker();
    const { sink } = sinkFor(broker);
    await broker.close();
    brokers.splice(0);
    const error = await failureOf(sink.write(sampleFinding()));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(new RegExp(`^Kafka topic ${TOPIC} at ${broker.url}: NETWORK_ERROR: Connection to ${broker.url} failed\\. .*ECONNREFUSED`));
  });

  it("fails for good when the topic takes less than max_message_bytes, saying what to change", async () => {
    const broker = await startBroker({ topics: { [TOPIC]: 1 }, maxMessageBytes: 1024 });
    const finding = blocksFinding({ annotations: {}, blocks: [json({ manifest: "m".repeat(2000) })] });
    const error = await failureOf(sinkFor(broker).sink.write(finding));
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      `Kafka topic ${TOPIC} at ${broker.url}: MESSAGE_TOO_LARGE: The request included a message larger than the max message size the server will accept. (the topic takes less than max_message_bytes 1048588: lower it to the topic's max.message.bytes)`,
    );
  });

  it("counts a message's size exactly as the broker does", async () => {
    const limit = 2048;
    const broker = await startBroker({ topics: { [TOPIC]: 1 }, maxMessageBytes: limit });
    // One byte of slack in the sink, so that only the broker judges the message one byte over.
    const { sink } = sinkFor(broker, { max_message_bytes: limit + 1 });
    const padded = (n: number): Finding => ({ ...blocksFinding({ annotations: {}, blocks: [json({ pad: "p".repeat(n) })] }), fingerprint: "fp-1" });
    const batchBytes = (n: number) => singleRecordBatchBytes(4, Buffer.byteLength(JSON.stringify({ pad: "p".repeat(n), cluster_name: "prod-eu" })));
    let n = 0;
    while (batchBytes(n) < limit) n++;
    expect(batchBytes(n)).toBe(limit);

    await sink.write(padded(n));
    expect(broker.records(TOPIC)).toHaveLength(1);
    expect(await failureOf(sink.write(padded(n + 1)))).toMatchObject({ retryable: false, message: expect.stringContaining(": MESSAGE_TOO_LARGE: ") as unknown });
  });

  it("sends an oversized diff cut to fit, and splits a finding's messages into batches within the limit", async () => {
    const limit = 4096;
    const broker = await startBroker({ topics: { [TOPIC]: 1 }, maxMessageBytes: limit });
    const { sink, logger } = sinkFor(broker, { max_message_bytes: limit });
    const big = "v".repeat(1500);
    const finding = blocksFinding(
      { annotations: {}, blocks: [diff({ kind: "ConfigMap", name: "settings", namespace: "demo" }, [1, 2, 3, 4].map((n) => ({ path: `data.k${n}`, old: big, new: "" })))] },
      { annotations: {}, blocks: [json({ part: 1, pad: big }), json({ part: 2, pad: big }), json({ part: 3, pad: big })] },
    );
    await sink.write(finding);
    const records = broker.records(TOPIC);
    expect(records.map((record) => JSON.parse(record.value!) as { omitted_properties?: number; part?: number })).toMatchObject([{ omitted_properties: 2 }, { part: 1 }, { part: 2 }, { part: 3 }]);
    expect(logger.entries.filter((entry) => entry.level === "warn")).toHaveLength(1);
    // Four messages of ~1.5-3 KB cannot share one 4 KB batch: they went in several, in order.
    expect(broker.requests.filter((request) => request.api === "PRODUCE").length).toBeGreaterThan(1);
  });

  it("fails for good when a TLS file cannot be read, naming the setting and path", async () => {
    const broker = await startBroker();
    const { sink } = sinkFor(broker, { auth: { security_protocol: "SSL", ssl_cafile: "/nonexistent/ca.pem" } });
    const error = await failureOf(sink.write(sampleFinding()));
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(`Kafka topic ${TOPIC} at ${broker.url}: cannot read ssl_cafile /nonexistent/ca.pem: ENOENT`);
    expect(broker.requests).toEqual([]);
  });

  it("names the broker's host in the TLS handshake (SNI), as SNI-routed brokers need", async () => {
    // A TLS listener that only records the name the client asks for, then ends the handshake.
    const names: string[] = [];
    const server = createTlsServer({
      SNICallback: (name, done) => {
        names.push(name);
        done(new Error("no certificate here"));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const params = kafkaSinkType.params.parse({ name: "kafka", kafka_url: `localhost:${port}`, topic: TOPIC, auth: { security_protocol: "SSL" } });
      const sink = new KafkaSink(base, params, { clusterName: "prod-eu", logger: new MemoryLogger() });
      sinks.push(sink);
      await failureOf(sink.write(sampleFinding()));
      expect(names[0]).toBe("localhost");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("gives up waiting when the runner stops, with the runner's reason", async () => {
    const broker = await startBroker();
    const { sink } = sinkFor(broker);
    const stop = new AbortController();
    const reason = new Error("shutting down");
    stop.abort(reason);
    await expect(sink.write(sampleFinding(), { signal: stop.signal })).rejects.toBe(reason);
  });

  it("closes its producer, and sends nothing after", async () => {
    const broker = await startBroker();
    const { sink } = sinkFor(broker);
    await sink.write(sampleFinding());
    await sink.close();
    const error = await failureOf(sink.write(sampleFinding()));
    expect(error).toMatchObject({ retryable: false, message: `Kafka topic ${TOPIC} at ${broker.url}: the sink is closed` });
    expect(broker.records(TOPIC)).toHaveLength(2);
  });

  it("is built from a kafka_sink entry", async () => {
    const broker = await startBroker();
    const params = kafkaSinkType.params.parse({ name: "events", kafka_url: broker.url, topic: TOPIC, default: false });
    const sink = kafkaSinkType.create(params, { clusterName: "prod-eu", globalConfig: {}, logger: new MemoryLogger() });
    expect(sink).toMatchObject({ name: "events", isDefault: false });
    await sink.write(sampleFinding());
    await sink.close?.();
    expect(JSON.parse(broker.records(TOPIC)[0]!.value!)).toMatchObject({ cluster_name: "prod-eu" });
  });
});
