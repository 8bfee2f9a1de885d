/** The fake broker's own checks: what makes the sink's tests trustworthy. */
import { createRecordsBatch } from "@platformatic/kafka";
import { describe, expect, it } from "vitest";
import { crc32c } from "../../../test/fakes/kafka/crc32c.js";
import { CorruptBatchError, decodeRecordBatches } from "../../../test/fakes/kafka/record-batch.js";
import { WireReader, WireWriter } from "../../../test/fakes/kafka/wire.js";

/** A batch as the client encodes it. */
const clientBatch = (): Buffer =>
  createRecordsBatch([
    { topic: "t", partition: 0, key: Buffer.from("k"), value: Buffer.from("first"), timestamp: 1_000n, headers: new Map([[Buffer.from("h"), Buffer.from("v")]]) },
    { topic: "t", partition: 0, key: Buffer.from("k"), value: Buffer.from("second"), timestamp: 1_005n },
  ]).buffer;

describe("fake kafka broker", () => {
  it("computes CRC-32C (the Castagnoli check value)", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
  });

  it("decodes a RecordBatch v2: varint records, timestamps, headers and its size", () => {
    const bytes = clientBatch();
    const [batch] = decodeRecordBatches(bytes);
    expect(batch!.sizeInBytes).toBe(bytes.length);
    expect(batch!.records.map((r) => ({ ...r, key: r.key?.toString(), value: r.value?.toString(), headers: r.headers.map(([k, v]) => [k, v?.toString()]) }))).toEqual([
      { offsetDelta: 0, timestamp: 1_000n, key: "k", value: "first", headers: [["h", "v"]] },
      { offsetDelta: 1, timestamp: 1_005n, key: "k", value: "second", headers: [] },
    ]);
  });

  it("refuses a batch whose CRC does not match, or whose length lies", () => {
    const bytes = clientBatch();
    bytes[bytes.length - 3]! ^= 0xff;
    expect(() => decodeRecordBatches(bytes)).toThrow(CorruptBatchError);
    expect(() => decodeRecordBatches(clientBatch().subarray(0, 40))).toThrow(CorruptBatchError);
  });

  it("round-trips varints and compact types", () => {
    const bytes = new WireWriter().unsignedVarint(300).compactString("héllo").compactString(null).compactArray([1, 2], (w, n) => w.int32(n)).int64(-2n).toBuffer();
    const reader = new WireReader(bytes);
    expect([reader.unsignedVarint(), reader.compactString(), reader.compactString(), reader.compactArray((r) => r.int32()), reader.int64(), reader.remaining]).toEqual([300, "héllo", null, [1, 2], -2n, 0]);
  });
});
