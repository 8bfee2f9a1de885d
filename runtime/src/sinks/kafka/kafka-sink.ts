/**
 * Robusta's `kafka_sink`: a finding's diff and JSON blocks as JSON messages on a topic, keyed by
 * the finding's fingerprint. One producer per sink, connected on the first write and closed with
 * the sink. Each write is one attempt (the client's own retries are off): the delivery queue
 * retries what may succeed later.
 */
import type { Finding, Logger } from "@robusta-ts/sdk";
import { ProduceAcks, Producer } from "@platformatic/kafka";
import { DeliveryError } from "../../delivery/delivery-error.js";
import { BaseSink } from "../common/base-sink.js";
import type { DeliveryOptions, SinkBase } from "../sink.js";
import { AuthFileError, securityOptions, type SecurityOptions } from "./connection-options.js";
import { kafkaDeliveryError, type KafkaFailure } from "./kafka-errors.js";
import { bootstrapBrokers, type KafkaSinkParams } from "./params.js";
import { renderKafkaMessages } from "./render-messages.js";
import { batchesWithin, type KeyedMessage } from "./record-size.js";

/** What the sink sends and where: the Kafka part of its parameters. */
export type KafkaTarget = Pick<KafkaSinkParams, "kafka_url" | "topic" | "auth" | "max_message_bytes">;

export interface KafkaSinkOptions {
  readonly clusterName: string;
  readonly logger: Logger;
}

export class KafkaSink extends BaseSink {
  /** Who findings go to, for messages: the topic and brokers (no credentials). */
  readonly service: string;
  private readonly brokers: string[];
  private producer: Producer | undefined;
  private closed = false;

  constructor(
    base: SinkBase,
    private readonly target: KafkaTarget,
    private readonly options: KafkaSinkOptions,
  ) {
    super(base);
    this.brokers = bootstrapBrokers(target.kafka_url) ?? [];
    this.service = `Kafka topic ${target.topic} at ${this.brokers.join(",")}`;
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    if (this.closed) throw new DeliveryError(`${this.service}: the sink is closed`, { retryable: false });
    const { messages, leftOut, ignoredEnrichments } = renderKafkaMessages(finding, this.options.clusterName, this.target.max_message_bytes);
    const fields = { sink: this.name, finding: finding.id };
    for (const note of leftOut) this.options.logger.warn(fields, `kafka_sink: ${note}`);
    if (ignoredEnrichments > 0) this.options.logger.debug(fields, `kafka_sink: ${ignoredEnrichments} enrichment(s) had no diff or JSON block; only those are sent`);
    if (messages.length === 0) return;

    const producer = this.producerOnce();
    // One timestamp for the write: the record sizes counted assume it (record-size.ts).
    const timestamp = BigInt(Date.now());
    // Same key, same partition: each batch is one request, sent in order.
    for (const batch of batchesWithin(messages, this.target.max_message_bytes)) {
      await this.send(producer, batch, timestamp, options.signal);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const producer = this.producer;
    this.producer = undefined;
    await producer?.close(true);
  }

  /** The producer, created on first use (reading the TLS files then). */
  private producerOnce(): Producer {
    if (this.producer) return this.producer;
    let security: SecurityOptions;
    try {
      security = securityOptions(this.target.auth);
    } catch (error) {
      if (error instanceof AuthFileError) throw new DeliveryError(`${this.service}: ${error.message}`, { retryable: false, cause: error });
      throw error;
    }
    this.producer = new Producer({
      clientId: "robusta-ts",
      bootstrapBrokers: this.brokers,
      // One attempt per write; the delivery queue retries. (A stale leader is still re-asked once.)
      retries: 0,
      // As kafka-python: the broker's auto.create.topics.enable decides whether a missing topic is created.
      autocreateTopics: true,
      ...security,
    });
    return this.producer;
  }

  private async send(producer: Producer, batch: readonly KeyedMessage[], timestamp: bigint, signal: AbortSignal | undefined): Promise<void> {
    const sending = producer.send({
      messages: batch.map((message) => ({ topic: this.target.topic, key: Buffer.from(message.key), value: Buffer.from(message.value), timestamp })),
      acks: ProduceAcks.ALL,
    });
    try {
      await untilAborted(sending, signal);
    } catch (error) {
      // Shutdown: the queue's own reason, not a delivery failure.
      if (signal?.aborted) throw signal.reason;
      throw kafkaDeliveryError(this.service, error, this.hint);
    }
  }

  private readonly hint = (failure: KafkaFailure): string | undefined =>
    failure.name === "MESSAGE_TOO_LARGE" ? `the topic takes less than max_message_bytes ${this.target.max_message_bytes}: lower it to the topic's max.message.bytes` : undefined;
}

/** `promise`, or the signal's reason as soon as it is aborted (the send itself cannot be called back). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  promise.catch(() => undefined); // settled later, after nobody waits
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error as Error);
      },
    );
  });
}
