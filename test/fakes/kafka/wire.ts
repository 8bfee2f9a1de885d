/**
 * Kafka's primitive types (https://kafka.apache.org/protocol#protocol_types), read and written
 * the way a broker does: big-endian integers, unsigned and zigzag varints, legacy (INT16/INT32
 * length) and compact (UNSIGNED_VARINT length + 1) strings, bytes and arrays, and tagged fields.
 * Written here rather than borrowed from the client, so the fake checks the client's encoding.
 */

/** Reads Kafka types from a buffer, front to back; throws RangeError past the end. */
export class WireReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  private take(length: number): Buffer {
    if (length < 0 || this.offset + length > this.buffer.length) throw new RangeError(`need ${length} bytes at ${this.offset}, have ${this.remaining}`);
    const slice = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  int8 = (): number => this.take(1).readInt8(0);
  int16 = (): number => this.take(2).readInt16BE(0);
  int32 = (): number => this.take(4).readInt32BE(0);
  uint32 = (): number => this.take(4).readUInt32BE(0);
  int64 = (): bigint => this.take(8).readBigInt64BE(0);
  boolean = (): boolean => this.int8() !== 0;
  uuid = (): Buffer => this.take(16);
  bytes = (length: number): Buffer => this.take(length);
  rest = (): Buffer => this.take(this.remaining);

  unsignedVarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.take(1)[0]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new RangeError("varint longer than 5 bytes");
  }

  /** A zigzag-encoded signed varint (record fields). */
  varint(): number {
    const raw = this.unsignedVarint();
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  /** A zigzag-encoded signed varlong (a record's timestamp delta). */
  varlong(): bigint {
    let raw = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = BigInt(this.take(1)[0]!);
      raw |= (byte & 0x7fn) << shift;
      if ((byte & 0x80n) === 0n) return (raw >> 1n) ^ -(raw & 1n);
    }
    throw new RangeError("varlong longer than 10 bytes");
  }

  /** STRING / NULLABLE_STRING: INT16 length, -1 for null. */
  string(): string | null {
    const length = this.int16();
    return length < 0 ? null : this.take(length).toString("utf8");
  }

  /** COMPACT_STRING / COMPACT_NULLABLE_STRING: UNSIGNED_VARINT length + 1, 0 for null. */
  compactString(): string | null {
    const length = this.unsignedVarint() - 1;
    return length < 0 ? null : this.take(length).toString("utf8");
  }

  /** COMPACT_BYTES / COMPACT_RECORDS: UNSIGNED_VARINT length + 1, 0 for null. */
  compactBytes(): Buffer | null {
    const length = this.unsignedVarint() - 1;
    return length < 0 ? null : this.take(length);
  }

  /** ARRAY: INT32 count, -1 for null. */
  array<T>(item: (reader: WireReader) => T): T[] | null {
    const count = this.int32();
    return count < 0 ? null : Array.from({ length: count }, () => item(this));
  }

  /** COMPACT_ARRAY: UNSIGNED_VARINT count + 1, 0 for null. */
  compactArray<T>(item: (reader: WireReader) => T): T[] | null {
    const count = this.unsignedVarint() - 1;
    return count < 0 ? null : Array.from({ length: count }, () => item(this));
  }

  /** A TAG_BUFFER; the fake knows no tags, so their contents are skipped. */
  taggedFields(): void {
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      this.unsignedVarint(); // tag
      this.take(this.unsignedVarint());
    }
  }
}

/** Builds a buffer of Kafka types, front to back. */
export class WireWriter {
  private readonly chunks: Buffer[] = [];

  private push(chunk: Buffer): this {
    this.chunks.push(chunk);
    return this;
  }

  private fixed(size: number, write: (buffer: Buffer) => void): this {
    const buffer = Buffer.alloc(size);
    write(buffer);
    return this.push(buffer);
  }

  int8 = (value: number): this => this.fixed(1, (b) => b.writeInt8(value));
  int16 = (value: number): this => this.fixed(2, (b) => b.writeInt16BE(value));
  int32 = (value: number): this => this.fixed(4, (b) => b.writeInt32BE(value));
  int64 = (value: bigint): this => this.fixed(8, (b) => b.writeBigInt64BE(value));
  boolean = (value: boolean): this => this.int8(value ? 1 : 0);
  /** A UUID; all zeros is Kafka's "no id". */
  uuid = (value: Buffer = Buffer.alloc(16)): this => this.push(value);
  raw = (value: Buffer): this => this.push(value);

  unsignedVarint(value: number): this {
    const bytes: number[] = [];
    let rest = value;
    while (rest >= 0x80) {
      bytes.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    bytes.push(rest);
    return this.push(Buffer.from(bytes));
  }

  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const bytes = Buffer.from(value, "utf8");
    return this.int16(bytes.length).push(bytes);
  }

  compactString(value: string | null): this {
    if (value === null) return this.unsignedVarint(0);
    const bytes = Buffer.from(value, "utf8");
    return this.unsignedVarint(bytes.length + 1).push(bytes);
  }

  compactBytes(value: Buffer | null): this {
    return value === null ? this.unsignedVarint(0) : this.unsignedVarint(value.length + 1).push(value);
  }

  array<T>(items: readonly T[], item: (writer: this, value: T) => void): this {
    this.int32(items.length);
    for (const value of items) item(this, value);
    return this;
  }

  compactArray<T>(items: readonly T[], item: (writer: this, value: T) => void): this {
    this.unsignedVarint(items.length + 1);
    for (const value of items) item(this, value);
    return this;
  }

  /** An empty TAG_BUFFER. */
  taggedFields(): this {
    return this.unsignedVarint(0);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
