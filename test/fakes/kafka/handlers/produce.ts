/**
 * Produce v9-v11 (key 0): appends each partition's record batches, or answers that partition with
 * the error a broker gives: UNKNOWN_TOPIC_OR_PARTITION for a topic or partition it does not have,
 * CORRUPT_MESSAGE for a batch whose CRC or lengths are wrong, MESSAGE_TOO_LARGE for a batch over
 * max.message.bytes (with no error_message, as Kafka sends none for it), or a failure a test queued.
 */
import type { BrokerState, ProduceFailure } from "../broker-state.js";
import { CorruptBatchError, decodeRecordBatches, UnsupportedBatchError, type DecodedBatch } from "../record-batch.js";
import { ErrorCode } from "../protocol.js";
import { WireWriter, type WireReader } from "../wire.js";

interface PartitionAnswer {
  readonly index: number;
  readonly errorCode: number;
  readonly baseOffset: number;
  readonly errorMessage: string | null;
}

/** What a Produce request gets: a response body, none (acks=0), or a dropped connection. */
export type ProduceOutcome = { readonly body: Buffer } | { readonly body: undefined } | { readonly disconnect: true };

export function produce(broker: BrokerState, body: WireReader): ProduceOutcome {
  body.compactString(); // transactional_id
  const acks = body.int16();
  body.int32(); // timeout_ms
  const topics = body.compactArray((t) => {
    const name = t.compactString() ?? "";
    const partitions = t.compactArray((p) => {
      const index = p.int32();
      const records = p.compactBytes();
      p.taggedFields();
      return { index, records };
    });
    t.taggedFields();
    return { name, partitions: partitions ?? [] };
  });
  body.taggedFields();

  const failure = broker.produceFailures.shift();
  if (failure && "disconnect" in failure) return { disconnect: true };

  const answers = (topics ?? []).map(({ name, partitions }) => ({
    name,
    partitions: partitions.map(({ index, records }) => answerPartition(broker, name, index, records, failure)),
  }));
  if (acks === 0) return { body: undefined };

  const writer = new WireWriter().compactArray(answers, (w, topic) => {
    w.compactString(topic.name).compactArray(topic.partitions, (p, answer) =>
      p
        .int32(answer.index)
        .int16(answer.errorCode)
        .int64(BigInt(answer.baseOffset))
        .int64(-1n) // log_append_time_ms: CreateTime topics
        .int64(0n) // log_start_offset
        .compactArray([], (r, _: never) => r) // record_errors
        .compactString(answer.errorMessage)
        .taggedFields(),
    );
    w.taggedFields();
  });
  return { body: writer.int32(0).taggedFields().toBuffer() };
}

function answerPartition(broker: BrokerState, name: string, index: number, records: Buffer | null, failure: ProduceFailure | undefined): PartitionAnswer {
  const fail = (errorCode: number, errorMessage: string | null = null): PartitionAnswer => ({ index, errorCode, baseOffset: -1, errorMessage });
  if (failure && "errorCode" in failure) return fail(failure.errorCode, failure.errorMessage ?? null);
  const topic = broker.topics.get(name);
  if (!topic || index < 0 || index >= topic.partitions.length) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

  let batches: DecodedBatch[];
  try {
    batches = decodeRecordBatches(records ?? Buffer.alloc(0));
  } catch (error) {
    if (error instanceof CorruptBatchError) return fail(ErrorCode.CORRUPT_MESSAGE, error.message);
    if (error instanceof UnsupportedBatchError) return fail(ErrorCode.UNKNOWN_SERVER_ERROR, error.message);
    throw error;
  }
  if (batches.some((batch) => batch.sizeInBytes > broker.maxMessageBytes)) return fail(ErrorCode.MESSAGE_TOO_LARGE);

  const baseOffset = topic.partitions[index]!.length;
  for (const batch of batches) broker.append(topic, index, batch.records);
  return { index, errorCode: ErrorCode.NONE, baseOffset, errorMessage: null };
}
