/**
 * The size of an uncompressed RecordBatch v2 as the producer encodes it, which is what a topic's
 * max.message.bytes limits (https://kafka.apache.org/documentation/#recordbatch). Records carry a
 * key and a value and no headers, and every record of a batch has the batch's timestamp (the sink
 * gives all messages of a write one timestamp), so each timestamp delta is 0. Pure.
 */

/** baseOffset 8, batchLength 4, partitionLeaderEpoch 4, magic 1, crc 4, attributes 2, lastOffsetDelta 4, baseTimestamp 8, maxTimestamp 8, producerId 8, producerEpoch 2, baseSequence 4, record count 4. */
export const BATCH_OVERHEAD_BYTES = 61;

/** The bytes of a zigzag varint holding `value` (≥ 0). */
function varintBytes(value: number): number {
  let zigzag = value * 2;
  let bytes = 1;
  while (zigzag >= 0x80) {
    zigzag = Math.floor(zigzag / 0x80);
    bytes++;
  }
  return bytes;
}

/** The encoded size of the record at `offsetDelta` in its batch, with a key and a value of these sizes. */
export function recordBytes(keyBytes: number, valueBytes: number, offsetDelta: number): number {
  // attributes 1, timestampDelta (0) 1, offsetDelta, key, value, header count (0) 1
  const body = 1 + 1 + varintBytes(offsetDelta) + varintBytes(keyBytes) + keyBytes + varintBytes(valueBytes) + valueBytes + 1;
  return varintBytes(body) + body;
}

/** The size of a batch of one record: what a single message must fit in. */
export const singleRecordBatchBytes = (keyBytes: number, valueBytes: number): number => BATCH_OVERHEAD_BYTES + recordBytes(keyBytes, valueBytes, 0);

/** A message as the sink sends it: a key and a value, UTF-8. */
export interface KeyedMessage {
  readonly key: string;
  readonly value: string;
}

/**
 * `messages` cut, in order, into runs each encoding to a batch of at most `maxBatchBytes`; a
 * message too large on its own gets a run of its own (the renderer keeps that from happening).
 */
export function batchesWithin<M extends KeyedMessage>(messages: readonly M[], maxBatchBytes: number): M[][] {
  const batches: M[][] = [];
  let current: M[] = [];
  let size = BATCH_OVERHEAD_BYTES;
  for (const message of messages) {
    const bytes = (offsetDelta: number) => recordBytes(Buffer.byteLength(message.key), Buffer.byteLength(message.value), offsetDelta);
    if (current.length > 0 && size + bytes(current.length) > maxBatchBytes) {
      batches.push(current);
      current = [];
      size = BATCH_OVERHEAD_BYTES;
    }
    size += bytes(current.length);
    current.push(message);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
