/**
 * `kafka_sink` parameters: Robusta's `kafka_url`, `topic` and `auth` (whose keys Robusta hands to
 * kafka-python's KafkaProducer; the ones that make sense in YAML are taken here, by the same
 * names), plus `max_message_bytes`.
 */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";

/** Kafka's default max.message.bytes (broker `message.max.bytes`): the largest record batch a topic takes. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
/** The smallest `max_message_bytes` taken: below it not even a small diff fits. */
export const MIN_MAX_MESSAGE_BYTES = 1024;

const DEFAULT_PORT = 9092;
// host, host:port, [ipv6], [ipv6]:port
const BROKER = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(?::(\d{1,5}))?$/;
// Kafka's own rule for topic names.
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;

/** `kafka_url`'s brokers as host:port (9092 when no port is given); undefined when one is not a broker address. */
export function bootstrapBrokers(kafkaUrl: string): string[] | undefined {
  const entries = kafkaUrl.split(",").map((entry) => entry.trim());
  const brokers: string[] = [];
  for (const entry of entries) {
    const match = BROKER.exec(entry);
    const port = match?.[1] === undefined ? DEFAULT_PORT : Number(match[1]);
    if (!match || port < 1 || port > 65535) return undefined;
    brokers.push(match[1] === undefined ? `${entry}:${DEFAULT_PORT}` : entry);
  }
  return brokers;
}

const SASL_PROTOCOLS = new Set(["SASL_PLAINTEXT", "SASL_SSL"]);
const SSL_PROTOCOLS = new Set(["SSL", "SASL_SSL"]);
const SASL_KEYS = ["sasl_mechanism", "sasl_plain_username", "sasl_plain_password"] as const;
const SSL_KEYS = ["ssl_cafile", "ssl_certfile", "ssl_keyfile", "ssl_password", "ssl_check_hostname"] as const;

const path = (what: string) => z.string().min(1).optional().describe(`Path to ${what} (PEM), e.g. from a mounted Secret.`);

export const kafkaAuthParams = z
  .object({
    security_protocol: z
      .enum(["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"])
      .default("PLAINTEXT")
      .describe("How to talk to the brokers: in the clear, over TLS, with SASL, or SASL over TLS."),
    sasl_mechanism: z
      .enum(["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
      .optional()
      .describe("The SASL mechanism, with security_protocol SASL_PLAINTEXT or SASL_SSL. Default PLAIN."),
    sasl_plain_username: z.string().min(1).optional().describe("The SASL user (PLAIN and SCRAM alike, as in kafka-python)."),
    sasl_plain_password: z.string().min(1).optional().describe("The SASL user's password. Never logged."),
    ssl_cafile: path("the CA certificate(s) the brokers' certificates are checked against; default: the system's"),
    ssl_certfile: path("the client certificate, for brokers that require one (mutual TLS)"),
    ssl_keyfile: path("the client certificate's private key"),
    ssl_password: z.string().min(1).optional().describe("The passphrase of ssl_keyfile, if it is encrypted. Never logged."),
    ssl_check_hostname: z.boolean().optional().describe("Whether a broker's certificate must name its host. Default true."),
  })
  .strict()
  .superRefine((auth, ctx) => {
    const issue = (key: string, message: string) => ctx.addIssue({ code: "custom", path: [key], message });
    const sasl = SASL_PROTOCOLS.has(auth.security_protocol);
    if (sasl) {
      if (auth.sasl_plain_username === undefined) issue("sasl_plain_username", `required with security_protocol ${auth.security_protocol}`);
      if (auth.sasl_plain_password === undefined) issue("sasl_plain_password", `required with security_protocol ${auth.security_protocol}`);
    } else {
      for (const key of SASL_KEYS) if (auth[key] !== undefined) issue(key, "only applies with security_protocol SASL_PLAINTEXT or SASL_SSL");
    }
    if (!SSL_PROTOCOLS.has(auth.security_protocol)) {
      for (const key of SSL_KEYS) if (auth[key] !== undefined) issue(key, "only applies with security_protocol SSL or SASL_SSL");
    }
    if ((auth.ssl_certfile === undefined) !== (auth.ssl_keyfile === undefined)) {
      issue(auth.ssl_certfile === undefined ? "ssl_certfile" : "ssl_keyfile", "ssl_certfile and ssl_keyfile go together");
    }
    if (auth.ssl_password !== undefined && auth.ssl_keyfile === undefined) issue("ssl_password", "is the passphrase of ssl_keyfile, which is not set");
  });

/** A validated `auth`. */
export type KafkaAuth = z.output<typeof kafkaAuthParams>;

export const kafkaSinkParams = z
  .object({
    ...sinkBaseParams,
    kafka_url: z
      .string()
      .refine((url) => bootstrapBrokers(url) !== undefined, "must be host:port broker addresses separated by commas, e.g. kafka-0:9092,kafka-1:9092")
      .describe("The bootstrap brokers: host:port, comma-separated (port 9092 when left out)."),
    topic: z.string().regex(TOPIC, "must be a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'").describe("The topic findings' messages go to."),
    auth: kafkaAuthParams
      .prefault({})
      .describe("Security settings, named as kafka-python's: security_protocol, sasl_mechanism, sasl_plain_username/password, ssl_*."),
    max_message_bytes: z
      .number()
      .int()
      .min(MIN_MAX_MESSAGE_BYTES)
      .default(DEFAULT_MAX_MESSAGE_BYTES)
      .describe(
        "The topic's max.message.bytes: the largest record batch sent, in bytes. A diff over it is sent without the changed properties that do not fit; a JSON block over it is not sent. Both are logged.",
      ),
  })
  .strict();

/** A validated `kafka_sink` entry. */
export type KafkaSinkParams = z.output<typeof kafkaSinkParams>;
