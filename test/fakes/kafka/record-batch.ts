/**
 * RecordBatch v2 (https://kafka.apache.org/documentation/#recordbatch), decoded as a broker does
 * before appending: the length and magic checked, the CRC-32C (attributes to the end) verified,
 * then each record's varint fields and headers read.
 */
import { crc32c } from "./crc32c.js";
import { WireReader } from "./wire.js";

/** A batch that is not what it claims to be: the broker answers CORRUPT_MESSAGE. */
export class CorruptBatchError extends Error {}

/** A batch in a form the fake does not take (compression): the broker answers UNKNOWN_SERVER_ERROR. */
export class UnsupportedBatchError extends Error {}

export interface DecodedRecord {
  readonly offsetDelta: number;
  readonly timestamp: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly (readonly [string, Buffer | null])[];
}

export interface DecodedBatch {
  /** The whole batch's size, offset and length fields included: what max.message.bytes limits. */
  readonly sizeInBytes: number;
  readonly producerId: bigint;
  readonly records: readonly DecodedRecord[];
}

// baseOffset (8) + batchLength (4): the log overhead in front of what batchLength counts.
const LOG_OVERHEAD = 12;
// partitionLeaderEpoch (4) + magic (1) + crc (4): what batchLength counts before the CRC'd part.
const BEFORE_CRC = 9;

/** Every batch in a Produce request's `records` field. Throws CorruptBatchError or UnsupportedBatchError. */
export function decodeRecordBatches(bytes: Buffer): DecodedBatch[] {
  const batches: DecodedBatch[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < LOG_OVERHEAD + BEFORE_CRC) throw new CorruptBatchError("truncated batch header");
    const batchLength = bytes.readInt32BE(offset + 8);
    const end = offset + LOG_OVERHEAD + batchLength;
    if (batchLength < BEFORE_CRC || end > bytes.length) throw new CorruptBatchError(`batch length ${batchLength} does not match the ${bytes.length - offset} bytes sent`);
    batches.push(decodeBatch(bytes.subarray(offset, end)));
    offset = end;
  }
  return batches;
}

function decodeBatch(batch: Buffer): DecodedBatch {
  const reader = new WireReader(batch);
  reader.int64(); // baseOffset: assigned by the broker
  reader.int32(); // batchLength
  reader.int32(); // partitionLeaderEpoch
  const magic = reader.int8();
  if (magic !== 2) throw new CorruptBatchError(`magic ${magic}: only RecordBatch v2 is taken`);
  const crc = reader.uint32();
  const actual = crc32c(batch.subarray(LOG_OVERHEAD + BEFORE_CRC));
  if (crc !== actual) throw new CorruptBatchError(`CRC-32C mismatch: batch says ${crc}, contents give ${actual}`);
  const attributes = reader.int16();
  if ((attributes & 0b111) !== 0) throw new UnsupportedBatchError("fake broker: compressed batches are not supported");
  const lastOffsetDelta = reader.int32();
  const baseTimestamp = reader.int64();
  reader.int64(); // maxTimestamp
  const producerId = reader.int64();
  reader.int16(); // producerEpoch
  reader.int32(); // baseSequence
  const count = reader.int32();
  const records = Array.from({ length: count }, () => decodeRecord(reader, baseTimestamp));
  if (reader.remaining !== 0) throw new CorruptBatchError(`${reader.remaining} bytes after the last record`);
  if (count > 0 && records[count - 1]!.offsetDelta !== lastOffsetDelta) throw new CorruptBatchError("lastOffsetDelta does not match the records");
  return { sizeInBytes: batch.length, producerId, records };
}

function decodeRecord(batch: WireReader, baseTimestamp: bigint): DecodedRecord {
  const length = batch.varint();
  const reader = new WireReader(batch.bytes(length));
  reader.int8(); // attributes: unused
  const timestamp = baseTimestamp + reader.varlong();
  const offsetDelta = reader.varint();
  const key = nullableBytes(reader);
  const value = nullableBytes(reader);
  const headers = Array.from({ length: reader.varint() }, () => {
    const name = reader.bytes(reader.varint()).toString("utf8");
    return [name, nullableBytes(reader)] as const;
  });
  if (reader.remaining !== 0) throw new CorruptBatchError(`record length ${length} does not match its fields`);
  return { offsetDelta, timestamp, key, value, headers };
}

/** A varint length (-1 for null) and that many bytes. */
function nullableBytes(reader: WireReader): Buffer | null {
  const length = reader.varint();
  return length < 0 ? null : reader.bytes(length);
}
