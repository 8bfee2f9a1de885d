/**
 * SASL on a SASL_PLAINTEXT listener with the PLAIN mechanism: SaslHandshake v1 (key 17) picks the
 * mechanism, SaslAuthenticate v2 (key 36) carries "authzid\0username\0password". A wrong password
 * gets SASL_AUTHENTICATION_FAILED with Kafka's own message, then the connection is closed, as a
 * broker does. Until then the connection takes nothing but ApiVersions and these two.
 */
import { ErrorCode } from "../protocol.js";
import { WireWriter, type WireReader } from "../wire.js";

const MECHANISMS = ["PLAIN"];

/** Where one connection is in the SASL exchange. */
export interface SaslSession {
  mechanism?: string;
  authenticated: boolean;
}

export interface SaslAnswer {
  readonly body: Buffer;
  /** The broker closes the connection after answering. */
  readonly close: boolean;
}

export function saslHandshake(session: SaslSession, body: WireReader, users: Readonly<Record<string, string>> | undefined): SaslAnswer {
  const mechanism = body.string() ?? "";
  const answer = (errorCode: number, mechanisms: readonly string[]): SaslAnswer => ({
    body: new WireWriter().int16(errorCode).array(mechanisms, (w, name) => w.string(name)).toBuffer(),
    close: false,
  });
  // A PLAINTEXT listener, or a second handshake: Kafka's request handler answers ILLEGAL_SASL_STATE.
  if (!users || session.authenticated) return answer(ErrorCode.ILLEGAL_SASL_STATE, []);
  if (!MECHANISMS.includes(mechanism)) return answer(ErrorCode.UNSUPPORTED_SASL_MECHANISM, MECHANISMS);
  session.mechanism = mechanism;
  return answer(ErrorCode.NONE, MECHANISMS);
}

export function saslAuthenticate(session: SaslSession, body: WireReader, users: Readonly<Record<string, string>> | undefined): SaslAnswer {
  const authBytes = body.compactBytes() ?? Buffer.alloc(0);
  body.taggedFields();
  const answer = (errorCode: number, errorMessage: string | null): SaslAnswer => ({
    body: new WireWriter().int16(errorCode).compactString(errorMessage).compactBytes(Buffer.alloc(0)).int64(0n).taggedFields().toBuffer(),
    close: errorCode !== ErrorCode.NONE,
  });
  if (!users || session.mechanism === undefined || session.authenticated) {
    return answer(ErrorCode.ILLEGAL_SASL_STATE, "Unexpected SaslAuthenticate request");
  }
  const [, username, password] = authBytes.toString("utf8").split("\0");
  if (username === undefined || password === undefined || users[username] !== password) {
    return answer(ErrorCode.SASL_AUTHENTICATION_FAILED, "Authentication failed: Invalid username or password");
  }
  session.authenticated = true;
  return answer(ErrorCode.NONE, null);
}
