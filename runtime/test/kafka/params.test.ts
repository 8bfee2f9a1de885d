import { describe, expect, it } from "vitest";
import { sinksConfigSchema } from "../../src/sinks/sinks-config.js";
import { bootstrapBrokers, DEFAULT_MAX_MESSAGE_BYTES, kafkaSinkParams } from "../../src/sinks/kafka/index.js";

const minimal = { name: "kafka", kafka_url: "kafka-0:9092", topic: "robusta-playbooks" };

/** The messages zod gives for `params`, as "path: message". */
function problems(params: Record<string, unknown>): string[] {
  const result = kafkaSinkParams.safeParse(params);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("kafka_sink parameters", () => {
  it("takes Robusta's minimal entry, with PLAINTEXT and Kafka's default max.message.bytes", () => {
    expect(kafkaSinkParams.parse(minimal)).toMatchObject({
      kafka_url: "kafka-0:9092",
      topic: "robusta-playbooks",
      auth: { security_protocol: "PLAINTEXT" },
      max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
      default: true,
    });
  });

  it("takes Robusta's documented SASL_SSL entry", () => {
    const auth = { sasl_mechanism: "SCRAM-SHA-512", security_protocol: "SASL_SSL", sasl_plain_username: "robusta", sasl_plain_password: "password" };
    expect(kafkaSinkParams.parse({ ...minimal, auth }).auth).toEqual(auth);
  });

  it("is registered under kafka_sink and reports mistakes against it", () => {
    const result = sinksConfigSchema.safeParse([{ kafka_sink: { ...minimal, topic: "bad topic" } }]);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: [0, "kafka_sink", "topic"] });
  });

  it("reads kafka_url as comma-separated host[:port], 9092 when no port is given", () => {
    expect(bootstrapBrokers("kafka-0:9093, kafka-1,[::1]:9094,[fd00::2]")).toEqual(["kafka-0:9093", "kafka-1:9092", "[::1]:9094", "[fd00::2]:9092"]);
    for (const url of ["", "kafka://kafka-0:9092", "kafka-0:99999", "kafka-0:9092,,kafka-1"]) {
      expect(problems({ ...minimal, kafka_url: url })).toEqual(["kafka_url: must be host:port broker addresses separated by commas, e.g. kafka-0:9092,kafka-1:9092"]);
    }
  });

  it("wants a Kafka topic name", () => {
    expect(problems({ ...minimal, topic: "a/b" })).toEqual(["topic: must be a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'"]);
    expect(problems({ ...minimal, topic: "x".repeat(250) })).toHaveLength(1);
  });

  it("requires the SASL user and password with a SASL protocol", () => {
    expect(problems({ ...minimal, auth: { security_protocol: "SASL_PLAINTEXT" } })).toEqual([
      "auth.sasl_plain_username: required with security_protocol SASL_PLAINTEXT",
      "auth.sasl_plain_password: required with security_protocol SASL_PLAINTEXT",
    ]);
  });

  it("refuses settings the protocol would ignore, and incomplete TLS client certificates", () => {
    expect(problems({ ...minimal, auth: { sasl_plain_username: "u", ssl_cafile: "/ca.pem" } })).toEqual([
      "auth.sasl_plain_username: only applies with security_protocol SASL_PLAINTEXT or SASL_SSL",
      "auth.ssl_cafile: only applies with security_protocol SSL or SASL_SSL",
    ]);
    expect(problems({ ...minimal, auth: { security_protocol: "SSL", ssl_certfile: "/c.pem", ssl_password: "x" } })).toEqual([
      "auth.ssl_keyfile: ssl_certfile and ssl_keyfile go together",
      "auth.ssl_password: is the passphrase of ssl_keyfile, which is not set",
    ]);
  });

  it("refuses kafka-python options it does not take, and unknown mechanisms", () => {
    expect(problems({ ...minimal, auth: { acks: "all" } })).toEqual(['auth: Unrecognized key: "acks"']);
    expect(problems({ ...minimal, auth: { security_protocol: "SASL_SSL", sasl_mechanism: "GSSAPI", sasl_plain_username: "u", sasl_plain_password: "p" } })).toHaveLength(1);
  });

  it("keeps max_message_bytes above a floor", () => {
    expect(problems({ ...minimal, max_message_bytes: 100 })).toEqual(["max_message_bytes: Too small: expected number to be >=1024"]);
  });
});
