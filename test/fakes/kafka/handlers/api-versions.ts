/**
 * ApiVersions (key 18): what the broker speaks. v0-v2 use the legacy encoding, v3 the compact
 * one. A version the broker does not know is answered in v0's layout with UNSUPPORTED_VERSION and
 * the list, as Kafka does, so that the client can retry with one it knows.
 */
import type { RequestHeader } from "../framing.js";
import { ErrorCode, SUPPORTED_APIS, supportOf } from "../protocol.js";
import { WireWriter } from "../wire.js";

export function apiVersions(request: RequestHeader): Buffer {
  const known = request.apiVersion <= supportOf(request.apiKey)!.maxVersion;
  const writer = new WireWriter().int16(known ? ErrorCode.NONE : ErrorCode.UNSUPPORTED_VERSION);
  if (known && request.apiVersion >= 3) {
    // The request's client_software_name/version are not needed: the body is not read.
    writer.compactArray(SUPPORTED_APIS, (w, api) => w.int16(api.apiKey).int16(api.minVersion).int16(api.maxVersion).taggedFields());
    return writer.int32(0).taggedFields().toBuffer();
  }
  writer.array(SUPPORTED_APIS, (w, api) => w.int16(api.apiKey).int16(api.minVersion).int16(api.maxVersion));
  if (known && request.apiVersion >= 1) writer.int32(0); // throttle_time_ms
  return writer.toBuffer();
}
