/**
 * Kafka's framing: every request and response is an INT32 size and that many bytes. Requests start
 * with header v1 (api_key, api_version, correlation_id, client_id) or, for flexible versions,
 * header v2 (the same plus a TAG_BUFFER). Responses start with header v0 (correlation_id) or v1
 * (plus a TAG_BUFFER) for flexible versions, except ApiVersions, which always answers with v0 so
 * that a client can read it whatever version it asked for.
 */
import { ApiKey, isFlexible } from "./protocol.js";
import { WireReader, WireWriter } from "./wire.js";

/** Collects socket chunks and hands out whole frames (without their size). */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  /** Frames completed by `chunk`, in order. */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    while (this.pending.length >= 4) {
      const size = this.pending.readInt32BE(0);
      if (this.pending.length < 4 + size) break;
      frames.push(this.pending.subarray(4, 4 + size));
      this.pending = this.pending.subarray(4 + size);
    }
    return frames;
  }
}

export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  readonly flexible: boolean;
}

/** Reads a request's header; the reader is left at the start of its body. */
export function readRequestHeader(reader: WireReader): RequestHeader {
  const apiKey = reader.int16();
  const apiVersion = reader.int16();
  const correlationId = reader.int32();
  const clientId = reader.string();
  const flexible = isFlexible(apiKey, apiVersion);
  if (flexible) reader.taggedFields();
  return { apiKey, apiVersion, correlationId, clientId, flexible };
}

/** A whole response frame for `request` with `body`. */
export function responseFrame(request: RequestHeader, body: Buffer): Buffer {
  const header = new WireWriter().int32(request.correlationId);
  if (request.flexible && request.apiKey !== ApiKey.API_VERSIONS) header.taggedFields();
  const payload = Buffer.concat([header.toBuffer(), body]);
  return Buffer.concat([new WireWriter().int32(payload.length).toBuffer(), payload]);
}
