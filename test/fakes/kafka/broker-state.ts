/** What the fake broker holds: its topics, their partitions' logs, and failures queued by tests. */
import { randomBytes } from "node:crypto";
import type { DecodedRecord } from "./record-batch.js";

/** A record as stored: decoded to text, with the offset the broker gave it. */
export interface StoredRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: bigint;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string | null>>;
}

/** What the next produce answers instead of appending: an error code (with a message), or a dropped connection. */
export type ProduceFailure = { readonly errorCode: number; readonly errorMessage?: string } | { readonly disconnect: true };

export interface TopicState {
  readonly name: string;
  readonly id: Buffer;
  /** One log per partition. */
  readonly partitions: StoredRecord[][];
}

export interface BrokerSettings {
  /** Topics that exist from the start, with their partition counts. */
  readonly topics: Readonly<Record<string, number>>;
  /** auto.create.topics.enable: a Metadata request that allows it creates unknown topics. */
  readonly autoCreateTopics: boolean;
  /** Partitions of an auto-created topic (num.partitions). */
  readonly defaultPartitions: number;
  /** max.message.bytes: the largest record batch appended, its 12-byte log overhead included. */
  readonly maxMessageBytes: number;
  /** SASL/PLAIN users and passwords; none: no authentication (a PLAINTEXT listener). */
  readonly users?: Readonly<Record<string, string>>;
}

export class BrokerState {
  readonly nodeId = 1;
  readonly clusterId = "fake-kafka-cluster";
  readonly topics = new Map<string, TopicState>();
  /** Every record appended, in order, across topics and partitions. */
  readonly appended: StoredRecord[] = [];
  readonly produceFailures: ProduceFailure[] = [];
  maxMessageBytes: number;

  constructor(readonly settings: BrokerSettings) {
    this.maxMessageBytes = settings.maxMessageBytes;
    for (const [name, partitions] of Object.entries(settings.topics)) this.createTopic(name, partitions);
  }

  createTopic(name: string, partitions = this.settings.defaultPartitions): TopicState {
    const topic = { name, id: randomBytes(16), partitions: Array.from({ length: partitions }, (): StoredRecord[] => []) };
    this.topics.set(name, topic);
    return topic;
  }

  /** Appends a batch's records to a partition's log; returns the first offset given. */
  append(topic: TopicState, partition: number, records: readonly DecodedRecord[]): number {
    const log = topic.partitions[partition]!;
    const baseOffset = log.length;
    for (const record of records) {
      const stored: StoredRecord = {
        topic: topic.name,
        partition,
        offset: log.length,
        timestamp: record.timestamp,
        key: record.key?.toString("utf8") ?? null,
        value: record.value?.toString("utf8") ?? null,
        headers: Object.fromEntries(record.headers.map(([name, value]) => [name, value?.toString("utf8") ?? null])),
      };
      log.push(stored);
      this.appended.push(stored);
    }
    return baseOffset;
  }
}
